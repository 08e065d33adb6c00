import { describe, expect, it } from 'vitest';
import {
  cleanText,
  isNoise,
  keyedDate,
  yesNo,
} from '../../../../../electron/engine/bot/caller-input';
import { Dialogue } from '../../../../../electron/engine/bot/dialogue';
import type { BotTurn, DialogueEvent } from '../../../../../electron/engine/bot/dialogue-types';
import { FAKE_CASE, fakeDialogueDeps, fakeUnderstand } from '../../../../fakes/fake-dialogue-deps';

async function run(dialogue: Dialogue, events: DialogueEvent[]): Promise<BotTurn[]> {
  const turns: BotTurn[] = [];
  for (const event of events) turns.push(await dialogue.handle(event));
  return turns;
}

/** What the caller said, as the understanding processor passes it on. */
const say = (text: string): DialogueEvent => ({
  type: 'utterance',
  text,
  understanding: fakeUnderstand(cleanText(text)),
});
const key = (digits: string): DialogueEvent => ({ type: 'dtmf', digits });
/** Said during the greeting, which cannot be interrupted, and heard after it. */
const held = (text: string): DialogueEvent => ({
  type: 'utterance',
  text,
  understanding: fakeUnderstand(cleanText(text)),
  held: true,
});

describe('Dialogue', () => {
  it('starts with the AI disclosure and one open question', async () => {
    const [greeting] = await run(new Dialogue(fakeDialogueDeps()), [{ type: 'start' }]);
    expect(greeting?.say).toMatch(/^Guten Tag\. Sie sprechen mit dem digitalen Assistenten/);
    expect(greeting?.say).toMatch(/künstliche Intelligenz/);
    expect(greeting?.say.match(/\?/g)).toHaveLength(1);
    expect(greeting?.listen?.type).toBe('open');
  });

  it('says in the greeting, after the AI disclosure, that the call is transcribed and where the privacy notice is', async () => {
    const [greeting] = await run(new Dialogue(fakeDialogueDeps()), [{ type: 'start' }]);
    const say = greeting?.say ?? '';
    // Art. 13 GDPR, § 82 SGB X: one short sentence, spoken before the first question.
    const notice =
      /Das Gespräch wird [^.?]*mitgeschrieben[^.?]*Datenschutz[^.?]*Internetseite\./.exec(say);
    expect(notice).not.toBeNull();
    expect(say.indexOf('künstliche Intelligenz')).toBeLessThan(notice?.index ?? -1);
    expect(notice?.index ?? Infinity).toBeLessThan(say.indexOf('?'));
  });

  it('answers a question outside the remit with what it can do, not "not understood", and counts it as the call\'s intent', async () => {
    const other = (text: string): DialogueEvent => ({
      type: 'utterance',
      text,
      understanding: { intent: 'other', confidence: 0.96, entities: {} },
    });
    const dialogue = new Dialogue(fakeDialogueDeps());
    const turns = await run(dialogue, [
      { type: 'start' },
      other('hallo guten tag'), // a greeting asks for nothing: asked again
      other('wie wird das wetter morgen'),
      say('nein danke'),
    ]);
    expect(turns[1]?.say).toMatch(/nicht verstanden/);
    expect(turns[2]?.say).toMatch(/^Dabei kann ich Ihnen leider nicht helfen/);
    expect(turns[2]?.say).toMatch(/wann Ihr Geld kommt/);
    expect(turns[2]?.say).not.toMatch(/nicht verstanden/);
    expect(turns[3]?.say).toMatch(/Auf Wiederhören/);
    expect(dialogue.result).toMatchObject({ intent: 'other', ended: true });

    // Three such questions in a row: maybe the bot misses what they need — a person.
    const stubborn = new Dialogue(fakeDialogueDeps());
    const again = await run(stubborn, [
      { type: 'start' },
      other('wie wird das wetter morgen'),
      other('wer hat das spiel gestern gewonnen'),
      other('können sie mir ein taxi rufen'),
    ]);
    expect(again[2]?.say).toMatch(/^Dabei kann ich/);
    expect(again[3]?.action).toMatchObject({ type: 'handoff', reason: 'frustration' });
    // A request after such a question is what the call was about.
    const then = new Dialogue(fakeDialogueDeps());
    await run(then, [
      { type: 'start' },
      other('wie wird das wetter morgen'),
      say('wann kommt mein geld'),
    ]);
    expect(then.result.intent).toBe('payment_date');
  });

  it('names human_request as the intent of a night caller who asked for a person', async () => {
    const dialogue = new Dialogue(fakeDialogueDeps('night'));
    await run(dialogue, [{ type: 'start' }, say('ich möchte einen mitarbeiter sprechen')]);
    expect(dialogue.result.intent).toBe('human_request');
    const keyed = new Dialogue(fakeDialogueDeps('night'));
    await run(keyed, [{ type: 'start' }, key('0')]);
    expect(keyed.result.intent).toBe('human_request');
  });

  it('verifies by keypad before answering a payment question from the case', async () => {
    const dialogue = new Dialogue(fakeDialogueDeps());
    const turns = await run(dialogue, [
      { type: 'start' },
      say('wann kommt mein geld'),
      key('123#'), // too short
      key('12345678#'),
      key('01031980'),
    ]);
    expect(turns[1]?.say).toMatch(/Kundennummer/);
    expect(turns[1]?.listen).toMatchObject({ type: 'digits', dtmf: true });
    expect(turns[2]?.say).toMatch(/nicht verstanden/);
    expect(turns[3]?.say).toMatch(/Geburtsdatum/);
    // wrong number (12345678 is not 123D45678): refused without saying why
    expect(turns[4]?.say).toMatch(/nicht bestätigen/);
    expect(turns[4]?.say).not.toMatch(/Zahlung/);
    const more = await run(dialogue, [
      say('123 d 45678 meine kundennummer 123D45678'),
      say('01.03.1980'),
    ]);
    expect(more[1]?.say).toContain(FAKE_CASE.paymentSentence);
    expect(dialogue.result).toMatchObject({
      intent: 'payment_date',
      verified: true,
      answeredFacts: { nextPaymentDate: '2026-12-01' },
    });
  });

  it('gives the same words for an unknown number and a wrong date of birth, and stops after three tries', async () => {
    const unknown = new Dialogue(fakeDialogueDeps());
    const wrongDob = new Dialogue(fakeDialogueDeps());
    const a = await run(unknown, [
      { type: 'start' },
      say('zahlung'),
      say('999D99999'),
      say('01.03.1980'),
    ]);
    const b = await run(wrongDob, [
      { type: 'start' },
      say('zahlung'),
      say('123D45678'),
      say('02.03.1980'),
    ]);
    expect(a[3]?.say).toBe(b[3]?.say);
    const rest = await run(wrongDob, [
      say('123D45678'),
      say('02.03.1980'),
      say('123D45678'),
      say('03.03.1980'),
    ]);
    expect(rest.at(-1)?.action).toMatchObject({
      type: 'handoff',
      reason: 'verification_failed',
      priority: false,
    });
    expect(rest.map((t) => t.say).join(' ')).not.toContain('Dezember');
  });

  it('never says a case fact before verification, over randomised conversations', async () => {
    const inputs: DialogueEvent[] = [
      say('wann kommt mein geld'),
      say('zahlung überwiesen'),
      say('123D45678'),
      say('01.03.1980'),
      say('02.03.1980'),
      say('ja'),
      say('nein'),
      say('wiederholen'),
      say('langsamer'),
      say('termin'),
      say('antrag'),
      say(''),
      key('1'),
      key('12345678#'),
      key('01031980'),
      key('*#9'),
      { type: 'silence' },
    ];
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let conversation = 0; conversation < 300; conversation++) {
      const dialogue = new Dialogue(fakeDialogueDeps());
      await dialogue.handle({ type: 'start' });
      for (let step = 0; step < 12; step++) {
        const event = inputs[Math.floor(random() * inputs.length)] ?? { type: 'silence' };
        const verifiedBefore = dialogue.result.verified;
        const turn = await dialogue.handle(event);
        if (!verifiedBefore && !dialogue.result.verified) {
          expect(turn.say, `conversation ${conversation}, step ${step}`).not.toContain('Dezember');
        }
      }
    }
  });

  it('hands emergencies and crises to a person at once, with priority; crisis callers hear the crisis line', async () => {
    const emergency = await run(new Dialogue(fakeDialogueDeps()), [
      { type: 'start' },
      say('ich habe kein geld mehr für essen'),
    ]);
    expect(emergency[1]?.action).toMatchObject({
      type: 'handoff',
      reason: 'emergency',
      priority: true,
    });
    expect(emergency[1]?.say).toMatch(/1 1 2/);
    const crisis = await run(new Dialogue(fakeDialogueDeps()), [
      { type: 'start' },
      say('ich will nicht mehr leben'),
    ]);
    expect(crisis[1]?.action).toMatchObject({ type: 'handoff', reason: 'crisis', priority: true });
    expect(crisis[1]?.say).toMatch(/Telefonseelsorge.*0 8 0 0, 1 1 1, 0, 1 1 1/);
    expect((crisis[1]?.action as { summary: string }).summary).toMatch(/Grund: Krise/);
  });

  it('says plainly when the case system is down and hands over (day) or takes a callback (night), without counting an attempt', async () => {
    const down = async () => {
      throw new Error('Fachverfahren antwortet nicht rechtzeitig');
    };
    const day = new Dialogue({ ...fakeDialogueDeps(), verify: down });
    const turns = await run(day, [
      { type: 'start' },
      say('wann kommt mein geld'),
      key('12345678#'),
      key('01031980'),
    ]);
    expect(turns[3]?.say).toMatch(/^Unser Fachverfahren ist gerade nicht erreichbar.*verbinde Sie/);
    expect(turns[3]?.action).toMatchObject({ type: 'handoff', reason: 'case_system_unavailable' });
    expect(turns[3]?.say).not.toMatch(/nicht bestätigen/);

    // Verified, then the case read fails: the same plain words, and a person.
    const failingRead = new Dialogue({
      ...fakeDialogueDeps(),
      verify: async () => ({ verified: true, caseRef: FAKE_CASE.caseRef }),
      caseAnswer: down,
    });
    const read = await run(failingRead, [
      { type: 'start' },
      say('wann kommt mein geld'),
      key('12345678#'),
      key('01031980'),
    ]);
    expect(read[3]?.action).toMatchObject({ type: 'handoff', reason: 'case_system_unavailable' });

    const night = new Dialogue({ ...fakeDialogueDeps('night'), verify: down });
    const nightTurns = await run(night, [
      { type: 'start', callerId: '061234567' },
      say('wann kommt mein geld'),
      key('12345678#'),
      key('01031980'),
    ]);
    expect(nightTurns[3]?.say).toMatch(/^Unser Fachverfahren ist gerade nicht erreichbar/);
    expect(nightTurns[3]?.say).toMatch(/0 6 1 2 3 4 5 6 7/);
  });

  it('a number or line locked after failed attempts in earlier calls: the same refusal as a wrong date of birth, then a person (day) or a callback (night)', async () => {
    const tried: string[] = [];
    const locked = async (input: { customerNumber?: string }) => {
      tried.push(input.customerNumber ?? '');
      return { verified: false as const, locked: true as const };
    };
    const wrongDob = await run(new Dialogue(fakeDialogueDeps()), [
      { type: 'start' },
      say('wann kommt mein geld'),
      key('12345678#'),
      key('02031980'),
    ]);
    const refusal = (wrongDob[3]?.say ?? '').split('. ')[0];
    const day = await run(new Dialogue({ ...fakeDialogueDeps(), verify: locked }), [
      { type: 'start' },
      say('wann kommt mein geld'),
      key('12345678#'),
      key('01031980'),
    ]);
    expect(day[3]?.say.startsWith(`${refusal}.`)).toBe(true);
    expect(day[3]?.say).toMatch(/verbinde Sie/);
    expect(day[3]?.say).not.toMatch(/gesperrt|Sperre|Versuche|Dezember/);
    expect(day[3]?.action).toMatchObject({
      type: 'handoff',
      reason: 'verification_failed',
      priority: false,
    });
    const night = await run(new Dialogue({ ...fakeDialogueDeps('night'), verify: locked }), [
      { type: 'start', callerId: '061234567' },
      say('wann kommt mein geld'),
      key('12345678#'),
      key('01031980'),
    ]);
    expect(night[3]?.say.startsWith(`${refusal}.`)).toBe(true);
    expect(night[3]?.say).toMatch(/Rückruf/);
    expect(tried).toEqual(['12345678', '12345678']);
  });

  it('at night takes an urgent callback instead of a handoff', async () => {
    const dialogue = new Dialogue(fakeDialogueDeps('night'));
    const turns = await run(dialogue, [
      { type: 'start', callerId: '061234567' },
      say('der strom ist abgestellt'),
      say('ja'),
      say('vormittags bitte'),
    ]);
    expect(turns[1]?.say).toMatch(/1 1 2.*dringenden Rückruf/);
    expect(turns[1]?.say).toMatch(/0 6 1 2 3 4 5 6 7/);
    expect(turns[3]?.action).toMatchObject({
      type: 'callback',
      urgent: true,
      number: '061234567',
      window: 'vormittags',
      topic: 'emergency',
    });
    expect(dialogue.result).toMatchObject({
      mode: 'night',
      callback: { urgent: true },
      ended: true,
    });
  });

  it('at night takes a message when the caller wants to leave one', async () => {
    const dialogue = new Dialogue(fakeDialogueDeps('night'));
    const turns = await run(dialogue, [
      { type: 'start', callerId: '061234567' },
      say('ich möchte einen mitarbeiter sprechen'),
      say('nein lieber eine nachricht'),
      say('bitte rufen sie mich wegen meiner miete an'),
    ]);
    expect(turns[3]?.action).toMatchObject({
      type: 'message',
      text: 'bitte rufen sie mich wegen meiner miete an',
    });
  });

  it('reprompts, then offers the keypad, then a person', async () => {
    const turns = await run(new Dialogue(fakeDialogueDeps()), [
      { type: 'start' },
      say('äh hm'),
      { type: 'silence' },
      say('blabla'),
    ]);
    expect(turns[1]?.say).toMatch(/nicht verstanden/);
    expect(turns[2]?.say).toMatch(
      /Tasten.*die 1 für den Zahlungstermin.*die 0 für einen Mitarbeiter/,
    );
    expect(turns[3]?.action).toMatchObject({ type: 'handoff', reason: 'low_confidence' });
  });

  it('answers general questions from the knowledge base with the source, and keypad 0 is a person', async () => {
    const dialogue = new Dialogue(fakeDialogueDeps());
    const turns = await run(dialogue, [
      { type: 'start' },
      say('ich bin krank'),
      say('ja'),
      key('0'),
    ]);
    expect(turns[1]).toMatchObject({ source: '§ 56 SGB II' });
    expect(turns[1]?.say).toMatch(/Krankmeldung.*Kann ich sonst noch/);
    expect(turns[2]?.say).toMatch(/Was kann ich noch/);
    expect(turns[3]?.action).toMatchObject({ type: 'handoff', reason: 'human_request' });
  });

  it('marks what it answered (with the source), never its prompts or menus', async () => {
    const dialogue = new Dialogue(fakeDialogueDeps());
    const turns = await run(dialogue, [
      { type: 'start' },
      say('äh hm'),
      say('blabla'),
      key('4'),
      key('1'),
      key('1'),
      say('123D45678'),
      say('01.03.1980'),
    ]);
    // Greeting, reprompt, keypad menu: prompts only.
    for (const turn of turns.slice(0, 3)) expect(turn.answer).toBeUndefined();
    expect(turns[2]?.say).toMatch(/die 6/);
    // The knowledge answer and the case answer: marked, whole, without "anything else?".
    expect(turns[3]).toMatchObject({ source: '§ 56 SGB II' });
    expect(turns[3]?.answer).toBeTruthy();
    expect(turns[3]?.say.startsWith(turns[3]?.answer ?? '-')).toBe(true);
    expect(turns[3]?.answer).not.toMatch(/Kann ich sonst/);
    expect(turns[4]?.answer).toBeUndefined();
    expect(turns[7]).toMatchObject({ answer: FAKE_CASE.paymentSentence, source: 'Fallakte' });
  });

  it("cuts the handoff summary's quotes at a sentence or word end, never inside a word", async () => {
    const dialogue = new Dialogue(fakeDialogueDeps());
    const turns = await run(dialogue, [
      { type: 'start' },
      say('äh hm'),
      say(
        'also ich wollte eigentlich nur fragen weil mein vermieter mir geschrieben hat dass die nebenkostenabrechnung ' +
          'nachgezahlt werden muss und ich weiß nicht ob das jobcenter das übernimmt oder ob ich das selbst zahlen muss',
      ),
      key('0'),
    ]);
    const summary = (turns[3]?.action as { summary: string }).summary;
    const said = /Zuletzt gesagt: „([^“]*)“/.exec(summary)?.[1] ?? '';
    const bot = /Bot zuletzt: „([^“]*)“/.exec(summary)?.[1] ?? '';
    // The last thing the bot said was the keypad menu (over 200 characters).
    expect(turns[2]?.say.length).toBeGreaterThan(200);
    for (const [quote, whole] of [
      [bot, turns[2]?.say ?? ''],
      [
        said,
        turns[2]
          ? 'also ich wollte eigentlich nur fragen weil mein vermieter mir geschrieben hat dass die nebenkostenabrechnung nachgezahlt werden muss und ich weiß nicht ob das jobcenter das übernimmt oder ob ich das selbst zahlen muss'
          : '',
      ],
    ] as const) {
      expect(quote.length).toBeLessThanOrEqual(200);
      expect(quote.endsWith(' …')).toBe(true);
      const kept = quote.slice(0, -2);
      expect(whole.startsWith(kept)).toBe(true);
      // Whole words: what follows in the original is a word boundary.
      expect(whole.charAt(kept.length)).toMatch(/[\s,.]/);
    }
    expect(bot).toMatch(/^Sie können auch die Tasten Ihres Telefons nutzen\. …$|Zahlungstermin/);
  });

  it('repeats on request, slower when asked, and hands over after the same question three times', async () => {
    const dialogue = new Dialogue(fakeDialogueDeps());
    const turns = await run(dialogue, [
      { type: 'start' },
      say('ich bin krank'),
      say('wiederholen sie bitte'),
      say('langsamer bitte'),
    ]);
    expect(turns[2]?.say).toBe(turns[1]?.say);
    expect(turns[3]).toMatchObject({ say: turns[1]?.say, rate: 0.8 });
    const again = await run(dialogue, [say('ich bin krank'), say('ich bin krank')]);
    expect(again[1]?.action).toMatchObject({ type: 'handoff', reason: 'frustration' });
  });

  it('survives empty, very long, non-German and garbage input', async () => {
    const dialogue = new Dialogue(fakeDialogueDeps());
    await dialogue.handle({ type: 'start' });
    for (const event of [
      say(''),
      say('x'.repeat(10_000)),
      say('Где мои деньги?'),
      key('*#*#'),
      key(''),
    ]) {
      const turn = await dialogue.handle(event);
      expect(typeof turn.say).toBe('string');
    }
  });

  describe('words said during the greeting (held, heard after it)', () => {
    it('a request is answered once', async () => {
      const dialogue = new Dialogue(fakeDialogueDeps());
      const [, answer] = await run(dialogue, [{ type: 'start' }, held('ich bin krank')]);
      expect(answer?.say).toMatch(/Krankmeldung/);
      expect(dialogue.currentState).toBe('more');
    });

    it('words not understood get no reprompt and are no failure: the next miss is the first', async () => {
      const dialogue = new Dialogue(fakeDialogueDeps());
      const turns = await run(dialogue, [
        { type: 'start' },
        held('blubb wort quatsch'),
        held('ja'),
        say('blubb'),
        say('blabla'),
        say('hm'),
      ]);
      expect(turns[1]).toEqual({ say: '', rate: 1 });
      expect(turns[2]).toEqual({ say: '', rate: 1 });
      expect(turns[3]?.say).toMatch(/nicht verstanden/);
      expect(turns[4]?.say).toMatch(/Tasten/);
      expect(turns[5]?.action).toMatchObject({ type: 'handoff', reason: 'low_confidence' });
    });

    it('an emergency or a crisis is acted on at once, also after keys took the caller on', async () => {
      const atOpen = await run(new Dialogue(fakeDialogueDeps()), [
        { type: 'start' },
        held('ich will nicht mehr leben'),
      ]);
      expect(atOpen[1]?.action).toMatchObject({ reason: 'crisis', priority: true });
      // Even in a sentence that also asks to hear something again.
      const again = await run(new Dialogue(fakeDialogueDeps()), [
        { type: 'start' },
        held('noch einmal bitte ich will nicht mehr leben'),
      ]);
      expect(again[1]?.action).toMatchObject({ reason: 'crisis', priority: true });
      // Keys first (1: the payment date, part of a number), then the words.
      const atNumber = new Dialogue(fakeDialogueDeps());
      const turns = await run(atNumber, [
        { type: 'start' },
        key('1'),
        key('99'),
        held('der strom ist abgestellt'),
      ]);
      expect(turns[3]?.action).toMatchObject({ reason: 'emergency', priority: true });
      expect(turns[3]?.say).toMatch(/1 1 2/);
      // At "anything else?".
      const atMore = new Dialogue(fakeDialogueDeps());
      const more = await run(atMore, [
        { type: 'start' },
        key('4'),
        held('nein ich will nicht mehr leben'),
      ]);
      expect(more[2]?.action).toMatchObject({ reason: 'crisis', priority: true });
      expect(atMore.currentState).toBe('handed-off');
    });

    it('at night, during a callback already being taken, a crisis makes it urgent and says the numbers', async () => {
      const dialogue = new Dialogue(fakeDialogueDeps('night'));
      const turns = await run(dialogue, [
        { type: 'start' },
        key('0'),
        key('061122334#'),
        held('ich will nicht mehr leben'),
        say('vormittags'),
      ]);
      expect(turns[3]?.say).toMatch(/Telefonseelsorge.*dringend.*vormittags oder nachmittags/);
      expect(turns[4]?.action).toMatchObject({
        type: 'callback',
        urgent: true,
        window: 'vormittags',
      });
      expect(dialogue.result.intent).toBe('crisis');
    });

    it('other words after keys are let go: the number keyed so far stays', async () => {
      const log: string[] = [];
      const dialogue = new Dialogue(fakeDialogueDeps('day', log));
      const turns = await run(dialogue, [
        { type: 'start' },
        key('1'),
        key('1234'),
        held('wann kommt mein geld'),
        key('5678#'),
        key('01031980'),
      ]);
      expect(turns[3]).toEqual({ say: '', rate: 1 });
      expect(turns[4]?.say).toMatch(/Geburtsdatum/);
      expect(log).toEqual(['verify {"customerNumber":"12345678","dateOfBirth":"1980-03-01"}']);
    });
  });

  it('tells noise from a turn: hesitation, or one or two unsure words', () => {
    for (const noise of ['', '  ', 'äh', 'ähm', 'hm', 'mhm', 'äh ähm', 'öhm.']) {
      expect(isNoise(noise, null), noise).toBe(true);
    }
    expect(isNoise('ja', 0.3)).toBe(true);
    expect(isNoise('die und', 0.5)).toBe(true);
    // Sure, or long enough to be meant: a turn.
    expect(isNoise('mitarbeiter', 0.95)).toBe(false);
    expect(isNoise('mitarbeiter', null)).toBe(false);
    expect(isNoise('ich will nicht mehr leben', 0.3)).toBe(false);
    expect(isNoise('wann kommt mein geld', 0.4)).toBe(false);
  });

  it('reads keyed dates and yes/no', () => {
    expect(keyedDate('01031980')).toBe('1980-03-01');
    expect(keyedDate('31021980')).toBeUndefined();
    expect(keyedDate('123')).toBeUndefined();
    expect(yesNo('ja bitte')).toBe('yes');
    expect(yesNo('nein danke')).toBe('no');
    expect(yesNo('vielleicht')).toBeNull();
  });
});
