/**
 * The dialogue's state table: every (state, event) pair it accepts, where it
 * leads, and that anything else throws.
 */
import { describe, expect, it } from 'vitest';
import { cleanText } from '../../../../../electron/engine/bot/caller-input';
import { Dialogue } from '../../../../../electron/engine/bot/dialogue';
import {
  ACCEPTS,
  checkEvent,
  checkMove,
  DIALOGUE_STATES,
  IllegalMoveError,
  MOVES,
  type DialogueChange,
  type DialogueState,
} from '../../../../../electron/engine/bot/dialogue-states';
import type { DialogueEvent } from '../../../../../electron/engine/bot/dialogue-types';
import { fakeDialogueDeps, fakeUnderstand } from '../../../../fakes/fake-dialogue-deps';

const say = (text: string): DialogueEvent => ({
  type: 'utterance',
  text,
  understanding: fakeUnderstand(cleanText(text)),
});
const key = (digits: string): DialogueEvent => ({ type: 'dtmf', digits });
const silence: DialogueEvent = { type: 'silence' };
const CALLER_ID = '061234567';

/** The way into each state, with the fake understanding and case table. */
const ROUTES: Record<DialogueState, { mode: 'day' | 'night'; events: DialogueEvent[] }> = {
  idle: { mode: 'day', events: [] },
  open: { mode: 'day', events: [{ type: 'start' }] },
  'verify-number': { mode: 'day', events: [{ type: 'start' }, say('wann kommt mein geld')] },
  'verify-dob': {
    mode: 'day',
    events: [{ type: 'start' }, say('wann kommt mein geld'), say('123D45678')],
  },
  more: { mode: 'day', events: [{ type: 'start' }, say('ich bin krank')] },
  'callback-confirm-number': {
    mode: 'night',
    events: [{ type: 'start', callerId: CALLER_ID }, say('mitarbeiter bitte')],
  },
  'callback-number': { mode: 'night', events: [{ type: 'start' }, say('mitarbeiter bitte')] },
  'callback-window': {
    mode: 'night',
    events: [{ type: 'start' }, say('mitarbeiter bitte'), key('061122334#')],
  },
  message: {
    mode: 'night',
    events: [{ type: 'start', callerId: CALLER_ID }, say('mitarbeiter bitte'), say('nachricht')],
  },
  'handed-off': { mode: 'day', events: [{ type: 'start' }, say('mitarbeiter bitte')] },
  ended: { mode: 'day', events: [{ type: 'start' }, say('ich bin krank'), say('nein')] },
};

async function reach(state: DialogueState): Promise<Dialogue> {
  const route = ROUTES[state];
  const dialogue = new Dialogue(fakeDialogueDeps(route.mode));
  for (const event of route.events) await dialogue.handle(event);
  expect(dialogue.currentState).toBe(state);
  return dialogue;
}

