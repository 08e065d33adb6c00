/**
 * The bot with a phone nobody here wrote: baresip (libre) calls the desk
 * over plain UDP RTP through Kamailio + rtpengine, as a desk phone or a
 * gateway does, and sends its keys as RFC 4733 telephone-events — the
 * default of phones and gateways. WebRTC does not hand such events to
 * JavaScript; Chromium plays them out as tones, and the engine finds the keys
 * in the caller's audio (audio/dtmf-detector.ts). The whole keypad
 * verification must work that way, with a pause of 8 s in the middle of the
 * customer number, and the tones must never reach the recogniser as words.
 * (baresip 1.0 cannot send SIP INFO; the SIP INFO path is bot-call.spec.ts.)
 */
import { spokenDate } from '../../electron/engine/bot/case-answers';
import { makeToneSequenceWav } from '../fixtures/tone-sequence-wav';
import { botSays, demoCallerWithPayment, expect, test } from './support/bot-call';
import { speechBed } from './support/fixtures';
import { expectStays } from './support/stays';
import { skipWithout } from './support/test-bed-packages';

test.use({
  bed: speechBed({
    relayMedia: true,
    // The desk phone's caller says nothing: every key must come from the keypad.
    deskPhoneSource: () => makeToneSequenceWav([{ frequencyHz: null, seconds: 120 }], 8_000),
  }),
});
// Skipped only where the test bed's Debian packages are missing (a developer machine
// without them); .ci/run installs them, so in CI these tests always run.
skipWithout('kamailio', 'rtpengine', 'baresip', 'chromium');
test.describe.configure({ mode: 'serial' });

test('a desk phone verifies by RFC 4733 keys with a pause of 8 s and hears its payment date; no key becomes a word', async ({
  agent: app,
  baresip: phone,
}) => {
  const { keyedNumber, dateOfBirth, nextPayment } = demoCallerWithPayment();
  const [y, m, d] = dateOfBirth;

  await phone.dial('sip:agent@127.0.0.1');
  await phone.waitForCallEstablished(15_000);
  await app.expectCall('connected');
  await botSays(app, /künstliche Intelligenz, kein Mensch/, { timeout: 30_000 });
  // The greeting with the privacy sentence is ~24 s of speech and cannot be cut short.
  await expect(app.bot.panel).toHaveAttribute('data-speaking', 'false', { timeout: 45_000 });

  await phone.sendDtmf('1');
  await botSays(app, /Kundennummer/);
  const half = Math.ceil(keyedNumber.length / 2);
  await phone.sendDtmf(keyedNumber.slice(0, half));
  const botLines = async () => (await app.finals()).filter((f) => f.speaker === 'bot').length;
  await expectStays(botLines, await botLines(), 8_000, 'the bot waits while the caller pauses');
  await phone.sendDtmf(`${keyedNumber.slice(half)}#`);
  await botSays(app, /Geburtsdatum/);
  await phone.sendDtmf(`${d}${m}${y}`);

  const answer = await botSays(app, /nächste Zahlung/);
  expect(answer).toContain(spokenDate(nextPayment));
  await expect(app.bot.verified).toHaveText('Identität bestätigt');
  await expect(app.bot.intent).toHaveText('Zahlungstermin');

  const finals = await app.finals();
  // The caller only pressed keys: not one of their tones became a word.
  expect(finals.filter((f) => f.speaker === 'caller').map((f) => f.text)).toEqual([]);
  const said = finals.filter((f) => f.speaker === 'bot').map((f) => f.text);
  expect(said.join(' ')).not.toMatch(/nicht verstanden|nichts gehört|ersten Ziffern|Tasten/);

  await phone.hangup();
  await app.expectCall('ended');
  await expect(app.bot.panel).toHaveCount(0);
});
