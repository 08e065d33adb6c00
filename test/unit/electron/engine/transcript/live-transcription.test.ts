import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callTagOf, type TranscriptSegment } from '../../../../../electron/contract';
import { Logger } from '../../../../../electron/engine/log/logger';
import { SecretBox } from '../../../../../electron/engine/store/secret-box';
import {
  LiveTranscription,
  MAX_LIVE_CALLS,
  streamId,
  type LiveTranscriptionOptions,
} from '../../../../../electron/engine/transcript/live-transcription';
import { TranscriptStore } from '../../../../../electron/engine/transcript/transcript-store';
import { FakeSpeechBackend } from '../../../../fakes/fake-speech-backend';

let dir: string;
let key: Buffer;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-transcript-'));
  key = crypto.randomBytes(32);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function setup(options: LiveTranscriptionOptions = {}) {
  const speech = new FakeSpeechBackend();
  const store = new TranscriptStore(
    dir,
    new SecretBox(key),
    new Logger({ stderr: false }).scope('t'),
  );
  const emitted: TranscriptSegment[] = [];
  let t = 1000;
  const live = new LiveTranscription(
    speech,
    store,
    (s) => emitted.push(s),
    () => t,
    () => Date.now(),
    options,
  );
  return { speech, store, emitted, live, advance: (ms: number) => (t += ms) };
}

