/**
 * Issue 13, point 2 – no phantom bot, end to end: Lotse in web mode with
 * "bot first" on, a test caller (sip.js in Chromium) through Kamailio whose
 * display name is 600 characters long. Before, the phone's reports of such
 * a call broke the contract and were dropped: the engine never heard that
 * the call ended, and its bot talked on into the next call.
 *
 *   1. the bot answers and the caller hears it;
 *   2. the agent hangs up;
 *   3. the engine heard the end: the call history has it answered, by the
 *      bot, with its end time, under the caller's name cut to the limit; and
 *      the bot had already been ended (`bot.end` finds nothing to end);
 *   4. a second call gets a bot of its own, heard as before.
 */
import { REMOTE_MAX_LENGTH } from '../../electron/contract';
import { expect, test } from './support/bot-call';
import { EngineSocket } from './support/engine-socket';
import { silentMicrophone } from './support/microphones';
import { skipWithout } from './support/test-bed-packages';

const LONG_NAME = `Erika ${'Ä'.repeat(594)}`;

test.use({
  bed: {
    agentMicrophone: silentMicrophone,
    callerMicrophone: silentMicrophone,
    callerAccount: { user: 'erika', displayName: LONG_NAME },
  },
});
// Skipped only where the test bed's Debian packages are missing (a developer machine
// without them); .ci/run installs them, so in CI these tests always run.
skipWithout('kamailio', 'chromium');
test.describe.configure({ mode: 'serial' });

test('a caller with a 600-character name: the bot answers, the agent hangs up, the engine hears the end and the bot is gone', async ({
  agent: app,
  caller,
  lotse,
}) => {
  const socket = await EngineSocket.open(lotse.origin, lotse.token);
  try {
    for (const round of [1, 2]) {
      await app.closeIfEnded();
      await caller.call('agent');
      await caller.waitForCallState('established', 10_000);
      await app.expectCall('connected');
      await expect(app.bot.panel).toBeVisible();
      await expect
        .poll(async () => (await caller.measureRemoteAudio(200)).rmsDbfs, {
          timeout: 30_000,
          intervals: [0],
          message: `the caller hears the bot (call ${round})`,
        })
        .toBeGreaterThan(-45);

      await app.hangUp();
      await app.expectCall('ended');
      await caller.waitForCallState('terminated', 10_000);
      await expect(app.bot.panel).toHaveCount(0);

      // The engine heard the end: the history has the call closed, by the bot.
      const newest = async () =>
        (await socket.request('history.list', { query: { search: 'erika', limit: 1 } })).entries[0];
      let entry: Awaited<ReturnType<typeof newest>>;
      await expect
        .poll(
          async () => {
            entry = await newest();
            return entry?.endedAt ?? null;
          },
          { message: `call ${round} is closed in the history` },
        )
        .not.toBeNull();
      expect(entry).toMatchObject({
        outcome: 'answered',
        handledBy: 'bot',
        displayName: LONG_NAME.slice(0, REMOTE_MAX_LENGTH),
      });
      // …and its bot was ended with it: nothing left to end.
      expect(await socket.request('bot.end', { callId: entry!.callId })).toEqual({ ended: false });
    }
  } finally {
    socket.close();
  }
});
