/**
 * Full is full, clearly: a desk whose bot lines are all in use refuses the
 * next caller with 486 Busy Here, a status a SIP server routes on. The test
 * bed's Kamailio keeps the hotline as a hunt group of two bot stations
 * ("bot1", then "bot2"; test/testbed/kamailio/kamailio.cfg): the refused
 * caller reaches the second station's bot, and the first desk shows the
 * refused call.
 */
import { makeSyntheticVoskModel } from '../fixtures/synthetic-vosk-model';
import { botSays } from './support/bot-call';
import { registerCaller } from './support/callers';
import { expect, openDesk, speechBed, test } from './support/fixtures';
import type { LotsePage } from './support/lotse-page';
import { startLotseWeb } from './support/lotse-web';
import { silentMicrophone } from './support/microphones';
import { expectHearsBot } from './support/hearing';
import { skipWithout } from './support/test-bed-packages';

test.use({ bed: speechBed({ callerMicrophone: silentMicrophone }) });
skipWithout('kamailio', 'chromium');

/** A desk as one of the hotline's bot stations: bot first, by day, registered. */
async function botStation(desk: LotsePage, wsUrl: string, user: string): Promise<void> {
  await desk.configureAccount({ serverUrl: wsUrl, sipUri: `sip:${user}@127.0.0.1` });
  await desk.bot.setFirst(true);
  await desk.bot.setMode('day');
  await desk.register();
  await desk.expectRegistration('registered');
}

test('every bot line in use: the desk answers 486 and the hunt group gives the caller to the second bot station', async ({
  app: first,
  appBrowser,
  bed,
  caller,
  callers,
  evidence,
  kamailio,
}) => {
  // The second station: a desk of its own (its own engine and window).
  const engine = await startLotseWeb({ speechModel: await makeSyntheticVoskModel() });
  evidence.addForTest('station2-engine.log', () => engine.output());
  const context = await appBrowser.newContext({ viewport: { width: 1366, height: 768 } });
  try {
    const second = await openDesk(await context.newPage(), engine, bed);
    await botStation(first, kamailio.wsUrl, 'bot1');
    await botStation(second, kamailio.wsUrl, 'bot2');
    // The first station takes one bot call at a time.
    await first.page.getByTestId('bot-lines-setting').fill('1');
    await expect(first.page.getByTestId('bot-lines-count')).toContainText('0 von 1 belegt');
    await first.page.getByTestId('bot-lines-setting').focus();
    await first.screenshot('call-policy-bot-lines', {
      of: first.page.getByTestId('call-policy'),
      title: 'Anrufregeln: one bot call at a time (focused)',
    });

    await caller.call('hotline');
    await caller.waitForCallState('established', 10_000);
    await first.expectCall('connected');
    await botSays(first, /künstliche Intelligenz/, { timeout: 30_000 });

    const next = await callers.start({ name: 'next caller', microphone: silentMicrophone });
    await registerCaller(next, kamailio, { user: 'anrufer2' });
    await next.call('hotline');
    await next.waitForCallState('established', 15_000);
    // The first station refused it (486) and shows so; the second one's bot has it.
    await expect(first.page.getByTestId('bot-lines-count')).toHaveAttribute('data-refused', '1');
    await expect(first.page.getByTestId('missed-calls')).toContainText('anrufer2');
    await first.screenshot('bot-lines-refused', {
      of: first.page.getByTestId('bot-lines'),
      title: 'Leitungen des Bots: one call refused',
    });
    await second.expectCall('connected');
    await botSays(second, /künstliche Intelligenz/, { timeout: 30_000 });
    await expectHearsBot(next, 'the caller hears the second station’s bot');
    // The first station still has its own caller, alone.
    await expect(first.page.getByTestId('bot-lines-count')).toHaveAttribute('data-in-use', '0');

    await next.hangup();
    await second.expectCall('ended');
    await caller.hangup();
    await first.expectCall('ended');
    await next.close();
  } finally {
    await context.close();
    await engine.stop();
  }
});
