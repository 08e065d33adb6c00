/**
 * The spoken path, end to end with real recognition: Lotse in web mode with
 * the real speech process on the small German digits model
 * (test/fixtures/digits-model: null … neun, zwo, ja, nein), Kamailio, and a
 * test caller (sip.js in Chromium) whose microphone the test drives with
 * synthetic voices (espeak-ng variants and Pico held out of the model's
 * training):
 *
 *   1. real-call word error rate: held-out digit sentences spoken through
 *      WebRTC, the app's AudioWorklet tap, resampling and the speech process,
 *      scored against the caller-leg finals in the app's transcript;
 *   2. spoken verification (bot first, day mode): keypad 1 for the payment
 *      date, the customer number and the date of birth SPOKEN as digits, the
 *      bot tells the payment date; a wrong date of birth is refused with the
 *      same words as an unknown number;
 *   3. night mode: keypad 0 asks for a person, the bot offers a callback to
 *      the caller's number, a spoken "ja" confirms it and the callback lands
 *      in the worklist.
 */
import { spokenDate } from '../../electron/engine/bot/case-answers';
import {
  DIGITS_SAMPLE_RATE,
  digitsAsWords,
  espeakSpeech,
  picoSpeech,
  pickHeldOut,
} from '../fixtures/digits-speech';
import { installScriptedMicrophone, type ScriptedMicrophone } from '../testbed/scripted-microphone';
import { botSays, callTheBot, demoCallerWithPayment } from './support/bot-call';
import { registerCaller } from './support/callers';
import { EngineSocket } from './support/engine-socket';
import { expect, test as base, WORKER } from './support/fixtures';
import type { LotsePage } from './support/lotse-page';
import {
  loadHeldOut,
  speakAndScore,
  totalWer,
  voiceName,
  type SentenceResult,
} from './support/real-call-digits';
import { silentMicrophone } from './support/microphones';
import { skipWithout } from './support/test-bed-packages';
import { callerReachesAgent } from './support/call-flows';

/** The caller's number: digits, so the night-mode bot offers to call it back. */
const CALLER_NUMBER = '03012345678';
const CALLER_NUMBER_SHOWN = '030 12345678';
const SENTENCES = 24;

/**
 * The caller's microphone is scripted (the test plays utterances into it):
 * installed before the caller registers, since the install reloads its page.
 */
const test = base.extend<object, { microphone: ScriptedMicrophone }>({
  microphone: [
    async ({ callers }, use) => {
      await use(await installScriptedMicrophone(await callers.start({ name: 'caller' })));
    },
    WORKER,
  ],
  caller: [
    async ({ microphone, kamailio }, use) => {
      await registerCaller(microphone.caller, kamailio, { user: CALLER_NUMBER });
      await use(microphone.caller);
    },
    WORKER,
  ],
});

test.use({
  bed: { speechModel: 'digits', recordTranscript: true, agentMicrophone: silentMicrophone },
});
// Skipped only where the test bed's Debian packages are missing (a developer machine
// without them); .ci/run installs them, so in CI these tests always run.
skipWithout('kamailio', 'chromium');
test.describe.configure({ mode: 'serial' });

/** The bot has said everything, listens, and the caller's line is quiet. */
async function botListening(app: LotsePage, microphone: ScriptedMicrophone): Promise<void> {
  await app.page
    .locator('[data-testid="bot-panel"][data-speaking="false"]:not([data-listening=""])')
    .waitFor({ timeout: 60_000 });
  expect(await microphone.quietFor(300, -50, 15_000), 'the bot falls silent').toBe(true);
}

/** Says `name` once the bot listens; returns the transcript length before it. */
async function sayToBot(
  app: LotsePage,
  microphone: ScriptedMicrophone,
  name: string,
): Promise<number> {
  await botListening(app, microphone);
  const since = (await app.finals()).length;
  await microphone.say(name);
  return since;
}

