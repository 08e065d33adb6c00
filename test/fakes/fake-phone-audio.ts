/**
 * Fakes for what the softphone drives besides SIP: the audio path (one
 * outgoing stream per call, the caller tap, mute, release), tones (ringtone,
 * call-waiting tone) and the engine's `phone.report` requests. They record
 * what happened, so a unit test can say "the bot's call started with the
 * microphone off" or "the ringtone stopped". Media streams and tracks are
 * the few members the phone uses, without WebRTC. Never used by the app.
 */
import { z } from 'zod';
import { requestSchemas, type Params } from '../../electron/contract';

export class FakeMediaTrack {
  readonly kind = 'audio';
  enabled = true;
  stopped = false;
  constructor(readonly label: string) {}
  stop(): void {
    this.stopped = true;
  }
}

export class FakeMediaStream extends EventTarget {
  private readonly tracks: FakeMediaTrack[];
  constructor(tracks: FakeMediaTrack[] = []) {
    super();
    this.tracks = [...tracks];
  }
  getAudioTracks(): FakeMediaTrack[] {
    return [...this.tracks];
  }
  getTracks(): FakeMediaTrack[] {
    return [...this.tracks];
  }
  addTrack(track: FakeMediaTrack): void {
    this.tracks.push(track);
  }
  removeTrack(track: FakeMediaTrack): void {
    const index = this.tracks.indexOf(track);
    if (index >= 0) this.tracks.splice(index, 1);
  }
}

/** The audio path as the phone sees it (SipPhoneDeps.audio). */
export class FakePhoneAudio {
  /**
   * One entry per outgoing stream made: was the agent's microphone off from
   * the start, and which call's engine audio plays into it?
   */
  readonly outgoing: { muted: boolean; callId?: string; stream: FakeMediaStream }[] = [];
  /** Remote streams tapped as the caller leg, in order. */
  readonly tapped: FakeMediaStream[] = [];
  readonly muted: boolean[] = [];
  releases = 0;

  async ensure(): Promise<AudioContext> {
    return {} as AudioContext;
  }

  async createOutgoingStream(
    options: { muted?: boolean; callId?: string } = {},
  ): Promise<MediaStream> {
    const stream = new FakeMediaStream([new FakeMediaTrack(`mic-${this.outgoing.length + 1}`)]);
    this.outgoing.push({
      muted: options.muted === true,
      ...(options.callId === undefined ? {} : { callId: options.callId }),
      stream,
    });
    return stream as unknown as MediaStream;
  }

  async attachRemote(stream: MediaStream): Promise<void> {
    this.tapped.push(stream as unknown as FakeMediaStream);
  }

  setMuted(muted: boolean): void {
    this.muted.push(muted);
  }

  releaseCall(): void {
    this.releases++;
  }
}

export class FakeTone {
  playing = false;
  starts = 0;
  start(): void {
    this.playing = true;
    this.starts++;
  }
  stop(): void {
    this.playing = false;
  }
}

type Report = Params<'phone.report'>;
type CallReport = Extract<Report, { kind: 'call' }>;

/**
 * The engine as far as the phone reports to it (SipPhoneDeps.client). Like
 * the engine, it checks each report against the contract's schema: one that
 * breaks it is refused (and kept in `rejected`), not recorded.
 */
export class FakeEngineReports {
  readonly reports: Report[] = [];
  /** Reports the contract refused, with the engine's message. */
  readonly rejected: { params: unknown; message: string }[] = [];
  /** While set, every report fails as if the engine had gone away. */
  unreachable = false;

  readonly request = (async (method: string, params: unknown) => {
    if (method !== 'phone.report') return {};
    if (this.unreachable) throw new Error('engine went away during phone.report');
    const parsed = requestSchemas['phone.report'].params.safeParse(params);
    if (!parsed.success) {
      const message = `invalid parameters for phone.report: ${z.prettifyError(parsed.error)}`;
      this.rejected.push({ params: structuredClone(params), message });
      throw new Error(message);
    }
    this.reports.push(structuredClone(params) as Report);
    return {};
  }) as never;

  /** Call reports, optionally for one Call-ID. */
  calls(callId?: string): CallReport[] {
    return this.reports.filter(
      (r): r is CallReport => r.kind === 'call' && (callId === undefined || r.callId === callId),
    );
  }

  /** Lines as the engine logs them: "registration failed: …", "call … ended: …". */
  lines(): string[] {
    return this.reports.map((r) =>
      r.kind === 'library'
        ? `sip.js ${r.level}: ${r.text}`
        : r.kind === 'registration'
          ? `registration ${r.state}${r.reason ? `: ${r.reason}` : ''}`
          : `call ${r.callId} ${r.state}${r.reason ? `: ${r.reason}` : ''}`,
    );
  }
}
