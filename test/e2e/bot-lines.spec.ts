/**
 * Many bot calls on one desk. With "bot first" on, a call that arrives while
 * the desk's audio path is busy no longer knocks: the bot answers it on a
 * line of its own (renderer/audio/bot-line-audio.ts), with its own audio,
 * recogniser and dialogue, while the first call goes on.
 *
 *   1. Two callers at once: each talks to the bot and hears only their own
 *      conversation — one verifies by keypad and hears their payment date,
 *      the other asks about a sick note — checked in each call's transcript,
 *      and by ear: the first caller hears nothing while the second one's
 *      greeting plays.
 *   2. The agent talks with a caller; a second caller reaches the bot,
 *      asks for a person, and comes to the agent as a handoff as soon as
 *      the agent's call is over.
 */
import type { TestCaller } from '../testbed/test-caller';
import { spokenDate } from '../../electron/engine/bot/case-answers';
import { botSays, demoCallerWithPayment, expect, test } from './support/bot-call';
import { registerCaller } from './support/callers';
import { askEngine } from './support/engine-socket';
import { speechBed } from './support/fixtures';
import type { LotsePage } from './support/lotse-page';
import type { LotseWeb } from './support/lotse-web';
import { silentMicrophone } from './support/microphones';
import { expectHearsBot } from './support/hearing';
import { skipWithout } from './support/test-bed-packages';

test.use({ bed: speechBed({ callerMicrophone: silentMicrophone }) });
skipWithout('kamailio', 'chromium');
test.describe.configure({ mode: 'serial' });

/** The desk's bot lines, in use. */
function botLines(app: LotsePage) {
  return app.page.getByTestId('bot-line-list').locator('li');
}

/** Waits until the bot's line for the call has said something matching `pattern` (stored transcript). */
async function lineSays(lotse: LotseWeb, callId: string, pattern: RegExp): Promise<string[]> {
  let said: string[] = [];
  await expect
    .poll(
      async () => {
        const { segments } = await askEngine(lotse, 'transcript.get', { callId });
        said = segments.filter((s) => s.speaker === 'bot').map((s) => s.text);
        return said.some((text) => pattern.test(text));
      },
      { timeout: 45_000, message: `the bot line should say ${pattern}` },
    )
    .toBe(true);
  return said;
}

test('two callers at once: the bot answers both, each hears only their own conversation', async ({
  agent: app,
  caller: first,
  callers,
  kamailio,
  lotse,
}) => {
  const second: TestCaller = await callers.start({ name: 'second', microphone: silentMicrophone });
  await registerCaller(second, kamailio, { user: 'anrufer2' });
  const { keyedNumber, dateOfBirth, nextPayment } = demoCallerWithPayment();
  const [y, m, d] = dateOfBirth;

  // The first caller: the bot in the desk's own audio path.
  await first.call('agent');
  await first.waitForCallState('established', 10_000);
  await botSays(app, /Worum geht es/, { timeout: 45_000 });
  await expect(app.bot.panel).toHaveAttribute('data-speaking', 'false', { timeout: 45_000 });
  await first.sendDtmf('1');
  await botSays(app, /Kundennummer/);
  await expect(app.bot.panel).toHaveAttribute('data-speaking', 'false', { timeout: 30_000 });
  // Half the number: the bot waits silently for the rest (12 s), which leaves
  // a quiet stretch in the first call while the second one's greeting plays.
  const half = Math.ceil(keyedNumber.length / 2);
  await first.sendDtmf(keyedNumber.slice(0, half));

  // The second caller: the bot answers on a line of its own; nothing knocks.
  await second.call('agent');
  await second.waitForCallState('established', 10_000);
  await expect(botLines(app)).toHaveCount(1);
  await expect(app.page.getByTestId('bot-lines-count')).toHaveAttribute('data-in-use', '1');
  await expect(app.page.getByTestId('other-calls')).toHaveCount(0);
  const secondId = (await botLines(app).first().getAttribute('data-call-id')) ?? '';
  await expectHearsBot(second, 'the second caller hears their greeting');
  const firstHears = await first.measureRemoteAudio(1000);
  expect(firstHears.rmsDbfs, 'the first caller hears nothing of the second call').toBeLessThan(-55);

  // Both go on, each with their own question.
  await first.sendDtmf(`${keyedNumber.slice(half)}#`);
  await botSays(app, /Geburtsdatum/);
  await first.sendDtmf(`${d}${m}${y}`);
  const answer = await botSays(app, /nächste Zahlung/);
  expect(answer).toContain(spokenDate(nextPayment));

  await lineSays(lotse, secondId, /Worum geht es/);
  await expect(botLines(app).first()).toHaveAttribute('data-activity', 'listening', {
    timeout: 45_000,
  });
  await app.screenshot('bot-lines-in-use', {
    of: app.page.getByTestId('bot-lines'),
    title: 'Leitungen des Bots: one line in use, listening',
  });
  await second.sendDtmf('4');
  const secondSaid = await lineSays(lotse, secondId, /Krankschreibung/);

  // Each transcript holds only its own conversation.
  const firstSaid = (await app.finals()).filter((f) => f.speaker === 'bot').map((f) => f.text);
  expect(firstSaid.join(' ')).not.toMatch(/Krankschreibung/);
  expect(secondSaid.join(' ')).not.toMatch(/Zahlung|Kundennummer|Geburtsdatum/);

  await second.hangup();
  await expect(botLines(app)).toHaveCount(0);
  await first.hangup();
  await app.expectCall('ended');
  await second.close();
});

test('while the agent talks, the bot takes the next caller and hands them over once the agent is free', async ({
  agent: app,
  caller: first,
  callers,
  kamailio,
}) => {
  await app.closeIfEnded();
  const second: TestCaller = await callers.start({ name: 'second', microphone: silentMicrophone });
  await registerCaller(second, kamailio, { user: 'anrufer2' });

  // The agent takes the first call from the bot and talks.
  await first.call('agent');
  await first.waitForCallState('established', 10_000);
  await app.expectCall('connected');
  await app.bot.takeOver.click();
  await expect(app.bot.panel).toHaveAttribute('data-phase', 'taken-over');

  // The second caller reaches the bot on a line of its own and asks for a person.
  await second.call('agent');
  await second.waitForCallState('established', 10_000);
  await expect(botLines(app)).toHaveCount(1);
  await second.sendDtmf('0');
  await expect(botLines(app).first()).toHaveAttribute('data-activity', 'handoff', {
    timeout: 60_000,
  });
  // Not before the agent is free: their call is still the one on screen.
  await expect(app.bot.panel).toHaveAttribute('data-phase', 'taken-over');

  // The agent's call ends: the waiting caller comes to them as a handoff.
  await app.hangUp();
  await expect(app.bot.handoff).toBeVisible({ timeout: 15_000 });
  await expect(app.bot.handoffReason).toHaveText('Wunsch nach einer Person');
  await expect(botLines(app)).toHaveCount(0);
  await expect(app.callRemote).toContainText('anrufer2');
  // The bot's part of that call is on screen.
  await expect
    .poll(async () => (await app.finals()).some((f) => /Ich verbinde Sie/.test(f.text)))
    .toBe(true);
  await app.bot.takeOverByKeyboard();
  await expect(app.bot.panel).toHaveAttribute('data-phase', 'taken-over');
  await app.hangUp();
  await app.expectCall('ended');
  await second.close();
});
