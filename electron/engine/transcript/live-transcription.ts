/**
 * Turns the two legs of a live call into transcript segments. When the phone
 * reports a call connected, a recognition stream is opened per leg (caller,
 * agent); audio frames of that leg go to it; partial and final results become
 * segments with times relative to the call's start, streamed to the renderer
 * and (finals) stored. The bot's own words are added as "bot" segments by
 * whoever speaks them.
 *
 * It talks to recognition through SpeechBackend, so the speech process can
 * crash and come back without this class noticing more than a status change.
 *
 * A call's end does not cut its transcript short: the caller who hangs up
 * right after a sentence has not paused long enough for it to end as a
 * turn, so the sentence is still open (a partial, "vorläufig" on screen).
 * Closing the streams flushes it; that last final comes after the hang-up
 * and takes the way of every final (screen, store, bot). The call waits for
 * it, bounded (finalWaitMs), then closes its transcript.
 */
import crypto from 'node:crypto';
import {
  callTagOf,
  legSchema,
  type BotLineAnswer,
  type Leg,
  type RecognizedWord,
  type SpeechStatus,
  type TranscriptSegment,
} from '../../contract';
import { KeyToneGate } from '../audio/key-tone-gate';
import type { TranscriptStore } from './transcript-store';

/** What LiveTranscription needs from the speech engine. */
export interface SpeechBackend {
  readonly status: SpeechStatus;
  /** The speech process's pid while one runs. */
  readonly workerPid?: number | undefined;
  /** startMs: the stream time it starts at (a call taken up again after an engine restart). */
  openStream(streamId: string, options?: { startMs?: number }): void;
  /** Endpointing for the next turn of an open stream (optional: not every backend tunes). */
  configureStream?(
    streamId: string,
    options: { endpoint?: { silenceMs?: number; completeSilenceMs?: number } },
  ): void;
  pushAudio(streamId: string, samples: Int16Array): void;
  /**
   * Ends the stream. A turn still open is flushed and arrives as a final
   * before this resolves; resolves as well when none will come (the speech
   * process died, or had nothing of the stream). Never rejects.
   */
  closeStream(streamId: string): Promise<void>;
  onStatus(listener: (status: SpeechStatus) => void): () => void;
  /** Stream times are milliseconds of audio of that stream. */
  onPartial(
    listener: (event: { streamId: string; text: string; startMs: number; endMs: number }) => void,
  ): () => void;
  onFinal(
    listener: (event: {
      streamId: string;
      text: string;
      startMs: number;
      endMs: number;
      words: RecognizedWord[];
    }) => void,
  ): () => void;
}

interface LiveCall {
  callId: string;
  /** callTagOf(callId): what the call's audio frames carry. */
  tag: string;
  /** performance.now() at connect: the transcript's zero. */
  startedAt: number;
  /** Per leg, the turn shown only as partials so far: its final shares its segment id. */
  openSegment: Partial<Record<StreamLeg, OpenTurn>>;
  /** The caller's keys taken out of their audio (RFC 4733 events play out as tones). */
  keyTones: KeyToneGate;
}

/** A turn that has partials but no final yet. */
interface OpenTurn {
  segmentId: string;
  /** The newest partial. */
  text: string;
  startMs: number;
  endMs: number;
}

/** A call that has ended, while its streams' last finals are awaited. */
interface EndingCall {
  call: LiveCall;
  /** Resolves when its transcript is complete and closed. */
  done: Promise<void>;
}

export interface LiveTranscriptionOptions {
  /**
   * How long an ended call waits for the last finals its streams flush on
   * close (default 5 s). Past it the call's transcript is closed anyway: a
   * speech process that died or hangs must not keep it open.
   */
  finalWaitMs?: number;
  /**
   * Keys the caller pressed, found as tones in their audio (a phone's RFC
   * 4733 events arrive that way, old phones send tones); the tones
   * themselves never reach the recogniser.
   */
  keys?: (callId: string, digits: string) => void;
}

/**
 * Calls transcribed at once at most: the agent's line(s) and the bot lines.
 * A call never reported ended must not keep its streams forever: past this,
 * the one connected longest ago is closed.
 */
export const MAX_LIVE_CALLS = 32;

/** Longer ago than this, a reported answer time is not believed (a day). */
const MAX_CALL_MS = 24 * 60 * 60 * 1000;

/**
 * Default wait for the last finals: a flush takes milliseconds; a hung
 * speech process is found by its heartbeat (about 3 s) and its closes end then.
 */
const FINAL_WAIT_MS = 5_000;

/** The legs that are transcribed: the caller's and the agent's (the bot's words come as text). */
const STREAM_LEGS = legSchema.extract(['caller', 'agent']).options;
type StreamLeg = (typeof STREAM_LEGS)[number];

export class LiveTranscription {
  /** The live calls, in the order they connected. */
  private readonly calls = new Map<string, LiveCall>();
  /** Call ids by the tag their audio frames carry. */
  private readonly byTag = new Map<string, string>();
  /**
   * The call the agent's screen is on: untagged audio (an older renderer),
   * announcements and the call time are its. The latest call connected, or
   * after it ended the latest one still live.
   */
  private foreground?: LiveCall;
  /** Ended calls whose last finals are still awaited, by call id. */
  private readonly ending = new Map<string, EndingCall>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly finalWaitMs: number;
  private readonly keys: LiveTranscriptionOptions['keys'];

