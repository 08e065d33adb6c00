/**
 * The import of a speech model the person has on disk, as the settings
 * screen drives it: the desktop app's open dialog (then models.import with
 * the path), web mode's upload, and what the import field then says.
 */
import { describe, expect, it } from 'vitest';
import type { ModelDialogRequest, PageFile } from '../../../../electron/contract';
import { EngineClient } from '../../../../renderer/bridge/engine-client';
import { describeProblem } from '../../../../renderer/i18n/describe-problem';
import { createModelsStore } from '../../../../renderer/stores/models-store';
import { FakeBridge } from '../../../fakes/fake-bridge';

const MODEL = {
  id: 'vosk-model-small-de-0.15',
  sizeBytes: 68_000_000,
  sampleRate: 16000,
  installedAt: '2026-12-07T08:00:00.000Z',
  active: true,
  verified: true,
};
const LISTING = { installed: [MODEL], catalog: [] };
const DIALOG: ModelDialogRequest = {
  kind: 'zip',
  title: 'Vosk-Modell (ZIP-Datei) auswählen',
  filterName: 'Vosk-Modell (ZIP)',
};

/** The desktop preload's open dialog, answered by the test. */
class FakeDesktopBridge extends FakeBridge {
  readonly dialogs: ModelDialogRequest[] = [];
  answer: string | null = null;
  async chooseModelPath(request: ModelDialogRequest): Promise<string | null> {
    this.dialogs.push(request);
    return this.answer;
  }
}

/** Web mode's carrier with the engine's answer to an upload set by the test. */
class FakeWebBridge extends FakeBridge {
  readonly uploads: { file: PageFile; name: string }[] = [];
  reply: unknown = { ok: true, result: MODEL };
  async uploadModel(file: PageFile, name: string): Promise<unknown> {
    this.uploads.push({ file, name });
    if (this.reply instanceof Error) throw this.reply;
    return this.reply;
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Plays the engine: answers the newest request of `method` with `result`. */
async function answer(bridge: FakeBridge, method: string, result: unknown): Promise<void> {
  await tick();
  const request = bridge.sent.findLast((r) => r.method === method);
  if (!request) throw new Error(`no ${method} request sent`);
  bridge.deliver({ t: 'res', id: request.id, ok: true, result });
}

describe('model import in the desktop app', () => {
  it('opens the dialog, imports the chosen path and lists the model', async () => {
    const bridge = new FakeDesktopBridge();
    const store = createModelsStore(new EngineClient(bridge));
    expect(store.getState().fileAccess).toBe('dialog');
    bridge.answer = '/media/usb/vosk-model-small-de-0.15.zip';
    const done = store.getState().chooseAndImport(DIALOG);
    await answer(bridge, 'models.import', MODEL);
    expect(store.getState().importing).toBe(false);
    await answer(bridge, 'models.list', LISTING);
    expect(await done).toBe(true);
    expect(bridge.dialogs).toEqual([DIALOG]);
    expect(bridge.sent.find((r) => r.method === 'models.import')?.params).toEqual({
      path: '/media/usb/vosk-model-small-de-0.15.zip',
    });
    expect(store.getState()).toMatchObject({ imported: MODEL.id, listing: LISTING });
    expect(store.getState().importError).toBeUndefined();
  });

  it('does nothing when the person cancels the dialog', async () => {
    const bridge = new FakeDesktopBridge();
    const store = createModelsStore(new EngineClient(bridge));
    expect(await store.getState().chooseAndImport({ ...DIALOG, kind: 'folder' })).toBe(false);
    expect(bridge.sent).toEqual([]);
    expect(store.getState()).toMatchObject({ importing: false });
    expect(store.getState().importError).toBeUndefined();
  });

  it('says why an import failed at the field, in the language of the screen', async () => {
    const bridge = new FakeDesktopBridge();
    const store = createModelsStore(new EngineClient(bridge));
    bridge.answer = '/media/usb/kaputt.zip';
    const done = store.getState().chooseAndImport(DIALOG);
    await tick();
    const request = bridge.sent.find((r) => r.method === 'models.import')!;
    bridge.deliver({
      t: 'res',
      id: request.id,
      ok: false,
      error: { code: 'bad_request', reason: 'invalid_zip', message: 'The zip cannot be read.' },
    });
    expect(await done).toBe(false);
    const problem = store.getState().importError!;
    expect(describeProblem('de', problem)).toBe('Die ZIP-Datei kann nicht gelesen werden.');
    expect(describeProblem('en', problem)).not.toMatch(/ZIP-Datei/);
    // The list's own error line stays free for the list.
    expect(store.getState().error).toBeUndefined();
  });
});

describe('model import in web mode', () => {
  const zip = new Blob([new Uint8Array([0x50, 0x4b, 0x03, 0x04])], { type: 'application/zip' });
  const file = Object.assign(zip, { name: 'vosk-model-small-de-0.15.zip' }) as unknown as File;

  it('uploads the chosen file under its own name and lists the model', async () => {
    const bridge = new FakeWebBridge();
    const store = createModelsStore(new EngineClient(bridge));
    expect(store.getState().fileAccess).toBe('upload');
    const done = store.getState().importFile(file);
    expect(store.getState().importing).toBe(true);
    await answer(bridge, 'models.list', LISTING);
    expect(await done).toBe(true);
    expect(bridge.uploads).toEqual([{ file, name: 'vosk-model-small-de-0.15.zip' }]);
    expect(store.getState()).toMatchObject({ importing: false, imported: MODEL.id });
  });

  it('words the engine’s refusal and a lost connection', async () => {
    const bridge = new FakeWebBridge();
    const store = createModelsStore(new EngineClient(bridge));
    bridge.reply = {
      ok: false,
      error: { code: 'bad_request', reason: 'too_large', message: 'too large', params: {} },
    };
    expect(await store.getState().importFile(file)).toBe(false);
    expect(describeProblem('de', store.getState().importError!)).toBe(
      'Die Datei ist größer als ein Sprachmodell sein kann.',
    );
    bridge.reply = new TypeError('Failed to fetch');
    expect(await store.getState().importFile(file)).toBe(false);
    expect(store.getState().importError).toMatchObject({ code: 'disconnected' });
    bridge.reply = { ok: true, result: { id: 42 } };
    expect(await store.getState().importFile(file)).toBe(false);
    expect(store.getState().importError).toMatchObject({ code: 'invalid_reply' });
  });

  it('offers only the typed path on a carrier that can do neither', () => {
    const store = createModelsStore(new EngineClient(new FakeBridge()));
    expect(store.getState().fileAccess).toBe('path');
  });
});
