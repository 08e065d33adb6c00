import { describe, expect, it } from 'vitest';
import {
  announcement,
  callClock,
  distanceFromEnd,
  isoDuration,
  agentLeftLiveEnd,
  AGENT_SCROLL_MS,
  leftLiveEnd,
  speakerKey,
  summaryLines,
} from '../../../../renderer/features/transcript/transcript-format';

describe('transcript panel helpers', () => {
  it('shows call time as m:ss, and h:mm:ss from the first hour on', () => {
    expect(callClock(0)).toBe('0:00');
    expect(callClock(999)).toBe('0:00');
    expect(callClock(65_000)).toBe('1:05');
    expect(callClock(59 * 60_000 + 59_999)).toBe('59:59');
    expect(callClock(3_600_000)).toBe('1:00:00');
    expect(callClock(2 * 3_600_000 + 3 * 60_000 + 7_000)).toBe('2:03:07');
    expect(callClock(-5)).toBe('0:00');
    expect(callClock(Number.NaN)).toBe('0:00');
  });

  it('gives the same time as an ISO duration for <time dateTime>', () => {
    expect(isoDuration(0)).toBe('PT0S');
    expect(isoDuration(65_000)).toBe('PT1M5S');
    expect(isoDuration(3_600_000 + 7_000)).toBe('PT1H7S');
  });

  it('announces a final line with its speaker', () => {
    expect(announcement('Anrufer/in', ' Wann kommt mein Geld? ')).toBe(
      'Anrufer/in: Wann kommt mein Geld?',
    );
  });

  it('pauses following only when the agent scrolls up away from the end', () => {
    const view = { scrollHeight: 2000, clientHeight: 400 };
    expect(distanceFromEnd({ ...view, scrollTop: 1600 })).toBe(0);
    // Scrolled up by a page: left live.
    expect(leftLiveEnd(1600, { ...view, scrollTop: 1200 })).toBe(true);
    // A tiny move up near the end is still live.
    expect(leftLiveEnd(1600, { ...view, scrollTop: 1590 })).toBe(false);
    // The content grew under a following view (scrollTop unchanged): not the agent.
    expect(leftLiveEnd(1600, { scrollHeight: 2400, clientHeight: 400, scrollTop: 1600 })).toBe(
      false,
    );
    // A shorter final clamped scrollTop down, but the view is still at the end.
    expect(leftLiveEnd(1600, { scrollHeight: 1950, clientHeight: 400, scrollTop: 1550 })).toBe(
      false,
    );
  });

  it('does not pause for the list’s own scroll corrections, only for the agent’s gestures', () => {
    // Rows above the view measured shorter than estimated: the virtualiser
    // moved scrollTop up by 90 px before the list's height followed.
    const corrected = { scrollHeight: 2000, clientHeight: 400, scrollTop: 1510 };
    const noGesture = { lastAt: Number.NEGATIVE_INFINITY, pressed: false };
    expect(leftLiveEnd(1600, corrected)).toBe(true);
    expect(agentLeftLiveEnd(1600, corrected, noGesture, 10_000)).toBe(false);
    // A wheel turn just before: the agent's.
    expect(agentLeftLiveEnd(1600, corrected, { lastAt: 9_700, pressed: false }, 10_000)).toBe(true);
    // Long after the last gesture: the list's own again.
    expect(
      agentLeftLiveEnd(
        1600,
        corrected,
        { lastAt: 10_000 - AGENT_SCROLL_MS - 1, pressed: false },
        10_000,
      ),
    ).toBe(false);
    // Dragging the scrollbar: the agent's however long it takes.
    expect(agentLeftLiveEnd(1600, corrected, { lastAt: 0, pressed: true }, 10_000)).toBe(true);
    // A gesture that does not leave the end (content grew) does not pause either.
    expect(
      agentLeftLiveEnd(
        1600,
        { scrollHeight: 2400, clientHeight: 400, scrollTop: 1600 },
        { lastAt: 9_900, pressed: false },
        10_000,
      ),
    ).toBe(false);
  });

  it('splits the bot’s summary into its lines', () => {
    expect(summaryLines('Grund: Notlage\nAnliegen: unklar\n\n Identität: nicht geprüft ')).toEqual([
      'Grund: Notlage',
      'Anliegen: unklar',
      'Identität: nicht geprüft',
    ]);
  });

  it("replaces the summary's identity line once someone verified the caller after the handoff", () => {
    const summary = 'Grund: Wunsch nach einer Person\nIdentität: nicht geprüft\nBot zuletzt: „…“';
    expect(summaryLines(summary, 'Identität: geprüft durch Mitarbeiter/in')).toEqual([
      'Grund: Wunsch nach einer Person',
      'Identität: geprüft durch Mitarbeiter/in',
      'Bot zuletzt: „…“',
    ]);
    expect(summaryLines('Grund: Notlage', 'Identität: geprüft durch Mitarbeiter/in')).toEqual([
      'Grund: Notlage',
      'Identität: geprüft durch Mitarbeiter/in',
    ]);
    expect(summaryLines(summary)).toContain('Identität: nicht geprüft');
  });

  it("labels the caseworker's typed announcement as theirs, not as the bot", () => {
    expect(speakerKey({ speaker: 'agent', announcement: true })).toBe('speakerAnnouncement');
    expect(speakerKey({ speaker: 'agent' })).toBe('speakerAgent');
    expect(speakerKey({ speaker: 'bot' })).toBe('speakerBot');
    expect(speakerKey({ speaker: 'caller' })).toBe('speakerCaller');
  });
});