test('held-out digit sentences through a real call: word error rate ≤ 5 %', async ({
  agent: app,
  caller,
  microphone,
}) => {
  test.setTimeout(300_000);
  const items = pickHeldOut(SENTENCES);
  const names = await loadHeldOut(microphone, items);
  // An agent call (no bot): nobody talks over the caller.
  await app.bot.setFirst(false);
  await callerReachesAgent(app, caller);
  // The media has settled once the engine measures the caller leg: the first
  // RTP packets arrived and the worklet's tap runs.
  const connectedAt = await app.now();
  await expect
    .poll(async () => (await app.levels('caller', connectedAt)).length, {
      timeout: 15_000,
      message: 'the engine hears the caller leg',
    })
    .toBeGreaterThanOrEqual(5);

  const results: SentenceResult[] = [];
  for (const [i, item] of items.entries()) {
    results.push(
      await speakAndScore(app, microphone, names[i]!, item.text, { voice: voiceName(item) }),
    );
  }
  await app.hangUp();
  await app.expectCall('ended');

  const { wer, errors, words } = totalWer(results);
  const latencies = results
    .map((r) => r.endToFinalMs)
    .filter((ms): ms is number => ms !== null)
    .sort((a, b) => a - b);
  test.info().annotations.push(
    {
      type: 'real-call digit WER',
      description: `${(100 * wer).toFixed(2)} % (${errors} errors in ${words} words, ${results.length} sentences)`,
    },
    {
      type: 'end of speech → final on screen',
      description: `median ${latencies[Math.floor(latencies.length / 2)]?.toFixed(0)} ms, p95 ${latencies[Math.ceil(0.95 * latencies.length) - 1]?.toFixed(0)} ms`,
    },
  );
  await test.info().attach('sentences', {
    body: results
      .map((r) => `${r.errors ? '✗' : '✓'} [${r.voice}] "${r.reference}" → "${r.heard}"`)
      .join('\n'),
    contentType: 'text/plain',
  });
  expect(words, 'enough words for a rate').toBeGreaterThanOrEqual(100);
  expect(wer, results.map((r) => `"${r.reference}" → "${r.heard}"`).join('\n')).toBeLessThanOrEqual(
    0.05,
  );
});

test('spoken verification: number and date of birth as digits give the payment date; a wrong date of birth discloses nothing', async ({
  agent: app,
  caller,
  microphone,
}) => {
  // Three spoken exchanges in real time: about two minutes here.
  test.setTimeout(300_000);
  const { keyedNumber, dateOfBirth, nextPayment: next } = demoCallerWithPayment();
  const [y, m, d] = dateOfBirth;
  const dob = `${d}${m}${y}`;
  // Another real date: a day later (the 28th stays a valid day in every month).
  const wrongDob = `${String((Number(d) % 28) + 1).padStart(2, '0')}${m}${y}`;
  const unknownNumber = '99999999';

  // Two voices: an espeak-ng variant held out of training and Pico.
  await microphone.load(
    'number',
    await espeakSpeech(digitsAsWords(keyedNumber), { variant: 'Andy', speed: 150 }),
    DIGITS_SAMPLE_RATE,
  );
  await microphone.load('dob', await picoSpeech(digitsAsWords(dob), 1), DIGITS_SAMPLE_RATE);
  await microphone.load(
    'wrong-dob',
    await picoSpeech(digitsAsWords(wrongDob), 1),
    DIGITS_SAMPLE_RATE,
  );
  await microphone.load(
    'unknown-number',
    await espeakSpeech(digitsAsWords(unknownNumber), { variant: 'Andy', speed: 150 }),
    DIGITS_SAMPLE_RATE,
  );

  const callStart = await callTheBot(app, caller, { mode: 'day' });
  // The digits model knows no request words: keypad menu 1 = payment date.
  await botListening(app, microphone);
  await caller.sendDtmf('1');
  await botSays(app, /Kundennummer/, { since: callStart });

  // A wrong date of birth for a real number …
  let since = await sayToBot(app, microphone, 'number');
  await botSays(app, /Geburtsdatum/, { since });
  since = await sayToBot(app, microphone, 'wrong-dob');
  const refusedWrongDob = await botSays(app, /nicht bestätigen/, { since });
  expect(refusedWrongDob).not.toContain(spokenDate(next));
  await expect(app.bot.verified).not.toHaveText('Identität bestätigt');
  // … gets the same words as a number that does not exist.
  since = await sayToBot(app, microphone, 'unknown-number');
  await botSays(app, /Geburtsdatum/, { since });
  since = await sayToBot(app, microphone, 'dob');
  const refusedUnknown = await botSays(app, /nicht bestätigen/, { since });
  expect(refusedWrongDob).toBe(refusedUnknown);

  // The right number and date of birth, spoken: the payment date from the case data.
  since = await sayToBot(app, microphone, 'number');
  await botSays(app, /Geburtsdatum/, { since });
  since = await sayToBot(app, microphone, 'dob');
  const answer = await botSays(app, /nächste Zahlung/, { since });
  expect(answer).toContain(spokenDate(next));
  await expect(app.bot.verified).toHaveText('Identität bestätigt');
  await expect(app.bot.intent).toHaveText('Zahlungstermin');
  const callerLines = (await app.finals()).slice(callStart).filter((f) => f.speaker === 'caller');
  expect(callerLines.map((f) => f.text).join(' | ')).toContain(digitsAsWords(dob));

  await caller.hangup();
  await app.expectCall('ended');
});

