/**
 * Keys in the caller's audio: a DTMF detector after ITU-T Q.23/Q.24.
 *
 * Why it exists: a phone or gateway sends its keys as RFC 4733
 * telephone-events by default, and WebRTC does not hand those events to
 * JavaScript: Chromium plays them out as tones in the remote audio. So the
 * keys are found where they arrive, in the audio, and never reach the
 * recogniser as "words" (key-tone-gate.ts). The same detector takes in-band
 * tones from old phones. No well-kept npm package detects DTMF to Q.24's
 * tolerances (the packages found are a bare Goertzel filter or a 0.0.1 toy),
 * so this is written here, from the standard:
 *
 * - one Goertzel filter per DTMF frequency, each over its own window (about
 *   25 periods of the frequency's 4 % band: 36 ms at 697 Hz, 15 ms at
 *   1633 Hz), evaluated every 10 ms over the latest samples. A tone within
 *   ±1.5 % keeps ≥ 60 % of its power in its filter, a tone ≥ 3.5 % off
 *   keeps < 6 %: Q.24's "operate"/"non-operate" frequency limits.
 * - a pair is a key only if the two tones carry most of the window's energy
 *   (talk-off protection: speech spreads its energy), each stands clearly
 *   above the other tones of its group, the twist is within +8/−4 dB
 *   (high group weaker/stronger than the low group) and each tone is above
 *   a minimum level.
 * - a key counts after it held for 40 ms (shorter bursts are rejected, as
 *   Q.24 asks for signals under ~23 ms); a dropout of 10 ms inside it does
 *   not break it (Q.24: interruptions up to 10 ms are not a pause — a busy
 *   machine's play-out inserts such gaps); it ends after 30 ms without it, so
 *   keys separated by Q.24's 40 ms pause are told apart and one long press
 *   is one key.
 */

/** The keypad: rows × columns, in frequency order. */
const ROWS = [697, 770, 852, 941] as const;
const COLUMNS = [1209, 1336, 1477, 1633] as const;
const KEYS = ['123A', '456B', '789C', '*0#D'] as const;

export interface DtmfOptions {
  /** Samples per second of the audio pushed. Default 16,000. */
  sampleRate?: number;
  /** How long a key must hold before it counts, ms. Default 40. */
  minToneMs?: number;
  /** How long without the key ends it, ms. Default 30. */
  minGapMs?: number;
  /** Quietest tone taken as a key, dBFS per tone (RMS). Default −42. */
  minLevelDbfs?: number;
}

/** What the detector decided for one 10 ms step. */
export interface DtmfStep {
  /** The key whose tones are in this step's windows (not yet confirmed), or null. */
  candidate: string | null;
  /** The key confirmed in this step (once per press), or null. */
  pressed: string | null;
  /** A confirmed key is sounding. */
  active: boolean;
  /**
   * The latest 10 ms may be the start of a key: two DTMF tones hold most of
   * their energy (a quick, loose test on a short window, which a key passes
   * from its first 10 ms on; the full test needs its windows filled first).
   */
  suspect: boolean;
}

const HOP_MS = 10;
/** Steps without the key that do not break it (a 10 ms dropout). */
const MAX_DROPOUT_STEPS = 1;
/** The window per filter: this many Hz of the band around the tone's frequency per 100 Hz. */
const BAND = 0.04;
/** The quick onset test: its window (ms) and the share the two tones hold in it. */
const ONSET_MS = 10;
const ONSET_PAIR_SHARE = 0.6;
/**
 * The quietest tone the onset test holds back (dBFS): far below a key's
 * minimum, because a key's fade-in (−45 dBFS in its first 20 ms, measured
 * in a call) must not reach the recogniser either.
 */
const ONSET_MIN_LEVEL_DBFS = -65;
/** Share of the window's energy the two tones must hold together. */
const MIN_PAIR_SHARE = 0.5;
/** Share each tone must hold on its own. */
const MIN_TONE_SHARE = 0.08;
/** The strongest tone of a group must be this many times the next one. */
const GROUP_MARGIN = 4;
const MAX_NORMAL_TWIST = 10 ** (8 / 10); // low group up to 8 dB stronger
const MAX_REVERSE_TWIST = 10 ** (4 / 10); // high group up to 4 dB stronger

interface Filter {
  frequency: number;
  length: number;
  coefficient: number;
}

export class DtmfDetector {
  private readonly filters: { rows: Filter[]; columns: Filter[] };
  private readonly onsetFilters: { rows: Filter[]; columns: Filter[] };
  private readonly hop: number;
  private readonly ring: Float32Array;
  private written = 0;
  private sinceHop = 0;
  private readonly minLevel: number;
  private readonly onsetMinLevel = 10 ** (ONSET_MIN_LEVEL_DBFS / 10);
  private readonly confirmSteps: number;
  private readonly endSteps: number;
  private run: { key: string; steps: number; missed: number } | null = null;
  private activeKey: string | null = null;
  private missing = 0;

