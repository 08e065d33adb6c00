import { describe, expect, it } from 'vitest';
import {
  notifyIncomingCalls,
  type NotificationApi,
  type NotificationHandle,
} from '../../../../renderer/features/notifications/incoming-call-notifier';
import { createPhoneStore } from '../../../../renderer/phone/phone-store';

/** A Notification API fake that records what would be shown. */
function fakeNotifications(permission: NotificationPermission = 'granted') {
  const shown: {
    title: string;
    options?: NotificationOptions;
    closed: boolean;
    handle: NotificationHandle;
  }[] = [];
  const Api = class implements NotificationHandle {
    static permission = permission;
    static requestPermission = async () => permission;
    onclick: ((event: Event) => void) | null = null;
    constructor(title: string, options?: NotificationOptions) {
      shown.push({ title, options, closed: false, handle: this });
    }
    close() {
      const entry = shown.find((s) => s.handle === this);
      if (entry) entry.closed = true;
    }
  };
  return { api: Api as unknown as NotificationApi, shown };
}

function setup(
  options: { focused?: boolean; enabled?: boolean; permission?: NotificationPermission } = {},
) {
  const phoneStore = createPhoneStore();
  const { api, shown } = fakeNotifications(options.permission);
  const focusCalls: number[] = [];
  const stop = notifyIncomingCalls({
    phoneStore,
    notifications: () => api,
    enabled: () => options.enabled ?? true,
    hasFocus: () => options.focused ?? false,
    focusApp: () => focusCalls.push(1),
    text: (call) => ({
      title: 'Lotse: Eingehender Anruf',
      body: `${call.remoteName ? `${call.remoteName} (${call.remote})` : call.remote} ruft an.`,
    }),
  });
  const ring = (id: string, remoteName?: string) =>
    phoneStore
      .getState()
      .callEvent(
        { type: 'incoming' },
        { id, direction: 'incoming', remote: 'anrufer', ...(remoteName ? { remoteName } : {}) },
      );
  return { phoneStore, shown, focusCalls, stop, ring };
}

describe('incoming call notification', () => {
  it('shows the caller when the window is not focused; a click focuses Lotse', () => {
    const { shown, focusCalls, ring, phoneStore } = setup();
    ring('call-1', 'Erika Mustermann');
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({
      title: 'Lotse: Eingehender Anruf',
      options: { body: 'Erika Mustermann (anrufer) ruft an.', tag: 'lotse-call-call-1' },
      closed: false,
    });
    shown[0]?.handle.onclick?.(new Event('click'));
    expect(focusCalls).toHaveLength(1);
    expect(shown[0]?.closed).toBe(true);
    // Nothing new while the same call goes on.
    phoneStore.getState().callEvent({ type: 'answered' });
    expect(shown).toHaveLength(1);
  });

  it('closes the notification when the call stops ringing', () => {
    const { shown, ring, phoneStore, stop } = setup();
    ring('call-2');
    expect(shown[0]?.options?.body).toBe('anrufer ruft an.');
    phoneStore.getState().callEvent({ type: 'ended', reason: { code: 'caller-gave-up' } });
    expect(shown[0]?.closed).toBe(true);
    stop();
    phoneStore.getState().callEvent({ type: 'reset' });
    ring('call-3');
    expect(shown).toHaveLength(1);
  });

  it('stays quiet when focused, switched off, not permitted, on do not disturb or auto-answer', () => {
    for (const options of [
      { focused: true },
      { enabled: false },
      { permission: 'default' as const },
      { permission: 'denied' as const },
    ]) {
      const { shown, ring } = setup(options);
      ring('c');
      expect(shown, JSON.stringify(options)).toHaveLength(0);
    }
    const dnd = setup();
    dnd.phoneStore.getState().setPolicy({ doNotDisturb: true });
    dnd.ring('c');
    expect(dnd.shown).toHaveLength(0);
    const bot = setup();
    bot.phoneStore.getState().setPolicy({ autoAnswer: true });
    bot.ring('c');
    expect(bot.shown).toHaveLength(0);
  });
});