  constructor(
    private readonly speech: SpeechBackend,
    private readonly store: TranscriptStore,
    private readonly emit: (segment: TranscriptSegment) => void,
    private readonly now: () => number = () => performance.now(),
    private readonly epochNow: () => number = () => Date.now(),
    options: LiveTranscriptionOptions = {},
  ) {
    this.finalWaitMs = options.finalWaitMs ?? FINAL_WAIT_MS;
    this.keys = options.keys;
    this.unsubscribe.push(
      speech.onPartial((e) =>
        this.result(e.streamId, e.text, e.startMs, e.endMs, false, undefined),
      ),
      speech.onFinal((e) => this.result(e.streamId, e.text, e.startMs, e.endMs, true, e.words)),
    );
  }

  get status(): SpeechStatus {
    return this.speech.status;
  }

  get workerPid(): number | undefined {
    return this.speech.workerPid;
  }

  get currentCallId(): string | undefined {
    return this.foreground?.callId;
  }

  /** Whether frames with this tag (or untagged ones) belong to the foreground call. */
  isForeground(tag: string | undefined): boolean {
    return tag === undefined || tag === this.foreground?.tag;
  }

  /**
   * The call is connected: its legs are transcribed from now on. With
   * `connectedAt` (epoch ms, the phone's answer time) the transcript's zero
   * is then, not now: a call the phone reports again to a restarted engine
   * goes on at its own time instead of starting over at 0:00. Other live
   * calls (a held call, the bot's other lines) go on being transcribed.
   */
  callConnected(callId: string, connectedAt?: number): void {
    const known = this.calls.get(callId);
    if (known) {
      this.foreground = known;
      return;
    }
    if (this.ending.has(callId)) return;
    if (this.calls.size >= MAX_LIVE_CALLS) {
      const oldest = this.calls.keys().next().value;
      if (oldest !== undefined) void this.callEnded(oldest);
    }
    const sinceMs =
      connectedAt === undefined
        ? 0
        : Math.min(Math.max(0, this.epochNow() - connectedAt), MAX_CALL_MS);
    const call: LiveCall = {
      callId,
      tag: callTagOf(callId),
      startedAt: this.now() - sinceMs,
      openSegment: {},
      keyTones: new KeyToneGate(),
    };
    this.calls.set(callId, call);
    this.byTag.set(call.tag, callId);
    this.foreground = call;
    for (const leg of STREAM_LEGS)
      this.speech.openStream(
        streamId(callId, leg),
        ...(sinceMs > 0 ? [{ startMs: Math.round(sinceMs) }] : []),
      );
  }

