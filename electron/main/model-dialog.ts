/**
 * The system's open dialog for a speech model (settings → Sprachmodelle →
 * "Datei auswählen …" / "Ordner auswählen …"): the page cannot open one
 * itself, and must not learn paths any other way. The engine imports what
 * the model manager accepts: a .zip as Alpha Cephei publishes it, or an
 * unpacked model folder (electron/engine/models/model-manager.ts).
 *
 * Answered only for the app's own page in the main window; the dialog's
 * texts come from the page (it knows the language) and are checked
 * (isModelDialogRequest). The answer is the chosen path, or null when the
 * person cancelled.
 */
import type { BrowserWindow, IpcMainInvokeEvent, OpenDialogOptions } from 'electron';
import { isModelDialogRequest } from '../contract/ipc-channels';
import type { ModelDialogRequest } from '../contract/messages';
import { log } from './main-log';
import { isAppUrl } from './security';

/** The dialog for one kind: a zip file (filtered) or a folder. */
export function modelDialogOptions(request: ModelDialogRequest): OpenDialogOptions {
  return request.kind === 'zip'
    ? {
        title: request.title,
        properties: ['openFile', 'dontAddToRecent'],
        filters: [{ name: request.filterName, extensions: ['zip'] }],
      }
    : { title: request.title, properties: ['openDirectory', 'dontAddToRecent'] };
}

export interface ModelDialogDeps {
  window(): BrowserWindow | undefined;
  showOpenDialog(
    window: BrowserWindow,
    options: OpenDialogOptions,
  ): Promise<{ canceled: boolean; filePaths: string[] }>;
}

/** The ipcMain.handle handler of IPC_CHANNELS.chooseModelPath. */
export async function chooseModelPath(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  request: unknown,
  deps: ModelDialogDeps,
): Promise<string | null> {
  const window = deps.window();
  const frame = event.senderFrame;
  if (
    !window ||
    window.isDestroyed() ||
    event.sender !== window.webContents ||
    !frame ||
    frame.parent !== null ||
    !isAppUrl(frame.url)
  ) {
    log('warn', 'model-dialog', 'open dialog asked for by a foreign frame; refused');
    return null;
  }
  if (!isModelDialogRequest(request)) {
    log('warn', 'model-dialog', 'malformed open dialog request; refused');
    return null;
  }
  const result = await deps.showOpenDialog(window, modelDialogOptions(request));
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