test('night mode: asking for a person, a spoken "ja" confirms the callback and it lands in the worklist', async ({
  agent: app,
  caller,
  microphone,
}) => {
  test.setTimeout(120_000);
  await microphone.load('ja', await espeakSpeech('ja', { variant: 'max' }), DIGITS_SAMPLE_RATE);
  const items = app.bot.worklistItems;
  const before = await items.count();
  const callStart = await callTheBot(app, caller, { mode: 'night' });
  await botListening(app, microphone);
  await caller.sendDtmf('0');
  // The number offered is the caller's own, read digit by digit.
  await botSays(app, new RegExp(`unter der Nummer ${[...CALLER_NUMBER].join(' ')} zurückrufen`), {
    since: callStart,
  });

  let since = await sayToBot(app, microphone, 'ja');
  await botSays(app, /vormittags oder nachmittags/, { since });
  const heard = (await app.finals()).slice(since).filter((f) => f.speaker === 'caller');
  expect(heard.map((f) => f.text).join(' | ')).toMatch(/\bja\b/i);
  // No time said: "so bald wie möglich".
  since = await sayToBot(app, microphone, 'ja');
  await botSays(app, /Wir rufen Sie so bald wie möglich zurück/, { since });

  await expect(items).toHaveCount(before + 1, { timeout: 15_000 });
  // Shown as the staff read it; the callback dials the number as the bot took it.
  const item = items.filter({ hasText: CALLER_NUMBER_SHOWN });
  await expect(item).toHaveCount(1);
  await expect(item.getByTestId('worklist-number')).toHaveText(CALLER_NUMBER_SHOWN);
  await expect(item.getByTestId('worklist-number')).toHaveAttribute('data-number', CALLER_NUMBER);
  await expect(item).toHaveAttribute('data-status', 'open');
  if ((await app.callStateNow()) !== 'ended') await caller.hangup();
  await app.expectCall('ended');
});

test('the sentence a caller says right before hanging up is in the stored transcript, and the bot call is recorded as the bot’s', async ({
  agent: app,
  caller,
  microphone,
  lotse,
}) => {
  test.setTimeout(120_000);
  const digits = '4711';
  await microphone.load(
    'last-words',
    await picoSpeech(digitsAsWords(digits), 1),
    DIGITS_SAMPLE_RATE,
  );
  await callTheBot(app, caller, { mode: 'day' });
  await botListening(app, microphone);
  // The caller speaks and hangs up the moment their voice ends: no pause
  // ends the turn, so its final comes from closing the stream at the hang-up.
  await microphone.say('last-words');
  await caller.hangup();
  await app.expectCall('ended');

  const socket = await EngineSocket.open(lotse.origin, lotse.token);
  try {
    const entry = (await socket.request('history.list', { query: { limit: 1 } })).entries[0];
    expect(entry?.handledBy).toBe('bot');
    let callerLines: string[] = [];
    await expect
      .poll(
        async () => {
          const { segments } = await socket.request('transcript.get', {
            callId: entry?.callId ?? '',
          });
          callerLines = segments.filter((s) => s.speaker === 'caller').map((s) => s.text);
          return callerLines.join(' | ');
        },
        { timeout: 15_000, message: 'the last sentence is stored' },
      )
      .toContain(digitsAsWords(digits));
  } finally {
    socket.close();
  }
});
