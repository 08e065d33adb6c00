/**
 * Between the caller's audio and the recogniser: keys out, speech through.
 *
 * Every 20 ms frame of the caller's leg passes the DTMF detector. A frame in
 * which a key's tones begin to show is held back (at most a few frames)
 * until the detector has decided: a key → the held frames and every frame
 * while the key sounds (and a short tail for the tone's fade) go on as
 * silence, so the recogniser never hears a key as a word and keeps its
 * timing. What the full test saw as a key's two tones but did not last long
 * enough to count (a tone chopped by a busy machine's play-out) goes on as
 * silence too. Speech goes on unchanged: at once, or — where the quick onset
 * test suspected a key (deep voices now and then) or a word rose out of
 * digital silence — up to 120 ms later, as it was. The end of a turn is never
 * held, so turn latency does not grow. The keys come out as `digits`.
 */
import { DtmfDetector, type DtmfOptions } from './dtmf-detector';

export interface GateOutput {
  /** Frames for the recogniser, in order (silence where a key sounded). */
  forward: Int16Array[];
  /** Keys pressed in this frame. */
  digits: string[];
}

/**
 * A frame rising from digital silence is held like a suspect one, whatever
 * its level: a key's tones may begin at full level in the middle of a frame
 * (10 ms of tone are too little for the detector's windows) or fade in
 * faintly (measured at −45 dBFS). If a key follows, it was the key's
 * beginning. Digital silence is what a phone sends between keys; real lines
 * with speech have a noise floor above it, so their speech never waits.
 */
const SILENCE_DBFS = -60;
/**
 * Frames held at most while the detector decides: its windows fill in about
 * 40 ms and a key is confirmed 30 ms later, so a key's first frames are
 * still held when it is confirmed (120 ms).
 */
const MAX_HELD = 6;
/**
 * After a frame rising from silence, the frames that follow it are watched
 * this long (40 ms): a key's tones need a frame or two to show in the
 * detector's windows. Nothing key-like by then: a word began, and every
 * held frame goes on unchanged.
 */
const ONSET_WATCH_FRAMES = 2;
/** Frames silenced after a key's tone ends: its fade, and the jitter buffer's concealment of it on a busy machine (100 ms). */
const TAIL_FRAMES = 5;

export class KeyToneGate {
  private readonly detector: DtmfDetector;
  /** Frames held while the detector decides; `keyLike` when the detector itself suspected a key. */
  private held: { frame: Int16Array; keyLike: boolean }[] = [];
  private tail = 0;
  private watch = 0;
  private previousDbfs = -Infinity;

  constructor(options: DtmfOptions = {}) {
    this.detector = new DtmfDetector(options);
  }

  push(frame: Int16Array): GateOutput {
    const steps = this.detector.push(frame);
    const digits = steps.flatMap((s) => (s.pressed === null ? [] : [s.pressed]));
    const active = steps.some((s) => s.active);
    const dbfs = levelDbfs(frame);
    const risingFromSilence = this.previousDbfs < SILENCE_DBFS && dbfs >= SILENCE_DBFS;
    this.previousDbfs = dbfs;
    // Held while the detector looks (its quick onset test, which voiced
    // speech passes now and then); silenced if refuted only where the full
    // test saw a key's two tones (a tone too short to count, chopped by a
    // busy play-out): speech the onset test merely suspected goes on as it is.
    const suspect = steps.some((s) => s.suspect);
    const keyLike = steps.some((s) => s.candidate !== null);
    if (active || digits.length > 0) {
      // A key: what was held was its beginning.
      const forward = [...this.held.map((h) => h.frame), frame].map(silenceLike);
      this.held = [];
      this.tail = TAIL_FRAMES;
      return { forward, digits };
    }
    if (suspect || risingFromSilence) {
      if (risingFromSilence) this.watch = ONSET_WATCH_FRAMES;
      return { forward: this.hold(frame, keyLike), digits };
    }
    if (this.watch > 0 && this.held.length > 0) {
      // Just after an onset out of silence: a key may still show.
      this.watch--;
      return { forward: this.hold(frame, false), digits };
    }
    this.watch = 0;
    // Refuted. What the detector took for a key's tones was one (a tone
    // chopped by a busy play-out): everything held goes on as silence, its
    // faint onset included. Otherwise a word began out of silence: all of it
    // goes on unchanged (silencing a word's first frames makes the recogniser
    // hear other words).
    const keyish = this.held.some((h) => h.keyLike);
    const forward = [...this.held.map((h) => (keyish ? silenceLike(h.frame) : h.frame)), frame];
    this.held = [];
    if (this.tail > 0) {
      this.tail--;
      return { forward: forward.map(silenceLike), digits };
    }
    return { forward, digits };
  }

  private hold(frame: Int16Array, keyLike: boolean): Int16Array[] {
    this.held.push({ frame, keyLike });
    // Held too long: the oldest goes on (as silence when key-like).
    return this.held.length > MAX_HELD ? this.held.splice(0, 1).map(released) : [];
  }

  /** Whatever is still held (the call ends): as silence when any of it was key-like. */
  flush(): Int16Array[] {
    const keyish = this.held.some((h) => h.keyLike);
    const held = this.held.map((h) => (keyish ? silenceLike(h.frame) : h.frame));
    this.watch = 0;
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
