/**
 * The simulator end to end: the real classifier, knowledge base and case store
 * behind the bot pipeline, driven by scripts as acceptance checks will drive it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate, type SimulatorLine } from '../../../../../electron/engine/bot/simulator';
import { INTENT_NAMES } from '../../../../../electron/contract';

const CASES = JSON.parse(
  fs.readFileSync(path.resolve('test/fixtures/cases/mixed-case-file.json'), 'utf8'),
) as unknown;

async function run(script: Record<string, unknown>, cases: unknown = CASES) {
  const lines: SimulatorLine[] = [];
  await simulate({
    cases,
    script: { today: '2026-03-01', ...script },
    write: (line) => lines.push(line),
  });
  const outcome = lines.at(-1)?.outcome as Record<string, unknown>;
  const turns = lines.slice(0, -1) as {
    bot: string;
    sources: string[];
    actions: Record<string, unknown>[];
  }[];
  return { turns, outcome, all: turns.map((t) => t.bot).join(' ') };
}

describe('simulator', () => {
  it('verifies by voice and answers the payment date from the case', async () => {
    const { turns, outcome } = await run({
      turns: [
        { say: 'wann kommt mein geld' },
        { say: 'meine kundennummer ist neun neun acht de null null null null eins' },
        { say: 'ich bin am zwölften april neunzehnhundertfünfundachtzig geboren' },
        { say: 'nein danke' },
      ],
    });
    expect(turns[0]?.bot).toMatch(/künstliche Intelligenz/);
    expect(turns[3]?.bot).toMatch(/1\. April 2026/);
    expect(outcome).toMatchObject({
      intent: 'payment_date',
      verified: true,
      ended: true,
      answeredFacts: { nextPaymentDate: '2026-04-01' },
    });
  });

  it('refuses a wrong date of birth three times without disclosing anything, then hands over', async () => {
    const wrong = { say: 'elfter april neunzehnhundertfünfundachtzig' };
    const number = { dtmf: '99800001#' };
    const { turns, outcome, all } = await run({
      turns: [{ say: 'wann kommt mein geld' }, number, wrong, number, wrong, number, wrong],
    });
    expect(all).not.toMatch(/April 2026|1013/);
    expect(turns.at(-1)?.actions[0]).toMatchObject({
      type: 'handoff',
      reason: 'verification_failed',
    });
    expect(outcome).toMatchObject({ verified: false, handoff: 'verification_failed' });
    const unknown = await run({
      turns: [{ say: 'wann kommt mein geld' }, { dtmf: '12312345#' }, { dtmf: '12041985' }],
    });
    const known = await run({
      turns: [{ say: 'wann kommt mein geld' }, number, { dtmf: '11041985' }],
    });
    expect(unknown.turns.at(-1)?.bot).toBe(known.turns.at(-1)?.bot);
  });

  it.each(
    INTENT_NAMES.filter((i) => !['emergency', 'crisis', 'human_request', 'other'].includes(i)),
  )('has a way through for %s', async (intent) => {
    const { outcome } = await run({ turns: [{ say: SAMPLE[intent] ?? intent }] });
    expect(outcome.intent).toBe(intent);
  });

  it('a single word must be a clear cue: "krankmeldung" is understood, "wort" and "geld" are asked about', async () => {
    const clear = await run({ turns: [{ say: 'krankmeldung' }] });
    expect(clear.outcome.intent).toBe('sick_note');
    for (const word of ['wort', 'geld']) {
      const { turns, outcome } = await run({ turns: [{ say: word }] });
      expect(turns[1]?.bot).toMatch(/nicht verstanden/);
      expect(outcome.intent).toBeNull();
    }
  });

  it('emergency and crisis go to a person at once in the day; crisis callers hear the crisis line', async () => {
    const emergency = await run({
      turns: [{ say: 'ich habe kein geld mehr für essen und der strom ist abgestellt' }],
    });
    expect(emergency.outcome).toMatchObject({ handoff: 'emergency' });
    expect(emergency.turns.at(-1)?.actions[0]).toMatchObject({ priority: true });
    const crisis = await run({ turns: [{ say: 'ich will mir das leben nehmen' }] });
    expect(crisis.outcome).toMatchObject({ handoff: 'crisis' });
    expect(crisis.all).toMatch(/0 8 0 0, 1 1 1, 0, 1 1 1/);
  });

  it('night mode: an urgent callback for an emergency, a message on request', async () => {
    const callback = await run({
      mode: 'night',
      callerId: '061234567',
      turns: [{ say: 'mir wird morgen die wohnung geräumt' }, { say: 'ja' }, { say: 'vormittags' }],
    });
    expect(callback.outcome).toMatchObject({
      mode: 'night',
      callback: { urgent: true, number: '061234567', window: 'vormittags' },
    });
    const message = await run({
      mode: 'night',
      callerId: '061234567',
      turns: [
        { say: 'ich möchte mit einem menschen sprechen' },
        { say: 'ich möchte eine nachricht hinterlassen' },
        { say: 'bitte rufen sie wegen meiner miete zurück' },
      ],
    });
    expect(message.outcome).toMatchObject({ message: { type: 'message' } });
  });

  it('silence and confusion: reprompt, keypad menu, then a person; barge-in is accepted', async () => {
    const { turns, outcome } = await run({
      turns: [{ silence: true }, { say: 'blubb' }, { silence: true }],
    });
    expect(turns[1]?.bot).toMatch(/nichts gehört/);
    expect(turns[2]?.bot).toMatch(/Tasten/);
    expect(outcome.handoff).toBe('speech_failed');
    const barge = await run({ turns: [{ say: 'ich bin krank', bargeIn: true }] });
    expect(barge.outcome.intent).toBe('sick_note');
    expect(barge.turns[1]?.sources.length).toBeGreaterThan(0);
  });

  it('a silence at the number question keeps the way to the number: keys 1, a silence, 99010001#', async () => {
    const { turns } = await run({
      turns: [{ dtmf: '1' }, { silence: true }, { dtmf: '99010001#' }],
    });
    expect(turns[2]?.bot).not.toMatch(/worum es geht/);
    expect(turns[2]).toMatchObject({ listen: 'digits' });
    expect(turns[3]?.bot).toMatch(/Geburtsdatum/);
    // Keyed halfway, a pause, the rest: one number.
    const paused = await run({
      turns: [
        { dtmf: '1' },
        { dtmf: '9980' },
        { silence: true },
        { dtmf: '0001#' },
        { dtmf: '12041985' },
      ],
    });
    expect(paused.turns[3]?.bot).toMatch(/ersten Ziffern/);
    expect(paused.outcome).toMatchObject({ verified: true, intent: 'payment_date' });
  });

  it('a wait lets time pass: the silence timer of a call answers it, a shorter one goes unnoticed', async () => {
    const { turns, outcome } = await run({
      turns: [{ wait: 5 }, { wait: 2 }, { wait: 30 }],
    });
    // 5 s after the open question: nothing yet (the timer runs 6 s) …
    expect(turns[1]).toMatchObject({ bot: '', listen: null });
    // … 7 s: the reprompt; then every 6 s without an answer the next step.
    expect(turns[2]?.bot).toMatch(/nichts gehört/);
    expect(turns[3]?.bot).toMatch(/Tasten.*verbinde/);
    expect(outcome.handoff).toBe('speech_failed');
  });

  it('the whole keypad verification with a pause of 8 s in the middle of the customer number', async () => {
    const { turns, outcome, all } = await run({
      turns: [
        { dtmf: '1' },
        { dtmf: '998' },
        { wait: 8 },
        { dtmf: '00001#' },
        { dtmf: '12041985' },
        { say: 'nein danke' },
      ],
    });
    // The pause goes by: nothing said, the digits wait for the rest.
    expect(turns[3]).toMatchObject({ caller: { wait: 8 }, bot: '' });
    expect(turns[4]?.bot).toMatch(/Geburtsdatum/);
    expect(all).not.toMatch(/nichts gehört|ersten Ziffern|worum es geht/);
    expect(outcome).toMatchObject({
      intent: 'payment_date',
      verified: true,
      answeredFacts: { nextPaymentDate: '2026-04-01' },
      handoff: null,
    });
  });

  it('pauses while keying cost nothing: a caller with a failure already, then two pauses of 8 s, is verified', async () => {
    const { outcome } = await run({
      turns: [
        { dtmf: '1' },
        { say: 'moment' },
        { dtmf: '998' },
        { wait: 8 },
        { dtmf: '0' },
        { wait: 8 },
        { dtmf: '0001#' },
        { dtmf: '12041985' },
      ],
    });
    expect(outcome).toMatchObject({ verified: true, handoff: null });
  });

  it('a long pause while keying: asked for the rest, the digits kept; silent on, a person in the end', async () => {
    const kept = await run({
      turns: [
        { dtmf: '1' },
        { dtmf: '998' },
        { wait: 13 },
        { dtmf: '00001#' },
        { dtmf: '12041985' },
      ],
    });
    expect(kept.turns[3]?.bot).toMatch(/ersten Ziffern/);
    expect(kept.turns[3]?.bot).not.toMatch(/worum es geht/);
    expect(kept.outcome).toMatchObject({ verified: true });
    const silent = await run({ turns: [{ dtmf: '1' }, { dtmf: '998' }, { wait: 120 }] });
    expect(silent.turns[3]?.bot).not.toMatch(/worum es geht/);
    expect(silent.outcome).toMatchObject({ verified: false, handoff: 'speech_failed' });
  });

  it('night: a caller silent at "vormittags oder nachmittags?" still gets the callback', async () => {
    const { turns, outcome } = await run({
      mode: 'night',
      turns: [
        { say: 'ich möchte mit einem menschen sprechen' },
        { dtmf: '061122334#' },
        { silence: true },
      ],
    });
    expect(turns[2]?.bot).toMatch(/vormittags oder nachmittags/);
    expect(turns[3]?.bot).toMatch(/so bald wie möglich/);
    expect(outcome).toMatchObject({
      ended: true,
      callback: { type: 'callback', number: '061122334', window: 'jederzeit' },
    });
  });

  it('bad input: empty, very long, non-German, DTMF garbage, a broken case file', async () => {
    const { outcome } = await run(
      {
        turns: [
          { say: '' },
          { say: 'wort '.repeat(2000) },
          { say: 'Where is my money?' },
          { dtmf: '*#*#ABC' },
        ],
      },
      { version: 1, households: [{ id: 'X' }] },
    );
    expect(outcome.verified).toBe(false);
    expect(outcome.warnings).toEqual(
      expect.arrayContaining([expect.stringContaining('households[0]')]),
    );
    await expect(
      simulate({ cases: CASES, script: { turns: 'nope' }, write: () => undefined }),
    ).rejects.toThrow(/script/);
  });

  it('the CLI answers bad files with one JSON error line and exit code 2', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-sim-'));
    fs.writeFileSync(path.join(dir, 'bad.json'), '{ not json');
    const result = spawnSync(
      'npx',
      [
        'tsx',
        'electron/engine/bot/simulate-cli.ts',
        '--cases',
        path.join(dir, 'bad.json'),
        '--script',
        path.join(dir, 'bad.json'),
      ],
      { encoding: 'utf8' },
    );
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({
      error: expect.stringMatching(/not JSON/),
    });
    fs.rmSync(dir, { recursive: true, force: true });
  }, 20_000);
});

const SAMPLE: Partial<Record<string, string>> = {
  payment_date: 'wann wird das bürgergeld überwiesen',
  payment_missing: 'mein geld ist diesen monat nicht angekommen',
  application_status: 'ist mein antrag schon bearbeitet',
  continuation_application: 'ich muss den weiterbewilligungsantrag stellen',
  notice_explanation: 'ich verstehe meinen bescheid nicht',
  objection: 'ich möchte widerspruch gegen den bescheid einlegen',
  appointment: 'wann ist mein nächster termin',
  sick_note: 'ich bin krank geschrieben',
  change_of_circumstances: 'ich ziehe um und habe eine neue adresse',
  document_submission: 'wie kann ich unterlagen einreichen',
  housing_costs: 'die miete wurde erhöht wer zahlt das',
  absence: 'ich möchte zwei wochen verreisen',
  education_participation: 'gibt es geld für die klassenfahrt meines sohnes',
  job_support: 'ich suche eine arbeit und brauche hilfe bei der bewerbung',
};