/** [state, event, the state after it, what the bot says (regex; '' for nothing)] */
const TABLE: [DialogueState, string, DialogueEvent, DialogueState, RegExp | ''][] = [
  ['idle', 'start', { type: 'start' }, 'open', /künstliche Intelligenz/],
  ['open', 'a general question', say('ich bin krank'), 'more', /Krankmeldung/],
  ['open', 'a case question', say('wann kommt mein geld'), 'verify-number', /Kundennummer/],
  ['open', 'keypad menu 3', key('3'), 'verify-number', /Kundennummer/],
  ['open', 'keypad menu 0', key('0'), 'handed-off', /verbinde Sie/],
  ['open', 'silence', silence, 'open', /nichts gehört/],
  ['verify-number', 'a spoken number', say('123D45678'), 'verify-dob', /Geburtsdatum/],
  ['verify-number', 'a keyed number', key('12345678#'), 'verify-dob', /Geburtsdatum/],
  ['verify-number', 'keys without #', key('1234'), 'verify-number', ''],
  ['verify-number', 'silence', silence, 'verify-number', /nichts gehört.*Kundennummer/],
  ['verify-number', 'a person', say('mitarbeiter'), 'handed-off', /verbinde Sie/],
  ['verify-dob', 'the spoken date', say('01.03.1980'), 'more', /Ihre nächste Zahlung/],
  ['verify-dob', 'the keyed date', key('01031980'), 'more', /Ihre nächste Zahlung/],
  ['verify-dob', 'a wrong date', key('02031980'), 'verify-number', /nicht bestätigen/],
  ['verify-dob', 'half a date', key('0103'), 'verify-dob', ''],
  ['verify-dob', 'silence', silence, 'verify-dob', /nichts gehört.*Geburtsdatum/],
  ['more', 'no', say('nein danke'), 'ended', /Auf Wiederhören/],
  ['more', 'yes', say('ja'), 'open', /Was kann ich noch/],
  ['more', 'the next question', say('ich habe einen termin'), 'verify-number', /Kundennummer/],
  ['more', 'key 1 (yes)', key('1'), 'open', /Was kann ich noch/],
  ['more', 'key 2 (no)', key('2'), 'ended', /Auf Wiederhören/],
  ['more', 'another key (menu)', key('4'), 'more', /Krankmeldung/],
  ['more', 'silence', silence, 'more', /nichts gehört/],
  ['callback-confirm-number', 'yes', say('ja'), 'callback-window', /vormittags oder nachmittags/],
  ['callback-confirm-number', 'message', say('nachricht'), 'message', /Ihre Nachricht/],
  ['callback-confirm-number', 'no', say('nein'), 'callback-number', /welcher Nummer/],
  ['callback-confirm-number', 'key 1', key('1'), 'callback-window', /vormittags/],
  ['callback-confirm-number', 'key 2', key('2'), 'callback-number', /welcher Nummer/],
  ['callback-confirm-number', 'silence', silence, 'callback-window', /vormittags/],
  ['callback-number', 'a spoken number', say('0611 22334'), 'callback-window', /vormittags/],
  ['callback-number', 'a keyed number', key('061122334#'), 'callback-window', /vormittags/],
  ['callback-number', 'keys without #', key('0611'), 'callback-number', ''],
  ['callback-number', 'too short', key('06#'), 'callback-number', /nicht verstanden/],
  ['callback-number', 'silence', silence, 'callback-number', /nichts gehört.*Nummer/],
  ['callback-window', 'mornings', say('vormittags'), 'ended', /vormittags zurück/],
  ['callback-window', 'key 2', key('2'), 'ended', /nachmittags zurück/],
  ['callback-window', 'silence', silence, 'ended', /so bald wie möglich/],
  ['message', 'the message', say('bitte rückruf'), 'ended', /Nachricht ist notiert/],
  ['message', 'a key', key('5'), 'ended', /Nachricht ist notiert/],
  ['message', 'silence', silence, 'message', /nichts gehört.*Nachricht/],
  ['handed-off', 'words', say('hallo'), 'handed-off', ''],
  ['handed-off', 'a key', key('1'), 'handed-off', ''],
  ['handed-off', 'silence', silence, 'handed-off', ''],
  ['ended', 'words', say('hallo'), 'ended', ''],
  ['ended', 'a key', key('1'), 'ended', ''],
  ['ended', 'silence', silence, 'ended', ''],
];