  constructor(options: DtmfOptions = {}) {
    const rate = options.sampleRate ?? 16_000;
    const filter = (frequency: number, length: number): Filter => ({
      frequency,
      length,
      coefficient: 2 * Math.cos((2 * Math.PI * frequency) / rate),
    });
    const banded = (f: number) => filter(f, Math.round(rate / (BAND * f)));
    const onset = (f: number) => filter(f, Math.round((rate * ONSET_MS) / 1000));
    this.filters = { rows: ROWS.map(banded), columns: COLUMNS.map(banded) };
    this.onsetFilters = { rows: ROWS.map(onset), columns: COLUMNS.map(onset) };
    this.ring = new Float32Array(Math.max(...this.filters.rows.map((f) => f.length)));
    this.hop = Math.round((rate * HOP_MS) / 1000);
    // Measured: a tone of T ms is a candidate in about T/10 − 1 steps (the
    // windows have to fill): 40 ms → 3 steps, 30 ms → 2, 20 ms → 1.
    this.confirmSteps = Math.max(1, Math.floor((options.minToneMs ?? 40) / HOP_MS) - 1);
    this.endSteps = Math.max(1, Math.round((options.minGapMs ?? 30) / HOP_MS));
    // A tone of RMS level L dBFS (full scale = 1) has power 10^(L/10).
    this.minLevel = 10 ** ((options.minLevelDbfs ?? -42) / 10);
  }

  /** Takes samples (16-bit PCM); returns one decision per completed 10 ms step. */
  push(samples: Int16Array): DtmfStep[] {
    const steps: DtmfStep[] = [];
    for (const sample of samples) {
      this.ring[this.written % this.ring.length] = sample / 32768;
      this.written++;
      if (++this.sinceHop === this.hop) {
        this.sinceHop = 0;
        steps.push(this.step());
      }
    }
    return steps;
  }

  /** Forgets everything heard (a new call). */
  reset(): void {
    this.ring.fill(0);
    this.written = 0;
    this.sinceHop = 0;
    this.run = null;
    this.activeKey = null;
    this.missing = 0;
  }

  private step(): DtmfStep {
    const candidate = this.written >= this.ring.length ? this.candidate() : null;
    let pressed: string | null = null;
    if (candidate !== null && candidate === this.run?.key) {
      this.run.steps++;
      this.run.missed = 0;
    } else if (candidate === null && this.run && this.run.missed < MAX_DROPOUT_STEPS) {
      this.run.missed++;
    } else {
      this.run = candidate === null ? null : { key: candidate, steps: 1, missed: 0 };
    }

    if (this.activeKey !== null) {
      if (candidate === this.activeKey) this.missing = 0;
      else if (++this.missing >= this.endSteps) this.activeKey = null;
    }
    if (this.run && this.run.key !== this.activeKey && this.run.steps >= this.confirmSteps) {
      pressed = this.run.key;
      this.activeKey = pressed;
      this.missing = 0;
    }
    const active = this.activeKey !== null;
    const suspect = candidate !== null || active || this.onset();
    return { candidate, pressed, active, suspect };
  }

  /** The quick test: the best row and column tone hold most of the last 10 ms. */
  private onset(): boolean {
    const best = (filters: Filter[]) =>
      filters.map((f) => this.measure(f)).reduce((a, x) => (x.share > a.share ? x : a));
    const r = best(this.onsetFilters.rows);
    const c = best(this.onsetFilters.columns);
    return (
      r.power >= this.onsetMinLevel &&
      c.power >= this.onsetMinLevel &&
      r.share + c.share >= ONSET_PAIR_SHARE
    );
  }

  /** The key whose two tones dominate the latest windows, or null. */
  private candidate(): string | null {
    const rows = this.filters.rows.map((f) => this.measure(f));
    const columns = this.filters.columns.map((f) => this.measure(f));
    const row = strongest(rows);
    const column = strongest(columns);
    if (row === undefined || column === undefined) return null;
    const r = rows[row]!;
    const c = columns[column]!;
    if (r.share < MIN_TONE_SHARE || c.share < MIN_TONE_SHARE) return null;
    if (r.share + c.share < MIN_PAIR_SHARE) return null;
    if (r.power < this.minLevel || c.power < this.minLevel) return null;
    if (rows.some((x, i) => i !== row && x.share * GROUP_MARGIN > r.share)) return null;
    if (columns.some((x, i) => i !== column && x.share * GROUP_MARGIN > c.share)) return null;
    const twist = r.power / c.power;
    if (twist > MAX_NORMAL_TWIST || twist < 1 / MAX_REVERSE_TWIST) return null;
    return KEYS[row]![column]!;
  }

  /**
   * One filter over its window of the latest samples: the share of the
   * window's energy at its frequency (1 for a pure tone on it) and the
   * tone's power (mean square, full scale = 1).
   */
  private measure(filter: Filter): { share: number; power: number } {
    const size = this.ring.length;
    let s1 = 0;
    let s2 = 0;
    let energy = 0;
    const start = this.written - filter.length;
    for (let i = 0; i < filter.length; i++) {
      const x = this.ring[(start + i) % size]!;
      energy += x * x;
      const s0 = x + filter.coefficient * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    if (energy <= 0) return { share: 0, power: 0 };
    const magnitude = s1 * s1 + s2 * s2 - filter.coefficient * s1 * s2;
    // A sine of amplitude A on the bin gives magnitude (N·A/2)², energy N·A²/2.
    const power = (2 * magnitude) / (filter.length * filter.length);
    return { share: (2 * magnitude) / (filter.length * energy), power };
  }
}

function strongest(values: readonly { share: number }[]): number | undefined {
  let best: number | undefined;
  values.forEach((v, i) => {
    if (best === undefined || v.share > values[best]!.share) best = i;
  });
  return best;
}

/** The two frequencies of a key, for tests and for tone generators. */
export function dtmfFrequencies(key: string): [number, number] {
  const row = KEYS.findIndex((r) => r.includes(key.toUpperCase()));
  if (row < 0 || key.length !== 1) throw new Error(`not a DTMF key: ${JSON.stringify(key)}`);
  return [ROWS[row]!, COLUMNS[KEYS[row]!.indexOf(key.toUpperCase())]!];
}