describe('LiveTranscription', () => {
  it('opens a stream per leg on connect and routes each leg’s audio to it', () => {
    const { speech, live } = setup();
    live.audio('caller', new Int16Array(320)); // no call yet: dropped
    live.callConnected('abc@host');
    live.audio('caller', new Int16Array(320));
    live.audio('agent', new Int16Array(320));
    live.audio('outgoing', new Int16Array(320)); // the bot's own voice is not recognised
    expect(speech.pushed.get(streamId('abc@host', 'caller'))).toBe(320);
    expect(speech.pushed.get(streamId('abc@host', 'agent'))).toBe(320);
    expect([...speech.open].sort()).toEqual(['agent|abc@host', 'caller|abc@host']);
    live.callEnded('abc@host');
    expect(speech.open.size).toBe(0);
  });

  it("finds the caller's keys in their audio, gives them to the call and the recogniser only silence", () => {
    const keys: string[] = [];
    const { speech, live } = setup({ keys: (callId, digits) => keys.push(`${callId}:${digits}`) });
    const heard: Int16Array[] = [];
    const push = speech.pushAudio.bind(speech);
    speech.pushAudio = (id, samples) => {
      if (id === streamId('k', 'caller')) heard.push(samples);
      push(id, samples);
    };
    live.callConnected('k');
    // 100 ms of the key 5 (770 + 1336 Hz, −12 dBFS per tone) between silences.
    const tone = new Int16Array(320 * 15);
    for (let i = 6 * 320; i < 11 * 320; i++) {
      const t = i / 16_000;
      tone[i] = Math.round(
        8200 * (Math.sin(2 * Math.PI * 770 * t) + Math.sin(2 * Math.PI * 1336 * t)),
      );
    }
    for (let i = 0; i < tone.length; i += 320) live.audio('caller', tone.slice(i, i + 320));
    expect(keys).toEqual(['k:5']);
    expect(heard).toHaveLength(15);
    expect(heard.every((frame) => frame.every((s) => s === 0))).toBe(true);
    void live.callEnded('k');
  });

  it('transcribes many calls at once: tagged audio to its call, untagged to the foreground call', () => {
    const { speech, live, emitted } = setup();
    live.callConnected('bot-1');
    live.callConnected('bot-2');
    expect(live.currentCallId).toBe('bot-2');
    live.audio('caller', new Int16Array(320), callTagOf('bot-1'));
    live.audio('caller', new Int16Array(320), callTagOf('bot-1'));
    live.audio('caller', new Int16Array(320), callTagOf('bot-2'));
    live.audio('caller', new Int16Array(320)); // untagged: the foreground call
    live.audio('caller', new Int16Array(320), callTagOf('nobody')); // no such call: dropped
    expect(speech.pushed.get(streamId('bot-1', 'caller'))).toBe(640);
    expect(speech.pushed.get(streamId('bot-2', 'caller'))).toBe(640);
    live.botSaid('bot-1', 'Eins', 1000, 1000);
    live.botSaid('bot-2', 'Zwei', 1000, 1000);
    expect(emitted.map((e) => `${e.callId}:${e.text}`)).toEqual(['bot-1:Eins', 'bot-2:Zwei']);
    // The agent's microphone is in bot-1: that is the foreground call, even
    // though bot-2 connected later (a bot line has no microphone).
    live.audio('agent', new Int16Array(320), callTagOf('bot-1'));
    expect(live.currentCallId).toBe('bot-1');
    live.callConnected('bot-2');
    expect(live.currentCallId).toBe('bot-2');
    live.audio('agent', new Int16Array(320), callTagOf('bot-1'));
    expect(live.currentCallId).toBe('bot-1');
    // One ends: the other goes on and is the foreground call now.
    void live.callEnded('bot-2');
    expect(live.currentCallId).toBe('bot-1');
    expect([...speech.open].sort()).toEqual(['agent|bot-1', 'caller|bot-1']);
    void live.callEnded('bot-1');
    expect(live.currentCallId).toBeUndefined();
  });

  it('never keeps more than MAX_LIVE_CALLS calls: the oldest is closed', () => {
    const { speech, live } = setup();
    for (let i = 0; i <= MAX_LIVE_CALLS; i++) live.callConnected(`c${i}`);
    expect(speech.open.has(streamId('c0', 'caller'))).toBe(false);
    expect(speech.open.size).toBe(MAX_LIVE_CALLS * 2);
    for (let i = 1; i <= MAX_LIVE_CALLS; i++) void live.callEnded(`c${i}`);
  });

  it('a call reported again after an engine restart goes on at its own time, not at 0:00', () => {
    const speech = new FakeSpeechBackend();
    const store = new TranscriptStore(
      dir,
      new SecretBox(key),
      new Logger({ stderr: false }).scope('t'),
    );
    const emitted: TranscriptSegment[] = [];
    const epoch = 1_700_000_000_000;
    const live = new LiveTranscription(
      speech,
      store,
      (s) => emitted.push(s),
      () => 5_000,
      () => epoch,
    );
    // The phone answered 65 s ago; this engine hears of the call only now.
    live.callConnected('again', epoch - 65_000);
    expect(speech.opened.get(streamId('again', 'caller'))).toEqual({ startMs: 65_000 });
    expect(speech.opened.get(streamId('again', 'agent'))).toEqual({ startMs: 65_000 });
    expect(live.callTime()).toBe(65_000);
    live.botSaid('again', 'Hallo', 5_000, 5_500);
    expect(emitted[0]).toMatchObject({ startMs: 65_000, endMs: 65_500 });
    // A time in the future or absurdly far back is not believed.
    live.callConnected('future', epoch + 10_000);
    expect(speech.opened.get(streamId('future', 'caller'))).toBeUndefined();
    live.callEnded('future');
  });

  it("marks the bot's answer with its source, its prompts as none, and the caseworker's announcement as theirs; the store keeps the marks", () => {
    const { store, emitted, live } = setup();
    live.callConnected('call-marks');
    live.botSaid('call-marks', 'Worum geht es bei Ihnen?', 1000, 1000);
    live.botSaid(
      'call-marks',
      'Die Zahlung kommt am Monatsanfang. Kann ich sonst noch etwas für Sie tun?',
      2000,
      2000,
      {
        text: 'Die Zahlung kommt am Monatsanfang.',
        source: '§ 42 Abs. 1 SGB II',
      },
    );
    live.announced('Ich schicke Ihnen das Formular heute zu.', 3000, 4000);
    expect(emitted.map((s) => [s.speaker, s.answer, s.announcement])).toEqual([
      ['bot', null, undefined],
      [
        'bot',
        { text: 'Die Zahlung kommt am Monatsanfang.', source: '§ 42 Abs. 1 SGB II' },
        undefined,
      ],
      ['agent', undefined, true],
    ]);
    live.callEnded('call-marks');
    expect(store.get('call-marks').map((s) => [s.speaker, s.answer, s.announcement])).toEqual(
      emitted.map((s) => [s.speaker, s.answer, s.announcement]),
    );
  });

  it('turns partials and their final into one segment, stores finals encrypted', () => {
    const { speech, store, emitted, live } = setup();
    live.callConnected('call-1');
    const id = streamId('call-1', 'caller');
    speech.partial({ streamId: id, text: 'meine', startMs: 500, endMs: 800 });
    speech.partial({ streamId: id, text: 'meine kundennummer', startMs: 500, endMs: 1200 });
    speech.final({
      streamId: id,
      text: 'meine kundennummer ist 1234',
      startMs: 500,
      endMs: 2100,
      words: [
        { word: 'meine', startMs: 500, endMs: 700, conf: 0.9 },
        { word: 'kundennummer', startMs: 700, endMs: 1200, conf: 0.7 },
      ],
    });
    expect(emitted.map((s) => [s.final, s.text])).toEqual([
      [false, 'meine'],
      [false, 'meine kundennummer'],
      [true, 'meine kundennummer ist 1234'],
    ]);
    expect(new Set(emitted.map((s) => s.segmentId)).size).toBe(1);
    expect(emitted[2]?.confidence).toBeCloseTo(0.8);
    expect(emitted[2]?.speaker).toBe('caller');
    // the next turn is a new segment
    speech.partial({ streamId: id, text: 'ja', startMs: 3000, endMs: 3200 });
    expect(emitted[3]?.segmentId).not.toBe(emitted[0]?.segmentId);

    live.callEnded('call-1');
    const stored = store.get('call-1');
    expect(stored.map((s) => s.text)).toEqual(['meine kundennummer ist 1234']);
    const files = fs.readdirSync(path.join(dir, 'transcripts'));
    expect(files).toHaveLength(1);
    const raw = fs.readFileSync(path.join(dir, 'transcripts', files[0] ?? ''), 'utf8');
    expect(raw).not.toContain('kundennummer');
  });

  it('the caller hangs up mid-sentence: the final its stream flushes on close is shown and stored as that line', async () => {
    const { speech, store, emitted, live } = setup();
    live.callConnected('hang-up');
    const id = streamId('hang-up', 'caller');
    speech.partial({ streamId: id, text: 'ich brauche', startMs: 1000, endMs: 1600 });
    speech.partial({ streamId: id, text: 'ich brauche einen termin', startMs: 1000, endMs: 2400 });
    speech.flushOnClose.set(id, {
      streamId: id,
      text: 'ich brauche einen termin',
      startMs: 1000,
      endMs: 2500,
      words: [{ word: 'termin', startMs: 2000, endMs: 2500, conf: 0.9 }],
    });
    const ended = live.callEnded('hang-up');
    // No more audio of the call is taken, but its streams' last words still are.
    expect(speech.closed.sort()).toEqual([streamId('hang-up', 'agent'), id]);
    live.audio('caller', new Int16Array(320));
    expect(speech.pushed.size).toBe(0);
    await ended;
    expect(emitted.map((s) => [s.final, s.text])).toEqual([
      [false, 'ich brauche'],
      [false, 'ich brauche einen termin'],
      [true, 'ich brauche einen termin'],
    ]);
    // The final takes the partials' place on screen: one segment, no "(vorläufig)" left.
    expect(new Set(emitted.map((s) => s.segmentId)).size).toBe(1);
    expect(emitted[2]).toMatchObject({ callId: 'hang-up', speaker: 'caller', confidence: 0.9 });
    // Stored, and the call's transcript closed (read back from the encrypted file).
    expect(store.stored().every((f) => !f.live)).toBe(true);
    expect(store.get('hang-up').map((s) => [s.speaker, s.text])).toEqual([
      ['caller', 'ich brauche einen termin'],
    ]);
    // Reported twice, ended once; a late result of the closed call goes nowhere.
    await live.callEnded('hang-up');
    speech.final({ streamId: id, text: 'zu spät', startMs: 3000, endMs: 3100, words: [] });
    expect(emitted).toHaveLength(3);
  });

  it('a speech process that does not answer does not hold the call: after the wait the newest partial is kept as the line', async () => {
    const { speech, store, emitted, live } = setup({ finalWaitMs: 30 });
    speech.hung = true;
    live.callConnected('hung');
    const id = streamId('hung', 'caller');
    speech.partial({ streamId: id, text: 'meine nummer ist', startMs: 500, endMs: 1500 });
    const started = performance.now();
    await live.callEnded('hung');
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(emitted.at(-1)).toMatchObject({
      segmentId: emitted[0]?.segmentId,
      speaker: 'caller',
      text: 'meine nummer ist',
      startMs: 500,
      endMs: 1500,
      final: true,
      confidence: null,
    });
    expect(store.get('hung').map((s) => s.text)).toEqual(['meine nummer ist']);
    // Its final, should it come after all, is not a second line.
    speech.final({ streamId: id, text: 'meine nummer ist', startMs: 500, endMs: 1600, words: [] });
    expect(emitted).toHaveLength(2);
  });

  it('the next call connects while the last one’s final is awaited: each final goes to its own call', async () => {
    const { speech, store, emitted, live } = setup();
    live.callConnected('first');
    const first = streamId('first', 'caller');
    speech.partial({ streamId: first, text: 'danke', startMs: 100, endMs: 300 });
    speech.flushOnClose.set(first, {
      streamId: first,
      text: 'danke tschüss',
      startMs: 100,
      endMs: 600,
      words: [],
    });
    // A new call ends the previous one (as the phone's next "connected" does).
    live.callConnected('second');
    expect(live.currentCallId).toBe('second');
    speech.partial({
      streamId: streamId('second', 'caller'),
      text: 'hallo',
      startMs: 0,
      endMs: 200,
    });
    await live.callEnded('first'); // already ending: resolves when it has
    expect(emitted.map((s) => [s.callId, s.final, s.text])).toEqual([
      ['first', false, 'danke'],
      ['second', false, 'hallo'],
      ['first', true, 'danke tschüss'],
    ]);
    expect(store.get('first').map((s) => s.text)).toEqual(['danke tschüss']);
    expect(store.get('second')).toEqual([]);
    expect(live.currentCallId).toBe('second');
  });

  it('ignores results for other calls and empty turns', () => {
    const { speech, emitted, live } = setup();
    live.callConnected('new');
    speech.final({
      streamId: streamId('old', 'caller'),
      text: 'late',
      startMs: 0,
      endMs: 1,
      words: [],
    });
    speech.final({
      streamId: streamId('new', 'agent'),
      text: '  ',
      startMs: 0,
      endMs: 1,
      words: [],
    });
    speech.final({ streamId: 'garbage', text: 'x', startMs: 0, endMs: 1, words: [] });
    expect(emitted).toEqual([]);
  });

  it('records what the bot said with call-relative times', () => {
    const { emitted, live, advance } = setup();
    live.callConnected('c');
    advance(2000);
    live.botSaid('c', 'Guten Tag.', 3000, 4500);
    expect(emitted[0]).toMatchObject({
      speaker: 'bot',
      text: 'Guten Tag.',
      startMs: 2000,
      endMs: 3500,
      final: true,
    });
  });

  it('records a practice caller’s scripted text and keys as marked final caller lines of that call only', () => {
    const { emitted, live, store, advance } = setup();
    live.callConnected('practice-1');
    advance(1000);
    live.callerScripted('practice-1', 'Wann kommt mein Geld?', 'script', 1500, 2000);
    live.callerScripted('practice-1', '1', 'keys', 2000, 2000);
    live.callerScripted('another-call', 'nicht hier', 'script', 2000, 2000);
    live.callerScripted('practice-1', '  ', 'keys', 2000, 2000);
    expect(emitted).toHaveLength(2);
    expect(emitted[0]).toMatchObject({
      callId: 'practice-1',
      speaker: 'caller',
      text: 'Wann kommt mein Geld?',
      source: 'script',
      startMs: 500,
      endMs: 1000,
      final: true,
    });
    expect(emitted[1]).toMatchObject({ speaker: 'caller', text: '1', source: 'keys' });
    // Stored with its mark: a transcript read later still tells script from speech.
    expect(store.get('practice-1').map((s) => s.source)).toEqual(['script', 'keys']);
  });

  it('a store with another key cannot read the transcript', () => {
    const { speech, live } = setup();
    live.callConnected('c');
    speech.final({
      streamId: streamId('c', 'caller'),
      text: 'geheim',
      startMs: 0,
      endMs: 1,
      words: [],
    });
    live.callEnded('c');
    const other = new TranscriptStore(
      dir,
      new SecretBox(crypto.randomBytes(32)),
      new Logger({ stderr: false }).scope('t'),
    );
    expect(other.get('c')).toEqual([]);
  });
});
