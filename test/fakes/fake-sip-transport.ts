/**
 * An in-process sip.js Transport fake (the kind sip.js's own tests use): it
 * keeps sip.js's transport state machine (disconnected → connecting →
 * connected → disconnecting → disconnected, onConnect / onDisconnect exactly
 * on entering / leaving "connected") and carries SIP text to and from a
 * FakeSipServer instead of a WebSocket (RFC 7118). Messages travel in a
 * microtask, so nothing is delivered inside the call that sent it – as
 * with a socket. Never used by the app.
 */
import { EmitterImpl, TransportState, type Emitter, type Transport } from 'sip.js';

/** The far side of the fake wire: what a FakeSipTransport connects to. */
export interface FakeSipWire {
  /** False: connect() fails as a refused WebSocket would. */
  readonly reachable: boolean;
  attach(transport: FakeSipTransport): void;
  detach(transport: FakeSipTransport): void;
  /** A SIP message the user agent sent. */
  receive(message: string, from: FakeSipTransport): void;
}

export class FakeSipTransport implements Transport {
  readonly protocol = 'WS';
  onConnect: (() => void) | undefined;
  onDisconnect: ((error?: Error) => void) | undefined;
  onMessage: ((message: string) => void) | undefined;
  private current: TransportState = TransportState.Disconnected;
  private readonly emitter = new EmitterImpl<TransportState>();

  constructor(private readonly wire: FakeSipWire) {}

  get state(): TransportState {
    return this.current;
  }

  get stateChange(): Emitter<TransportState> {
    return this.emitter;
  }

  isConnected(): boolean {
    return this.current === TransportState.Connected;
  }

  async connect(): Promise<void> {
    if (this.current === TransportState.Connected) return;
    if (this.current !== TransportState.Connecting) this.transition(TransportState.Connecting);
    // A socket answers later, never inside connect().
    await Promise.resolve();
    if (this.current !== TransportState.Connecting) throw new Error('connect aborted');
    if (!this.wire.reachable) {
      const error = new Error('connection refused');
      this.transition(TransportState.Disconnected, error);
      throw error;
    }
    this.wire.attach(this);
    this.transition(TransportState.Connected);
  }

  async disconnect(): Promise<void> {
    if (this.current === TransportState.Disconnected) return;
    if (this.current !== TransportState.Disconnecting)
      this.transition(TransportState.Disconnecting);
    this.wire.detach(this);
    await Promise.resolve();
    if (this.current === TransportState.Disconnecting) this.transition(TransportState.Disconnected);
  }

  async dispose(): Promise<void> {
    await this.disconnect();
  }

  send(message: string): Promise<void> {
    if (!this.isConnected()) return Promise.reject(new Error('transport not connected'));
    queueMicrotask(() => this.wire.receive(message, this));
    return Promise.resolve();
  }

  /** Server side: a message for the user agent. Lost if the connection is gone. */
  deliver(message: string): void {
    queueMicrotask(() => {
      if (this.isConnected()) this.onMessage?.(message);
    });
  }

  /** Server side: the connection breaks (server gone, network down). */
  lose(error = new Error('WebSocket closed')): void {
    if (!this.isConnected()) return;
    this.wire.detach(this);
    this.transition(TransportState.Disconnected, error);
  }

  private transition(next: TransportState, error?: Error): void {
    const previous = this.current;
    this.current = next;
    this.emitter.emit(next);
    if (next === TransportState.Connected) this.onConnect?.();
    if (previous === TransportState.Connected) this.onDisconnect?.(error);
  }
}