describe('the dialogue state table', () => {
  it.each(TABLE)('%s + %s → %s', async (state, _what, event, next, says) => {
    const dialogue = await reach(state);
    const turn = await dialogue.handle(event);
    expect(dialogue.currentState).toBe(next);
    if (says === '') expect(turn.say).toBe('');
    else expect(turn.say).toMatch(says);
  });

  it('covers every event every state accepts', () => {
    for (const state of DIALOGUE_STATES) {
      const tested = new Set(TABLE.filter(([s]) => s === state).map(([, , e]) => e.type));
      expect([...tested].sort(), state).toEqual([...ACCEPTS[state]].sort());
    }
  });

  it.each([
    ['idle', say('hallo')],
    ['idle', key('1')],
    ['idle', silence],
    ['open', { type: 'start' } as DialogueEvent],
    ['ended', { type: 'start' } as DialogueEvent],
  ] as [DialogueState, DialogueEvent][])(
    'an event a state does not accept throws: %s + %j',
    async (state, event) => {
      const dialogue = await reach(state);
      await expect(dialogue.handle(event)).rejects.toBeInstanceOf(IllegalMoveError);
      expect(dialogue.currentState).toBe(state);
    },
  );

  it('an illegal move throws; staying and every listed move do not', () => {
    expect(() => checkMove('ended', 'open')).toThrow(IllegalMoveError);
    expect(() => checkMove('handed-off', 'callback-number')).toThrow(/from handed-off to/);
    expect(() => checkMove('idle', 'more')).toThrow(IllegalMoveError);
    expect(() => checkMove('callback-window', 'open')).toThrow(IllegalMoveError);
    expect(() => checkEvent('idle', 'silence')).toThrow(IllegalMoveError);
    for (const from of DIALOGUE_STATES) {
      expect(() => checkMove(from, from)).not.toThrow();
      for (const to of MOVES[from] as readonly DialogueState[])
        expect(() => checkMove(from, to)).not.toThrow();
    }
  });

  it('every state can be reached from idle and leads to an end', () => {
    const moves = (from: DialogueState) => MOVES[from] as readonly DialogueState[];
    /** Grows `set` until no state adds anything: a fixed point over the move table. */
    const closure = (set: Set<DialogueState>, joins: (s: DialogueState) => boolean) => {
      let grew = true;
      while (grew) {
        grew = false;
        for (const state of DIALOGUE_STATES) {
          if (set.has(state) || !joins(state)) continue;
          set.add(state);
          grew = true;
        }
      }
      return [...set].sort();
    };
    const reachable = new Set<DialogueState>(['idle']);
    expect(
      closure(reachable, (s) =>
        DIALOGUE_STATES.some((f) => reachable.has(f) && moves(f).includes(s)),
      ),
    ).toEqual([...DIALOGUE_STATES].sort());
    const ends = new Set<DialogueState>(['ended', 'handed-off']);
    expect(closure(ends, (s) => moves(s).some((t) => ends.has(t)))).toEqual(
      [...DIALOGUE_STATES].sort(),
    );
  });

  it('announces every move as a typed change event, with the event that caused it', async () => {
    const dialogue = new Dialogue(fakeDialogueDeps());
    const changes: DialogueChange[] = [];
    dialogue.onChange((change) => changes.push(change));
    await dialogue.handle({ type: 'start' });
    await dialogue.handle(key('1'));
    await dialogue.handle(key('12345678#'));
    await dialogue.handle(silence);
    expect(changes).toEqual([
      { from: 'idle', to: 'open', on: 'start' },
      { from: 'open', to: 'verify-number', on: 'dtmf' },
      { from: 'verify-number', to: 'verify-dob', on: 'dtmf' },
    ]);
  });
});

