/**
 * The practice call (Übungsanruf), end to end without any SIP server: Lotse
 * in web mode with the real speech process (synthetic model), the Pico voice
 * and the demo case store. The scripted caller's words travel the same audio
 * path as a real caller's (engine → desk → tap → speech process): the
 * transcript shows them as the caller's, and its keys as keys. The bot greets
 * with the disclosure, does not understand the synthetic word, takes the
 * keypad menu, verifies the demo caller by keypad and tells the payment
 * date; the caller then presses 0 for a person and the practice shows the
 * handoff. (Without a speech model: practice-fresh-install.spec.ts.)
 */
import { expect, speechBed, test } from './support/fixtures';
import { skipWithout } from './support/test-bed-packages';

test.use({
  bed: speechBed(),
});
// Skipped only without Debian's chromium (a developer machine); .ci/run installs it.
skipWithout('chromium');

test('a scripted practice call runs the whole bot conversation on the desk, no SIP, up to the handoff', async ({
  app,
}) => {
  // The whole conversation plays in real time: about a minute and a half here.
  test.setTimeout(240_000);
  const { panel, sampleCaller } = app.practice;
  // Day mode by hand: a person is a handoff by day (a callback offer at night).
  await app.bot.setMode('day');
  await sampleCaller.click();
  await expect(panel).toHaveAttribute('data-state', 'running');
  // A speech model is loaded: recognition, no script text standing in for it.
  await expect(app.practice.noSpeech).toHaveCount(0);
  await app.says('bot', /künstliche Intelligenz, kein Mensch/);
  // The scripted caller's sentence went through the desk's audio path and the speech process.
  const heard = await app.says('caller', /wort/);
  expect(heard.source).toBeUndefined();
  await app.says('bot', /nicht verstanden/);
  // Its keys show, marked as keys: 1 in the keypad menu (payment date).
  expect(await app.says('caller', /^1$/)).toMatchObject({ source: 'keys', mark: '(Tasten)' });
  await app.says('bot', /Kundennummer/);
  await app.says('bot', /Geburtsdatum/);
  await app.says('bot', /nächste Zahlung über .* ist für .* angewiesen/);
  // Kept with the test results (1366×768, the smallest desk screen): look at it.
  await app.screenshot('practice-view', { fullPage: true, title: 'practice view' });
  // At "anything else?" the caller presses 0, a person: shown, nobody is rung.
  expect(await app.says('caller', /^0$/, 40_000)).toMatchObject({ source: 'keys' });
  await expect(panel).toHaveAttribute('data-phase', 'handoff', { timeout: 20_000 });
  await expect(app.practice.handoff).toContainText('Wunsch nach einer Person');
  expect((await app.finals()).filter((f) => f.source === 'script')).toEqual([]);
  await app.practice.end();
  await expect(panel).toHaveAttribute('data-state', 'idle');
  await expect(sampleCaller).toBeEnabled();
});

test('the practice keypad works while the user plays the caller, and the user can end it', async ({
  app,
}) => {
  const { panel } = app.practice;
  // Day mode by hand: "a person" is a handoff by day (a callback offer at night).
  await app.bot.setMode('day');
  await app.practice.callYourself();
  await expect(panel).toHaveAttribute('data-state', 'running');
  await expect(panel).toHaveAttribute('data-listening', 'open', { timeout: 20_000 });
  await app.practice.press('0');
  // 0 = a person: in practice the handoff is shown, nobody is rung (after the whole greeting, ~24 s).
  await expect(panel).toHaveAttribute('data-phase', 'handoff', { timeout: 45_000 });
  await app.practice.end();
  await expect(panel).toHaveAttribute('data-state', 'idle');
});
