/**
 * Connects the window to whichever engine process is running.
 *
 * The preload asks for a port once its page has started
 * ('lotse:engine-port-request'); from then on the window gets a new port
 * ('lotse:engine-port', the MessagePort transferred) every time an engine
 * starts, and 'lotse:engine-status' = 'closed' every time one exits. Asking
 * first avoids the race of posting a port to a page whose preload has not
 * run yet (a port posted too early is simply lost). A reload runs the preload
 * again, which asks again and gets its own port to the same engine.
 *
 * Channel names are repeated in electron/preload/preload.ts (the preload is a
 * separate bundle and project); keep them in step.
 */
import type { BrowserWindow, IpcMainEvent } from 'electron';
import type { EngineProcess } from './engine-process';
import { isAppUrl } from './security';
import { log } from './main-log';

export const ENGINE_PORT_CHANNEL = 'lotse:engine-port';
export const ENGINE_STATUS_CHANNEL = 'lotse:engine-status';
export const ENGINE_PORT_REQUEST_CHANNEL = 'lotse:engine-port-request';

export class EngineWindowLink {
  /** The page in the window has asked for a port (set again after every reload). */
  private wanted = false;

  constructor(
    private readonly window: BrowserWindow,
    private readonly engine: EngineProcess,
  ) {}

  /** From ipcMain: accepted only from the window's own lotse://app main frame. */
  handlePortRequest(event: IpcMainEvent): void {
    if (this.window.isDestroyed() || event.sender !== this.window.webContents) return;
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null || !isAppUrl(frame.url)) {
      log('warn', 'engine-link', 'engine port request from a foreign frame ignored');
      return;
    }
    this.wanted = true;
    this.sendPort();
  }

  /** A new engine process exists. */
  engineStarted(): void {
    if (this.wanted) this.sendPort();
  }

  /** The engine process is gone; the window shows it and waits for the next port. */
  engineExited(code: number): void {
    if (this.window.isDestroyed()) return;
    log('warn', 'engine-link', `engine closed (exit code ${code}); window told`);
    this.window.webContents.send(ENGINE_STATUS_CHANNEL, 'closed');
  }

  private sendPort(): void {
    if (this.window.isDestroyed()) return;
    const port = this.engine.connect();
    if (!port) return; // no engine right now: engineStarted() sends one later
    this.window.webContents.postMessage(ENGINE_PORT_CHANNEL, null, [port]);
  }
}
