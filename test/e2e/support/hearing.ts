/**
 * What a party of a call hears, checked by content (dominant frequency and
 * level), not by "connected". Sound takes a moment to arrive after whatever
 * changed it (a device switch, a re-INVITE, a button: network, jitter
 * buffer, a new microphone track), and on a loaded two-core machine that
 * moment is longer: so these wait until the expected sound is heard,
 * measuring in windows, with a generous limit, instead of sleeping a fixed
 * time first. Silence is never waited for where it is the point: it is
 * measured while the same window proves that sound does arrive elsewhere.
 */
import { expect } from '@playwright/test';

export interface Heard {
  dominantFrequencyHz: number;
  rmsDbfs: number;
}

/** Anything that can measure what it hears for `ms` (a test caller, the app's remote audio). */
export interface Listener {
  measureRemoteAudio(ms: number): Promise<Heard>;
}

export interface ToneExpectation {
  /** Any of these frequencies counts (a microphone alternating two tones). */
  hz: number | readonly number[];
  /** Who hears what, for the failure message. */
  label: string;
  toleranceHz?: number;
  /** The level the tone must reach. */
  minDbfs?: number;
  /** One measurement window, ms. */
  windowMs?: number;
  /** How long the tone may take to arrive. */
  timeout?: number;
}

function nearestMissHz(heard: Heard, hz: number | readonly number[]): number {
  const tones = typeof hz === 'number' ? [hz] : hz;
  return Math.min(...tones.map((t) => Math.abs(heard.dominantFrequencyHz - t)));
}

function describe(heard: Heard): string {
  return `${heard.dominantFrequencyHz.toFixed(0)} Hz at ${heard.rmsDbfs.toFixed(1)} dBFS`;
}

/** True when `heard` is the expected tone, loud enough. */
export function isTone(heard: Heard, want: ToneExpectation): boolean {
  return (
    nearestMissHz(heard, want.hz) < (want.toleranceHz ?? 40) &&
    heard.rmsDbfs > (want.minDbfs ?? -45)
  );
}

/** Asserts that one measurement is the expected tone (with what was heard in the message). */
export function expectTone(heard: Heard, want: ToneExpectation): void {
  expect(
    nearestMissHz(heard, want.hz),
    `${want.label}: heard ${describe(heard)}, wanted ${String(want.hz)} Hz`,
  ).toBeLessThan(want.toleranceHz ?? 40);
  expect(heard.rmsDbfs, `${want.label}: level`).toBeGreaterThan(want.minDbfs ?? -45);
}

/** Asserts that one measurement is silence (below `maxDbfs`). */
export function expectSilence(heard: Heard, label: string, maxDbfs = -60): void {
  expect(heard.rmsDbfs, `${label}: should hear nothing, heard ${describe(heard)}`).toBeLessThan(
    maxDbfs,
  );
}

/** Waits until `who` hears the expected tone in one window; returns that window's measurement. */
export async function expectHearsTone(who: Listener, want: ToneExpectation): Promise<Heard> {
  let last: Heard | undefined;
  await expect
    .poll(
      async () => {
        last = await who.measureRemoteAudio(want.windowMs ?? 1200);
        return isTone(last, want);
      },
      {
        timeout: want.timeout ?? 15_000,
        intervals: [0],
        message: `${want.label}: should hear ${String(want.hz)} Hz`,
      },
    )
    .toBe(true);
  if (!last) throw new Error('no measurement');
  expectTone(last, want);
  return last;
}

/**
 * Waits until `who` hears nothing above `maxDbfs` in one window (sound
 * already on its way when it was cut still arrives for a moment); returns
 * that window's measurement.
 */
export async function expectFallsSilent(
  who: Listener,
  label: string,
  { maxDbfs = -60, windowMs = 600, timeout = 10_000 } = {},
): Promise<Heard> {
  let last: Heard | undefined;
  await expect
    .poll(
      async () => {
        last = await who.measureRemoteAudio(windowMs);
        return last.rmsDbfs;
      },
      { timeout, intervals: [0], message: `${label}: should fall silent` },
    )
    .toBeLessThan(maxDbfs);
  if (!last) throw new Error('no measurement');
  return last;
}

/**
 * Measures two listeners side by side in windows until either hears the
 * expected tone (it has arrived), and returns that window for both: one may
 * then be asserted to hear it and the other to hear nothing at the same time.
 * Returns the last window when the tone never came (the assertions tell).
 */
export async function hearTogether(
  a: Listener,
  b: Listener,
  tone: Omit<ToneExpectation, 'label'>,
): Promise<{ heardA: Heard; heardB: Heard }> {
  const deadline = Date.now() + (tone.timeout ?? 2_500);
  for (;;) {
    const [heardA, heardB] = await Promise.all([
      a.measureRemoteAudio(tone.windowMs ?? 1200),
      b.measureRemoteAudio(tone.windowMs ?? 1200),
    ]);
    const arrived =
      isTone(heardA, { ...tone, label: '' }) || isTone(heardB, { ...tone, label: '' });
    if (arrived || Date.now() > deadline) return { heardA, heardB };
  }
}

/** Waits until `caller` hears the bot talking (louder than −45 dBFS), within 15 s. */
export async function expectHearsBot(
  caller: { measureRemoteAudio(ms: number): Promise<{ rmsDbfs: number }> },
  message: string,
): Promise<void> {
  await expect
    .poll(async () => (await caller.measureRemoteAudio(250)).rmsDbfs, {
      timeout: 15_000,
      intervals: [0],
      message,
    })
    .toBeGreaterThan(-45);
}
