/**
 * An in-process EngineConnection fake: records what the engine sends so unit
 * tests can drive the real Engine without a socket. Never used by the app.
 */
import { decodeAudioFrame, type AudioFrame, type EngineToRenderer } from '../../electron/contract';
import type { ConnectionHandle, Engine, EngineConnection } from '../../electron/engine/core/engine';

export class FakeEngineConnection implements EngineConnection {
  readonly label = 'fake connection';
  readonly messages: EngineToRenderer[] = [];
  readonly audio: AudioFrame[] = [];
  readonly handle: ConnectionHandle;
  private nextId = 1;

  constructor(engine: Engine) {
    this.handle = engine.attach(this);
  }

  sendMessage(message: EngineToRenderer): void {
    this.messages.push(structuredClone(message));
  }

  sendAudio(frame: ArrayBuffer): void {
    this.audio.push(decodeAudioFrame(frame));
  }

  /** Sends a request and waits for the reply with its id (at most `withinMs`). */
  async request(
    method: string,
    params: unknown,
    withinMs = 10_000,
  ): Promise<Extract<EngineToRenderer, { t: 'res' }>> {
    const id = this.nextId++;
    this.handle.onMessage({ t: 'req', id, method, params });
    const started = performance.now();
    for (;;) {
      const reply = this.messages.find((m) => m.t === 'res' && m.id === id);
      if (reply && reply.t === 'res') return reply;
      if (performance.now() - started > withinMs) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`no reply to ${method} within ${withinMs} ms`);
  }

  events(name: string): unknown[] {
    return this.messages
      .filter((m) => m.t === 'evt' && m.event === name)
      .map((m) => (m.t === 'evt' ? m.data : null));
  }
}
