/**
 * An in-process LotseBridge fake for renderer unit tests: the test plays the
 * engine's part by pushing replies, events and frames. Never used by the app.
 */
import type { CarrierStatus, LotseBridge, RequestEnvelope } from '../../electron/contract';

export class FakeBridge implements LotseBridge {
  readonly sent: RequestEnvelope[] = [];
  readonly sentAudio: ArrayBuffer[] = [];
  private readonly messageListeners = new Set<(m: unknown) => void>();
  private readonly audioListeners = new Set<(f: ArrayBuffer) => void>();
  private readonly statusListeners = new Set<(s: CarrierStatus) => void>();

  send(message: RequestEnvelope): void {
    this.sent.push(message);
  }
  sendAudio(frame: ArrayBuffer): void {
    this.sentAudio.push(frame);
  }
  onMessage(listener: (message: unknown) => void) {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }
  onAudio(listener: (frame: ArrayBuffer) => void) {
    this.audioListeners.add(listener);
    return () => this.audioListeners.delete(listener);
  }
  onStatus(listener: (status: CarrierStatus) => void) {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Engine side: push any message (well-formed or not). */
  deliver(message: unknown): void {
    this.messageListeners.forEach((l) => l(message));
  }
  deliverAudio(frame: ArrayBuffer): void {
    this.audioListeners.forEach((l) => l(frame));
  }
  setStatus(status: CarrierStatus): void {
    this.statusListeners.forEach((l) => l(status));
  }
}