describe('silence and keys in every state', () => {
  it('at night, a caller who keyed a number and stays silent at "mornings or afternoons?" gets the callback', async () => {
    const dialogue = await reach('callback-window');
    const turn = await dialogue.handle(silence);
    expect(turn.action).toMatchObject({
      type: 'callback',
      number: '061122334',
      window: 'jederzeit',
    });
    expect(turn.say).not.toMatch(/worum es geht|Tasten/);
    expect(dialogue.result).toMatchObject({ ended: true, callback: { window: 'jederzeit' } });
  });

  it('a pause while keying keeps the digits and asks for the rest', async () => {
    const log: string[] = [];
    const dialogue = new Dialogue(fakeDialogueDeps('day', log));
    await dialogue.handle({ type: 'start' });
    await dialogue.handle(key('1'));
    expect((await dialogue.handle(key('1234'))).say).toBe('');
    const pause = await dialogue.handle(silence);
    expect(pause.say).toMatch(/ersten Ziffern.*Raute/);
    expect(pause.listen?.type).toBe('digits');
    expect((await dialogue.handle(key('5678#'))).say).toMatch(/Geburtsdatum/);
    await dialogue.handle(key('0103'));
    expect((await dialogue.handle(silence)).say).toMatch(/ersten Ziffern.*Geburtsdatums/);
    await dialogue.handle(key('1980'));
    expect(log).toEqual(['verify {"customerNumber":"12345678","dateOfBirth":"1980-03-01"}']);
  });

  it('a long pause while keying is asked about once without a failure; a key starts the count again', async () => {
    const dialogue = await reach('verify-number');
    const partial = await dialogue.handle(key('12'));
    expect(partial).toEqual({ say: '', rate: 1, keying: true });
    // Three pauses, each after a key: asked for the rest each time, never counted.
    for (const more of ['3', '4', '5']) {
      const pause = await dialogue.handle(silence);
      expect(pause.say).toMatch(/ersten Ziffern.*Raute/);
      expect(pause.say).not.toMatch(/worum es geht/);
      expect(pause.listen?.type).toBe('digits');
      expect(pause.keying).toBeUndefined();
      expect(await dialogue.handle(key(more))).toMatchObject({ say: '', keying: true });
    }
    // A pause after the last key: asked for the rest, not counted …
    expect((await dialogue.handle(silence)).say).toMatch(/ersten Ziffern/);
    // … silent after being asked: the question's own way, counted (the digits
    // still kept), and the third failure goes to a person.
    expect((await dialogue.handle(silence)).say).toMatch(/ersten Ziffern/);
    expect((await dialogue.handle(silence)).say).toMatch(/ersten Ziffern/);
    expect(dialogue.currentState).toBe('verify-number');
    expect((await dialogue.handle(silence)).action).toMatchObject({
      type: 'handoff',
      reason: 'speech_failed',
    });
  });

  it('the digits keyed before, between and after the pauses make one number', async () => {
    const log: string[] = [];
    const dialogue = new Dialogue(fakeDialogueDeps('day', log));
    await dialogue.handle({ type: 'start' });
    await dialogue.handle(key('1'));
    await dialogue.handle(key('123'));
    await dialogue.handle(silence);
    await dialogue.handle(key('45'));
    await dialogue.handle(silence);
    await dialogue.handle(silence);
    expect((await dialogue.handle(key('678#'))).say).toMatch(/Geburtsdatum/);
    await dialogue.handle(key('01031980'));
    expect(log).toEqual(['verify {"customerNumber":"12345678","dateOfBirth":"1980-03-01"}']);
  });

  it('a noise while keying (a cough, the line, a tone heard as a word) keeps the digits and costs nothing', async () => {
    const log: string[] = [];
    const dialogue = new Dialogue(fakeDialogueDeps('day', log));
    await dialogue.handle({ type: 'start' });
    await dialogue.handle(key('1'));
    await dialogue.handle(key('1234'));
    const noise: DialogueEvent = { ...say('ja'), noise: true } as DialogueEvent;
    expect(await dialogue.handle(noise)).toEqual({ say: '', rate: 1, keying: true });
    expect((await dialogue.handle(key('5678#'))).say).toMatch(/Geburtsdatum/);
    await dialogue.handle(key('0103'));
    expect((await dialogue.handle(noise)).keying).toBe(true);
    await dialogue.handle(key('1980'));
    expect(log).toEqual(['verify {"customerNumber":"12345678","dateOfBirth":"1980-03-01"}']);
    // Words that mean something still replace a half-keyed entry, as before.
    const spoken = await reach('verify-number');
    await spoken.handle(key('99'));
    expect((await spoken.handle(say('123D45678'))).say).toMatch(/Geburtsdatum/);
  });

  it('at night, a pause while keying the callback number keeps the digits', async () => {
    const dialogue = await reach('callback-number');
    await dialogue.handle(key('0611'));
    expect((await dialogue.handle(silence)).say).toMatch(/ersten Ziffern/);
    expect((await dialogue.handle(key('22334#'))).say).toMatch(/vormittags/);
  });

  it('silence at the number question asks for the number again, never for the concern', async () => {
    const dialogue = await reach('verify-number');
    const turns = [await dialogue.handle(silence), await dialogue.handle(silence)];
    for (const turn of turns) {
      expect(turn.say).toMatch(/Kundennummer/);
      expect(turn.say).not.toMatch(/worum es geht/);
      expect(turn.listen?.type).toBe('digits');
    }
    expect((await dialogue.handle(silence)).action).toMatchObject({
      type: 'handoff',
      reason: 'speech_failed',
    });
  });

  it('"anything else?" left unanswered: asked once more, then goodbye', async () => {
    const dialogue = await reach('more');
    expect((await dialogue.handle(silence)).say).toMatch(/nichts gehört/);
    expect((await dialogue.handle(silence)).action).toEqual({ type: 'hangup' });
    expect(dialogue.result.ended).toBe(true);
  });

  it('failures are counted per state: three at the open question do not cost the callback number', async () => {
    const dialogue = new Dialogue(fakeDialogueDeps('night'));
    await dialogue.handle({ type: 'start' });
    for (const text of ['blubb', 'blabla']) await dialogue.handle(say(text));
    expect((await dialogue.handle(say('hm'))).say).toMatch(/welcher Nummer/);
    expect((await dialogue.handle(say('weiß nicht'))).say).toMatch(/nicht verstanden/);
    expect((await dialogue.handle(key('061122334#'))).say).toMatch(/vormittags/);
  });

  it('a message left unsaid is asked for twice, then the request is filed without words', async () => {
    const dialogue = await reach('message');
    await dialogue.handle(silence);
    await dialogue.handle(silence);
    const turn = await dialogue.handle(silence);
    expect(turn.action).toMatchObject({ type: 'message', text: '' });
  });
});

