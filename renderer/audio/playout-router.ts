/**
 * Where the engine's audio goes: which play-out, if any, takes a frame. It
 * is keyed by call: the call that owns the audio path (the one the agent
 * talks in) has an id, and the engine tags what it speaks into a call with
 * that call's tag (electron/contract/audio-frame.ts). A frame tagged for
 * any other call – a bot whose call ended, a playback that outlived its
 * call, a held call's bot – is dropped and counted, never played: audio for
 * one caller can never be heard by another.
 *
 *   practice call running:  bot voice (outgoing) → the practice play-out,
 *                           scripted caller (caller) → the caller play-out,
 *                           if untagged or tagged for the practice call
 *   a call owns the path:   outgoing frames tagged for it, or untagged
 *                           (an older engine, a request that named no call)
 *   otherwise:              dropped (nothing is queued for the next call)
 *
 * Until the desk knows the practice call's id (its start request is still
 * under way while the bot already greets) the practice takes any tag: no
 * SIP call runs beside a practice call on this desk.
 */
import { callTagOf, type AudioFrame } from '../../electron/contract';

export type PlayoutTarget = 'call' | 'practice-bot' | 'practice-caller';

/** Why a frame was not played. */
export type DropReason = 'other-call' | 'no-call' | 'leg';

export class PlayoutRouter {
  private call?: { id: string | undefined; tag: string | undefined };
  private practice?: { tag: string | undefined };
  private readonly counts: Record<DropReason, number> = { 'other-call': 0, 'no-call': 0, leg: 0 };

  constructor(
    /** Told about every dropped frame (the audio path logs the first of each call). */
    private readonly onDrop: (reason: DropReason, frame: AudioFrame) => void = () => {},
  ) {}

  /** Call `callId` owns the audio path from now on (undefined: a call without a known id). */
  callStarted(callId: string | undefined): void {
    this.call = { id: callId, tag: callId === undefined ? undefined : callTagOf(callId) };
  }

  /** No call owns the audio path any more. */
  callReleased(): void {
    this.call = undefined;
  }

  get currentCallId(): string | undefined {
    return this.call?.id;
  }

  practiceStarted(): void {
    this.practice = { tag: undefined };
  }

  /** The practice call's id is known: from now on only its frames play. */
  practiceCall(callId: string): void {
    if (this.practice) this.practice.tag = callTagOf(callId);
  }

  practiceStopped(): void {
    this.practice = undefined;
  }

  /** Frames dropped so far, in all and by reason. */
  get dropped(): { total: number } & Record<DropReason, number> {
    const { counts } = this;
    return { total: counts['other-call'] + counts['no-call'] + counts.leg, ...counts };
  }

  /** Where `frame` plays; undefined: nowhere (dropped and counted). */
  route(frame: AudioFrame): PlayoutTarget | undefined {
    const practice = this.practice;
    if (practice) {
      if (frame.leg === 'agent') return this.drop('leg', frame);
      if (
        frame.callTag !== undefined &&
        practice.tag !== undefined &&
        frame.callTag !== practice.tag
      )
        return this.drop('other-call', frame);
      return frame.leg === 'caller' ? 'practice-caller' : 'practice-bot';
    }
    if (frame.leg !== 'outgoing') return this.drop('leg', frame);
    const call = this.call;
    if (!call) return this.drop('no-call', frame);
    if (frame.callTag !== undefined && frame.callTag !== call.tag)
      return this.drop('other-call', frame);
    return 'call';
  }

  private drop(reason: DropReason, frame: AudioFrame): undefined {
    this.counts[reason]++;
    this.onDrop(reason, frame);
    return undefined;
  }
}
