/**
 * Between the caller's audio and the recogniser: keys out, speech through.
 *
 * Every 20 ms frame of the caller's leg passes the DTMF detector. A frame in
 * which a key's tones begin to show is held back (at most a few frames)
 * until the detector has decided: a key → the held frames and every frame
 * while the key sounds (and a short tail for the tone's fade) go on as
 * silence, so the recogniser never hears a key as a word and keeps its
 * timing. What looked like a key but did not last long enough to count (a
 * tone chopped by a busy machine's play-out) goes on as silence too: two
 * DTMF tones holding most of a frame's energy are not speech. Speech that
 * never looks like a key passes at once and unchanged, so turn latency does
 * not grow. The keys themselves come out as `digits`.
 */
import { DtmfDetector, type DtmfOptions } from './dtmf-detector';

export interface GateOutput {
  /** Frames for the recogniser, in order (silence where a key sounded). */
  forward: Int16Array[];
  /** Keys pressed in this frame. */
  digits: string[];
}

/**
 * A frame rising from digital silence to a faint level (a tone's fade-in
 * measured at −45 dBFS) is held like a suspect one: if a key follows, it was
 * the key's beginning. Real lines have a noise floor above the lower bound,
 * so this costs their speech nothing.
 */
const SILENCE_DBFS = -60;
const FAINT_DBFS = -40;
/** Frames held at most while the detector decides (the confirmation takes 40–60 ms). */
const MAX_HELD = 4;
/** Frames silenced after a key's tone ends: its fade, and the jitter buffer's concealment of it on a busy machine (100 ms). */
const TAIL_FRAMES = 5;

export class KeyToneGate {
  private readonly detector: DtmfDetector;
  /** Frames held while the detector decides; `keyLike` when the detector itself suspected a key. */
  private held: { frame: Int16Array; keyLike: boolean }[] = [];
  private tail = 0;
  private previousDbfs = -Infinity;

  constructor(options: DtmfOptions = {}) {
    this.detector = new DtmfDetector(options);
  }

  push(frame: Int16Array): GateOutput {
    const steps = this.detector.push(frame);
    const digits = steps.flatMap((s) => (s.pressed === null ? [] : [s.pressed]));
    const active = steps.some((s) => s.active);
    const dbfs = levelDbfs(frame);
    const risingFromSilence =
      this.previousDbfs < SILENCE_DBFS && dbfs >= SILENCE_DBFS && dbfs < FAINT_DBFS;
    this.previousDbfs = dbfs;
    const keyLike = steps.some((s) => s.suspect);
    if (active || digits.length > 0) {
      // A key: what was held was its beginning.
      const forward = [...this.held.map((h) => h.frame), frame].map(silenceLike);
      this.held = [];
      this.tail = TAIL_FRAMES;
      return { forward, digits };
    }
    if (keyLike || risingFromSilence) {
      this.held.push({ frame, keyLike });
      const forward = this.held.length > MAX_HELD ? this.held.splice(0, 1).map(released) : [];
      return { forward, digits };
    }
    // Refuted: frames the detector took for a key's tones go on as silence;
    // a frame held only because it rose from silence was a word's onset and
    // goes on unchanged (silencing it would clip every word's first 20 ms).
    const forward = [...this.held.map(released), frame];
    this.held = [];
    if (this.tail > 0) {
      this.tail--;
      return { forward: forward.map(silenceLike), digits };
    }
    return { forward, digits };
  }

  /** Whatever is still held (the call ends): key-like frames as silence, the rest unchanged. */
  flush(): Int16Array[] {
    const held = this.held.map(released);
    this.held = [];
    return held;
  }
}

function released(held: { frame: Int16Array; keyLike: boolean }): Int16Array {
  return held.keyLike ? silenceLike(held.frame) : held.frame;
}

function silenceLike(frame: Int16Array): Int16Array {
  return new Int16Array(frame.length);
}

function levelDbfs(frame: Int16Array): number {
  let sum = 0;
  for (const sample of frame) sum += sample * sample;
  return 10 * Math.log10(sum / (frame.length * 32768 * 32768) + 1e-12);
}
