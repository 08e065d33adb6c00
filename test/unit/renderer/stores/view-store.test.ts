import { describe, expect, it } from 'vitest';
import { createViewStore, VIEW_NAMES } from '../../../../renderer/stores/view-store';

describe('view store', () => {
  it('starts on the workspace and goes to every view', () => {
    const store = createViewStore();
    expect(store.getState().view).toBe('workspace');
    for (const view of VIEW_NAMES) {
      store.getState().go(view);
      expect(store.getState().view).toBe(view);
    }
  });

  it('numbers what it says, so the same words twice are two notices', () => {
    const store = createViewStore();
    store.getState().say('Kein Vorschlag vorhanden.');
    const first = store.getState().notice;
    store.getState().say('Kein Vorschlag vorhanden.');
    expect(store.getState().notice?.text).toBe('Kein Vorschlag vorhanden.');
    expect(store.getState().notice?.seq).toBe((first?.seq ?? 0) + 1);
  });
});
