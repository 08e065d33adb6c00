/**
 * The open dialog for a speech model without Electron: which dialog the
 * shell shows for a zip and for a folder, and that only the app's own page
 * in the main window gets one (a fake window and IPC event).
 */
import { describe, expect, it, vi } from 'vitest';
import { isModelDialogRequest } from '../../../../electron/contract/ipc-channels';
import {
  chooseModelPath,
  modelDialogOptions,
  type ModelDialogDeps,
} from '../../../../electron/main/model-dialog';

// Electron's types through the module under test (only the shell imports 'electron').
type BrowserWindow = NonNullable<ReturnType<ModelDialogDeps['window']>>;
type OpenDialogOptions = ReturnType<typeof modelDialogOptions>;

const ZIP = { kind: 'zip', title: 'Vosk-Modell (ZIP-Datei) auswählen', filterName: 'Vosk-Modell' };
const FOLDER = { kind: 'folder', title: 'Ordner eines Vosk-Modells auswählen', filterName: 'x' };

function setup(answer: { canceled: boolean; filePaths: string[] }) {
  const webContents = { id: 1 };
  const window = { webContents, isDestroyed: () => false } as unknown as BrowserWindow;
  const shown: OpenDialogOptions[] = [];
  const deps = {
    window: () => window,
    showOpenDialog: vi.fn(async (_window: BrowserWindow, options: OpenDialogOptions) => {
      shown.push(options);
      return answer;
    }),
  };
  const event = (url = 'lotse://app/index.html', sender: unknown = webContents) =>
    ({ sender, senderFrame: { url, parent: null } }) as unknown as Parameters<
      typeof chooseModelPath
    >[0];
  return { deps, shown, event };
}

describe('the open dialog for a speech model', () => {
  it('filters for zip files, or asks for a folder', () => {
    expect(modelDialogOptions({ kind: 'zip', title: 't', filterName: 'Vosk (ZIP)' })).toEqual({
      title: 't',
      properties: ['openFile', 'dontAddToRecent'],
      filters: [{ name: 'Vosk (ZIP)', extensions: ['zip'] }],
    });
    expect(modelDialogOptions({ kind: 'folder', title: 't', filterName: 'f' })).toEqual({
      title: 't',
      properties: ['openDirectory', 'dontAddToRecent'],
    });
  });

  it('answers the chosen path, or null when the person cancels', async () => {
    const chosen = setup({ canceled: false, filePaths: ['C:\\Modelle\\vosk.zip'] });
    expect(await chooseModelPath(chosen.event(), ZIP, chosen.deps)).toBe('C:\\Modelle\\vosk.zip');
    expect(chosen.shown[0]?.title).toBe(ZIP.title);
    const cancelled = setup({ canceled: true, filePaths: [] });
    expect(await chooseModelPath(cancelled.event(), FOLDER, cancelled.deps)).toBeNull();
  });

  it('shows nothing for a foreign page, another window or a malformed request', async () => {
    const { deps, event } = setup({ canceled: false, filePaths: ['/x.zip'] });
    expect(await chooseModelPath(event('https://evil.example/'), ZIP, deps)).toBeNull();
    expect(await chooseModelPath(event(undefined, { id: 2 }), ZIP, deps)).toBeNull();
    for (const bad of [
      null,
      'zip',
      { ...ZIP, kind: 'exe' },
      { ...ZIP, title: '' },
      { ...ZIP, title: 'x'.repeat(201) },
      { kind: 'zip', title: 't' },
    ]) {
      expect(isModelDialogRequest(bad)).toBe(false);
      expect(await chooseModelPath(event(), bad, deps)).toBeNull();
    }
    expect(deps.showOpenDialog).not.toHaveBeenCalled();
  });
});
