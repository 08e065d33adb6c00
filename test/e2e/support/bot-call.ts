/**
 * What the bot specs share: the desk ready for bot calls, and waiting for a
 * line the bot says (as the agent's transcript shows it).
 */
import {
  DEMO_HOUSEHOLDS,
  DEMO_SEED,
  generateDemoHouseholds,
} from '../../../electron/engine/cases/demo-households';
import type { TestCaller } from '../../testbed/test-caller';
import { expect, test as base, WORKER } from './fixtures';
import type { LotsePage } from './lotse-page';

/**
 * `agent` is the desk ready for bot calls: speech ready (the bed has a
 * model), the account on the test bed's Kamailio, "bot first" on, day mode
 * by hand (the tests must not depend on the time of day), registered, and
 * the transcript recorded (the bed's `recordTranscript`).
 */
export const test = base.extend({
  agent: [
    async ({ app, kamailio }, use) => {
      await app.configureAccount({ serverUrl: kamailio.wsUrl, sipUri: 'sip:agent@127.0.0.1' });
      await app.bot.setFirst(true);
      await app.bot.setMode('day');
      await app.register();
      await app.expectRegistration('registered');
      await use(app);
    },
    WORKER,
  ],
});

export { expect };

/**
 * Waits until the bot has said something matching `pattern` (a final "bot"
 * line on screen), counting only lines after the first `since` on record.
 */
export async function botSays(
  app: LotsePage,
  pattern: RegExp,
  options: { since?: number; timeout?: number } = {},
): Promise<string> {
  let found = '';
  await expect
    .poll(
      async () => {
        const lines = (await app.finals())
          .slice(options.since ?? 0)
          .filter((f) => f.speaker === 'bot');
        found = lines.find((l) => pattern.test(l.text))?.text ?? '';
        return found;
      },
      { timeout: options.timeout ?? 30_000, message: `the bot should say ${pattern}` },
    )
    .not.toBe('');
  return found;
}

/** The Berlin calendar date today, as the case store counts it. */
function berlinToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
}

/**
 * A demo caller with a payment to come, from the demo case data the engine
 * generated on its first start (same seed, same day): the customer number
 * as keyed, the date of birth (year, month, day) and the next payment date.
 */
export function demoCallerWithPayment(): {
  /** As the case store writes it, with its letter (e.g. 991D00001). */
  customerNumber: string;
  keyedNumber: string;
  dateOfBirth: [string, string, string];
  nextPayment: string;
} {
  const household = generateDemoHouseholds({
    seed: DEMO_SEED,
    households: DEMO_HOUSEHOLDS,
    asOf: new Date(),
  }).find((h) => h.members[0]?.customerNumber && (h.payments ?? []).length > 0)!;
  const member = household.members[0]!;
  const today = berlinToday();
  const nextPayment = (household.payments ?? [])
    .map((p) => p.date)
    .filter((d) => d >= today)
    .sort()[0]!;
  const [y = '', m = '', d = ''] = member.dateOfBirth.split('-');
  return {
    customerNumber: member.customerNumber!,
    keyedNumber: member.customerNumber!.replace(/\D/g, ''),
    dateOfBirth: [y, m, d],
    nextPayment,
  };
}

/**
 * The caller phones the desk and the bot takes the call (bot first; `mode`
 * set by hand when given): waits for its question "Worum geht es?" and
 * returns how many final lines were on record before the call.
 */
export async function callTheBot(
  app: LotsePage,
  caller: TestCaller,
  options: { mode?: 'day' | 'night' } = {},
): Promise<number> {
  await app.closeIfEnded();
  if (options.mode) {
    await app.bot.setFirst(true);
    await app.bot.setMode(options.mode);
  }
  const since = (await app.finals()).length;
  await caller.call('agent');
  await caller.waitForCallState('established', 10_000);
  await app.expectCall('connected');
  await botSays(app, /Worum geht es/, { timeout: 30_000, since });
  return since;
}
