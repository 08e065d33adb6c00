/**
 * What the bot specs share: waiting for a line the bot says (as the agent's
 * transcript shows it), and the logs and transcript attached when a test fails.
 */
import { expect, test } from '@playwright/test';
import type { Kamailio } from '../../testbed/kamailio';
import { attachLogsOnFailure } from './attach-logs';
import type { LotsePage } from './lotse-page';
import type { LotseWeb } from './lotse-web';

/**
 * The desk ready for bot calls: speech ready, the account on the test bed's
 * Kamailio, "bot first" on, day mode by hand (the tests must not depend on
 * the time of day), registered, and the transcript recorder installed.
 */
export async function readyForBotCalls(app: LotsePage, wsUrl: string): Promise<void> {
  await expect(app.page.getByTestId('speech-status')).toHaveAttribute('data-state', 'ready');
  await app.configureAccount({ serverUrl: wsUrl, sipUri: 'sip:agent@127.0.0.1' });
  await app.page.getByTestId('bot-first').check();
  await app.page.getByLabel('Betriebsart des Bots', { exact: true }).selectOption('day');
  await expect(app.page.getByTestId('bot-mode')).toHaveAttribute('data-mode', 'day');
  await app.register();
  await app.expectRegistration('registered');
  await app.installTranscriptRecorder();
}

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

/** On failure: Kamailio's and the engine's logs and what the transcript showed. */
export async function attachBotCallEvidence(parts: {
  kamailio?: Kamailio | undefined;
  lotse?: LotseWeb | undefined;
  app?: LotsePage | undefined;
}): Promise<void> {
  const { kamailio, lotse, app } = parts;
  await attachLogsOnFailure({
    'kamailio.log': () => kamailio?.log(),
    'lotse.log': () => lotse?.output(),
    'engine.log': () =>
      lotse
        ?.engineLog()
        .map((l) => `${l.time} ${l.level} [${l.scope}] ${l.message}`)
        .join('\n'),
  });
  if (test.info().status !== test.info().expectedStatus && app) {
    const finals = await app.finals().catch(() => []);
    await test.info().attach('transcript', {
      body: finals.map((f) => `${f.speaker}: ${f.text}`).join('\n'),
      contentType: 'text/plain',
    });
  }
}