describe('an emergency or a crisis in ordinary speech comes first, in every state', () => {
  const CRISIS = /Telefonseelsorge.*0 8 0 0, 1 1 1, 0, 1 1 1/;

  it('at the customer number: a person at once by day, not "number not understood"', async () => {
    const dialogue = await reach('verify-number');
    const turn = await dialogue.handle(say('ich will mir das leben nehmen'));
    expect(turn.say).toMatch(CRISIS);
    expect(turn.say).not.toMatch(/nicht verstanden/);
    expect(turn.action).toMatchObject({ type: 'handoff', reason: 'crisis', priority: true });
    expect(dialogue.currentState).toBe('handed-off');
  });

  it('at the customer number at night: the numbers and an urgent callback', async () => {
    const dialogue = new Dialogue(fakeDialogueDeps('night'));
    for (const event of [{ type: 'start', callerId: CALLER_ID } as const, say('zahlung')]) {
      await dialogue.handle(event);
    }
    expect(dialogue.currentState).toBe('verify-number');
    const turn = await dialogue.handle(say('ich will mir das leben nehmen'));
    expect(turn.say).toMatch(/Telefonseelsorge.*dringenden Rückruf.*0 6 1 2 3 4 5 6 7/);
    expect((await dialogue.handle(say('ja'))).say).toMatch(/vormittags oder nachmittags/);
    expect((await dialogue.handle(silence)).action).toMatchObject({
      type: 'callback',
      urgent: true,
      topic: 'crisis',
    });
  });

  it('at the date of birth: an emergency goes to a person at once', async () => {
    const dialogue = await reach('verify-dob');
    const turn = await dialogue.handle(say('der strom ist abgestellt seit dem 01.03.1980'));
    expect(turn.say).toMatch(/1 1 2/);
    expect(turn.action).toMatchObject({ type: 'handoff', reason: 'emergency', priority: true });
  });

  it('at "anything else?": a "nein" with a crisis in it is no goodbye', async () => {
    const dialogue = await reach('more');
    const turn = await dialogue.handle(
      say('nein ich kann nicht mehr ich will mir das leben nehmen'),
    );
    expect(turn.action).toMatchObject({ type: 'handoff', reason: 'crisis', priority: true });
    expect(turn.say).toMatch(CRISIS);
    expect(turn.say).not.toMatch(/Auf Wiederhören/);
    expect(dialogue.currentState).toBe('handed-off');
    expect(dialogue.result.ended).toBe(false);
  });

  it('"nochmal" or "langsamer" in the same sentence does not repeat the last prompt first', async () => {
    const again = await reach('verify-number');
    expect(
      (await again.handle(say('nochmal bitte ich will nicht mehr leben'))).action,
    ).toMatchObject({ reason: 'crisis', priority: true });
    const slower = await reach('more');
    expect(
      (await slower.handle(say('langsamer bitte der strom ist abgestellt'))).action,
    ).toMatchObject({ reason: 'emergency', priority: true });
  });

  it('while a callback is taken at night: made urgent, the numbers said, the question asked again', async () => {
    const confirm = await reach('callback-confirm-number');
    const turn = await confirm.handle(say('ja ich will nicht mehr leben'));
    expect(turn.say).toMatch(/Telefonseelsorge.*dringend.*0 6 1 2 3 4 5 6 7/);
    expect(confirm.currentState).toBe('callback-confirm-number');
    const window = await reach('callback-window');
    expect((await window.handle(say('vormittags der strom ist abgestellt'))).say).toMatch(
      /1 1 2.*dringend.*vormittags oder nachmittags/,
    );
    expect((await window.handle(say('vormittags'))).action).toMatchObject({
      type: 'callback',
      urgent: true,
      topic: 'emergency',
    });
  });

  it('in a message: the words are kept and filed at once as urgent, and the caller hears the numbers', async () => {
    const dialogue = await reach('message');
    const words = 'bitte rufen sie mich an ich will mir das leben nehmen';
    const turn = await dialogue.handle(say(words));
    expect(turn.say).toMatch(CRISIS);
    expect(turn.say).toMatch(/dringend/);
    expect(turn.action).toMatchObject({
      type: 'message',
      urgent: true,
      text: words,
      topic: 'crisis',
    });
    expect((turn.action as { summary: string }).summary).toMatch(/Grund: Krise/);
    expect(dialogue.currentState).toBe('ended');
    expect(dialogue.result.message).toBe(words);
  });

  it('an ordinary message stays an ordinary one', async () => {
    const dialogue = await reach('message');
    const turn = await dialogue.handle(say('bitte wegen der miete zurückrufen'));
    expect(turn.action).toMatchObject({ type: 'message', urgent: false });
  });
});
