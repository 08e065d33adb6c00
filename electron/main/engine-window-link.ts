/**
 * Connects the window to whichever engine process is running.
 *
 * The preload asks for a port once its page has started
 * (IPC_CHANNELS.enginePortRequest); from then on the window gets a new port
 * (IPC_CHANNELS.enginePort, the MessagePort transferred) every time an engine
 * starts, and IPC_CHANNELS.engineStatus = 'closed' every time one exits. Asking
 * first avoids the race of posting a port to a page whose preload has not
 * run yet (a port posted too early is simply lost). A reload runs the preload
 * again, which asks again and gets its own port to the same engine. The
 * channel names are the contract's (electron/contract/ipc-channels.ts), shared
 * with the preload.
 */
import type { BrowserWindow, IpcMainEvent } from 'electron';
import { ENGINE_CLOSED, IPC_CHANNELS } from '../contract/ipc-channels';
import type { EngineProcess } from './engine-process';
import { isAppUrl } from './security';
import { log } from './main-log';

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
    this.window.webContents.send(IPC_CHANNELS.engineStatus, ENGINE_CLOSED);
  }

  private sendPort(): void {
    if (this.window.isDestroyed()) return;
    const port = this.engine.connect();
    if (!port) return; // no engine right now: engineStarted() sends one later
    this.window.webContents.postMessage(IPC_CHANNELS.enginePort, null, [port]);
  }
}
