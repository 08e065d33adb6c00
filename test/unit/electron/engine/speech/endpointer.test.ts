import { describe, expect, it } from 'vitest';
import {
  Endpointer,
  endpointSettingsProblem,
  soundsComplete,
  type EndpointEvent,
} from '../../../../../electron/engine/speech/endpointer';

/** Feeds a pattern like "S" × n (speech) / "." × n (non-speech), 30 ms frames; returns the events. */
function feed(endpointer: Endpointer, pattern: string, frameMs = 30): EndpointEvent[] {
  const events: EndpointEvent[] = [];
  for (const ch of pattern) events.push(...endpointer.frame(ch === 'S', frameMs));
  return events;
}

const rep = (ch: string, ms: number, frameMs = 30): string => ch.repeat(Math.round(ms / frameMs));

describe('turn completion', () => {
  it('hears a finished sentence, and one that is still going', () => {
    expect(soundsComplete('ich möchte meinen termin verschieben')).toBe(true);
    expect(soundsComplete('wann kommt mein geld')).toBe(true);
    expect(soundsComplete('ja')).toBe(true);
    expect(soundsComplete('ich möchte meinen')).toBe(false);
    expect(soundsComplete('meine nummer ist neun neun acht')).toBe(false);
    expect(soundsComplete('ich habe eine frage zu äh')).toBe(false);
    expect(soundsComplete('')).toBe(false);
  });

  it('ends a finished-sounding turn after completeSilenceMs, an unfinished one after silenceMs', () => {
    const run = (text: string) => {
      const e = new Endpointer({ silenceMs: 800, completeSilenceMs: 200, stablePartialMs: 0 });
      feed(e, rep('.', 300) + rep('S', 900));
      e.partial(text);
      return feed(e, rep('.', 1200)).find((ev) => ev.type === 'turn-end');
    };
    const complete = run('wann kommt mein geld');
    expect(complete?.atMs).toBeGreaterThanOrEqual(1200 + 200);
    expect(complete?.atMs).toBeLessThan(1200 + 230);
    const unfinished = run('ich möchte meinen');
    expect(unfinished?.atMs).toBeGreaterThanOrEqual(1200 + 800);
    expect(endpointSettingsProblem({ completeSilenceMs: -1 })).toMatch(/completeSilenceMs/);
  });
});

describe('Endpointer', () => {
  it('opens a turn after minSpeechMs of speech, dated at the speech onset', () => {
    const e = new Endpointer({ minSpeechMs: 90 });
    const events = feed(e, rep('.', 300) + 'SS');
    expect(events).toEqual([]);
    expect(feed(e, 'S')).toEqual([{ type: 'turn-start', atMs: 300 }]);
    expect(e.inTurn).toBe(true);
  });

  it('ignores clicks shorter than minSpeechMs', () => {
    const e = new Endpointer({ minSpeechMs: 90 });
    expect(feed(e, '.S..S.SS..' + rep('.', 1000))).toEqual([]);
    expect(e.inTurn).toBe(false);
  });

  it('ends the turn after silenceMs of non-speech, per setting (400 for yes/no, 1200 for digits)', () => {
    for (const silenceMs of [400, 1200]) {
      const e = new Endpointer({ silenceMs, stablePartialMs: 0 });
      const events = feed(e, rep('.', 300) + rep('S', 900) + rep('.', silenceMs + 300));
      const end = events.find((ev) => ev.type === 'turn-end');
      expect(end).toMatchObject({ reason: 'vad', turnStartMs: 300, speechEndMs: 1200 });
      // decided at the first 30 ms frame boundary at or after speech end + silenceMs
      expect(end?.atMs).toBeGreaterThanOrEqual(1200 + silenceMs);
      expect(end?.atMs).toBeLessThan(1200 + silenceMs + 30);
    }
  });

  it('keeps a turn through pauses shorter than silenceMs (digit groups)', () => {
    const e = new Endpointer({ silenceMs: 1200 });
    const events = feed(
      e,
      rep('S', 600) +
        rep('.', 900) +
        rep('S', 600) +
        rep('.', 900) +
        rep('S', 300) +
        rep('.', 1500),
    );
    expect(events.filter((ev) => ev.type === 'turn-start')).toHaveLength(1);
    expect(events.filter((ev) => ev.type === 'turn-end')).toHaveLength(1);
  });

  it('waits for the partial text to settle before a silence end', () => {
    const e = new Endpointer({ silenceMs: 300, stablePartialMs: 300 });
    feed(e, rep('S', 600) + rep('.', 270));
    e.partial('vier fünf'); // the decoder is still catching up at 870 ms
    const events = feed(e, rep('.', 600));
    const end = events.find((ev) => ev.type === 'turn-end');
    // silence alone would end at 900; the change at 870 holds it to 870 + 300
    expect(end?.atMs).toBe(1170);
  });

  it('ends a noisy turn whose partial has not changed for stableTurnMs', () => {
    const e = new Endpointer({ stableTurnMs: 1500, maxTurnMs: 60_000 });
    feed(e, rep('S', 300));
    e.partial('ja');
    const events = feed(e, rep('S', 1800));
    expect(events.find((ev) => ev.type === 'turn-end')).toMatchObject({ reason: 'stable' });
  });

  it('cuts at maxTurnMs and starts the next turn at once while speech goes on', () => {
    const e = new Endpointer({ maxTurnMs: 3000 });
    const events = feed(e, rep('S', 4000));
    expect(events.map((ev) => ev.type)).toEqual(['turn-start', 'turn-end', 'turn-start']);
    expect(events[1]).toMatchObject({ reason: 'max-turn', atMs: 3000 });
    expect(events[2]).toEqual({ type: 'turn-start', atMs: 3000 });
  });

  it("ends the turn on libvosk's endpoint only when told to", () => {
    const on = new Endpointer({ useRecognizerEndpoint: true });
    feed(on, rep('S', 300));
    expect(on.recognizerEndpoint()).toMatchObject({ type: 'turn-end', reason: 'endpoint' });
    const off = new Endpointer({ useRecognizerEndpoint: false });
    feed(off, rep('S', 300));
    expect(off.recognizerEndpoint()).toBeUndefined();
    expect(off.inTurn).toBe(true);
  });

  it('flushes an open turn, and nothing when idle', () => {
    const e = new Endpointer();
    expect(e.flush()).toBeUndefined();
    feed(e, rep('S', 300));
    expect(e.flush()).toMatchObject({ reason: 'flush', turnStartMs: 0 });
    expect(e.inTurn).toBe(false);
  });

  it('counts stream time from the start offset (restart continuity)', () => {
    const e = new Endpointer({}, 60_000);
    expect(feed(e, rep('S', 120))).toEqual([{ type: 'turn-start', atMs: 60_000 }]);
  });

  it('applies new settings mid-turn', () => {
    const e = new Endpointer({ silenceMs: 2000, stablePartialMs: 0 });
    feed(e, rep('S', 300) + rep('.', 300));
    e.configure({ silenceMs: 400 });
    const events = feed(e, rep('.', 150));
    expect(events.find((ev) => ev.type === 'turn-end')?.atMs).toBe(300 + 420);
  });

  it('checks settings', () => {
    expect(endpointSettingsProblem({ silenceMs: 400, vadMode: 3 })).toBeUndefined();
    expect(endpointSettingsProblem({ silenceMs: Number.NaN })).toMatch(/silenceMs/);
    expect(endpointSettingsProblem({ maxTurnMs: 10 })).toMatch(/maxTurnMs/);
    expect(endpointSettingsProblem({ vadMode: 7 as 3 })).toMatch(/vadMode/);
  });
});