  /**
   * The call is over: no more audio of it is taken, its streams are closed
   * and what they flush (the sentence the caller was in the middle of) is
   * still published and stored as the call's. Resolves when the call's
   * transcript is complete and closed: once both streams are, or after
   * finalWaitMs; a turn whose final did not come by then is kept as its
   * newest partial (final, confidence unknown), so no line stays
   * "vorläufig" and the stored transcript has it. Never rejects.
   */
  callEnded(callId: string): Promise<void> {
    const ending = this.ending.get(callId);
    if (ending) return ending.done;
    const call = this.calls.get(callId);
    if (!call) return Promise.resolve();
    this.calls.delete(callId);
    this.byTag.delete(call.tag);
    if (this.foreground === call) this.foreground = [...this.calls.values()].at(-1);
    for (const frame of call.keyTones.flush()) {
      this.speech.pushAudio(streamId(callId, 'caller'), frame);
    }
    const closed = Promise.all(
      STREAM_LEGS.map((leg) =>
        this.speech.closeStream(streamId(callId, leg)).catch(() => undefined),
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.finalWaitMs);
      timer.unref?.();
    });
    const done = Promise.race([closed, waited])
      .then(() => {
        clearTimeout(timer);
        this.ending.delete(callId);
        try {
          this.keepOpenTurns(call);
        } finally {
          this.store.close(callId);
        }
      })
      // A failing segment listener is its own problem (publish stored the line first).
      .catch(() => undefined);
    this.ending.set(callId, { call, done });
    return done;
  }

  /**
   * A frame of a call's leg: the call its tag names, or (untagged) the
   * foreground call. A tag of no live call is dropped.
   */
  audio(leg: Leg, samples: Int16Array, tag?: string): void {
    const call = tag === undefined ? this.foreground : this.calls.get(this.byTag.get(tag) ?? '');
    if (!call || (leg !== 'caller' && leg !== 'agent')) return;
    if (leg === 'agent') {
      // Only the call the agent talks in has their microphone: it is the
      // foreground call, whichever bot line connected last.
      this.foreground = call;
      this.speech.pushAudio(streamId(call.callId, leg), samples);
      return;
    }
    const { forward, digits } = call.keyTones.push(samples);
    for (const frame of forward) this.speech.pushAudio(streamId(call.callId, leg), frame);
    if (digits.length > 0) this.keys?.(call.callId, digits.join(''));
  }

  /** How long a pause ends the caller's next turn (set by the bot per question). */
  tuneCaller(callId: string, silenceMs: number, completeSilenceMs = 0): void {
    if (!this.calls.has(callId)) return;
    this.speech.configureStream?.(streamId(callId, 'caller'), {
      endpoint: { silenceMs, completeSilenceMs },
    });
  }

  /**
   * The bot said something (its text is known, no recognition needed), with
   * what in it answered the caller (null: only its fixed prompts).
   */
  botSaid(
    callId: string,
    text: string,
    startedAt: number,
    endedAt: number,
    answer: BotLineAnswer | null = null,
  ): void {
    this.spoken(this.calls.get(callId), 'bot', text, startedAt, endedAt, { answer });
  }

  /**
   * The engine's voice spoke an announcement the caseworker typed: their
   * words in the call (speaker 'agent', marked as an announcement), not the bot's.
   */
  announced(text: string, startedAt: number, endedAt: number): void {
    this.spoken(this.foreground, 'agent', text, startedAt, endedAt, { announcement: true });
  }

  /**
   * A caller line that was not recognised (the practice's scripted caller):
   * the script's text without a speech model, or the keys it pressed. Shown
   * and stored as a final caller line marked with its source.
   */
  callerScripted(
    callId: string,
    text: string,
    source: 'script' | 'keys',
    startedAt: number,
    endedAt: number,
  ): void {
    const call = this.calls.get(callId);
    if (!call || !text.trim()) return;
    this.publish({
      callId,
      segmentId: crypto.randomUUID(),
      speaker: 'caller',
      text: text.trim(),
      startMs: Math.max(0, startedAt - call.startedAt),
      endMs: Math.max(0, endedAt - call.startedAt),
      confidence: null,
      final: true,
      source,
    });
  }

  /** Milliseconds since the foreground call connected. */
  callTime(): number {
    return this.foreground ? this.now() - this.foreground.startedAt : 0;
  }

  dispose(): void {
    this.unsubscribe.forEach((u) => u());
  }

  private result(
    id: string,
    text: string,
    startMs: number,
    endMs: number,
    final: boolean,
    words: RecognizedWord[] | undefined,
  ): void {
    const parsed = parseStreamId(id);
    if (!parsed) return;
    // A live call's, or the last finals of one that has just ended.
    const call = this.calls.get(parsed.callId) ?? this.ending.get(parsed.callId)?.call;
    if (!call) return;
    const trimmed = text.trim();
    const open = call.openSegment[parsed.leg];
    if (!trimmed) {
      // An empty final closes an empty turn; an empty partial says nothing.
      if (final) delete call.openSegment[parsed.leg];
      return;
    }
    const segmentId = open?.segmentId ?? crypto.randomUUID();
    if (final) delete call.openSegment[parsed.leg];
    else call.openSegment[parsed.leg] = { segmentId, text: trimmed, startMs, endMs };
    const confidence =
      words && words.length > 0 ? words.reduce((s, w) => s + w.conf, 0) / words.length : null;
    this.publish({
      callId: call.callId,
      segmentId,
      speaker: parsed.leg,
      text: trimmed,
      startMs,
      endMs,
      confidence,
      final,
      ...(words ? { words } : {}),
    });
  }

  /** An ended call's turns whose final did not come: the newest partial is what was recognised. */
  private keepOpenTurns(call: LiveCall): void {
    for (const leg of STREAM_LEGS) {
      const turn = call.openSegment[leg];
      if (!turn) continue;
      delete call.openSegment[leg];
      this.publish({
        callId: call.callId,
        segmentId: turn.segmentId,
        speaker: leg,
        text: turn.text,
        startMs: turn.startMs,
        endMs: turn.endMs,
        confidence: null,
        final: true,
      });
    }
  }

  private spoken(
    call: LiveCall | undefined,
    speaker: 'bot' | 'agent',
    text: string,
    startedAt: number,
    endedAt: number,
    marks: Pick<TranscriptSegment, 'answer' | 'announcement'>,
  ): void {
    if (!call) return;
    this.publish({
      callId: call.callId,
      segmentId: crypto.randomUUID(),
      speaker,
      text,
      startMs: Math.max(0, startedAt - call.startedAt),
      endMs: Math.max(0, endedAt - call.startedAt),
      confidence: 1,
      final: true,
      ...marks,
    });
  }

  private publish(segment: TranscriptSegment): void {
    const stamped = { ...segment, publishedAt: performance.timeOrigin + performance.now() };
    this.store.add(stamped);
    this.emit(stamped);
  }
}

export function streamId(callId: string, leg: StreamLeg): string {
  return `${leg}|${callId}`;
}

function parseStreamId(id: string): { leg: StreamLeg; callId: string } | undefined {
  const bar = id.indexOf('|');
  const leg = id.slice(0, bar);
  if (bar < 0 || (leg !== 'caller' && leg !== 'agent')) return undefined;
  return { leg, callId: id.slice(bar + 1) };
}
