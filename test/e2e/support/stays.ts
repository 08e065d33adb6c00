/**
 * "Nothing happens within X": the few checks whose point is that something
 * does NOT happen (a shortcut typed into a field does not answer the call, a
 * refusing registrar is not retried, no digit arrives twice). They cannot
 * wait for a condition, since the condition is an absence; so they watch
 * for a fixed time, documented at each use, and read the state all along
 * (every 100 ms), so a change that comes and goes is caught too.
 *
 * A loaded machine only makes such a check weaker (the unwanted event may
 * come later than the window), never fail when the app is right; the
 * windows are long enough for the event to come if the app were wrong.
 */
import { expect } from '@playwright/test';

export async function expectStays<T>(
  read: () => T | Promise<T>,
  expected: T,
  forMs: number,
  message: string,
): Promise<void> {
  const until = Date.now() + forMs;
  for (;;) {
    const now: unknown = await read();
    expect(now, message).toEqual(expected);
    if (Date.now() >= until) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(100, until - Date.now())));
  }
}
