/**
 * The practice call (Übungsanruf), end to end without any SIP server: Lotse
 * in web mode with the real speech process (synthetic model), the Pico voice
 * and the demo case store. The scripted caller's words travel the same audio
 * path as a real caller's (engine → desk → tap → speech process): the
 * transcript shows them as the caller's. The bot greets with the disclosure,
 * does not understand the synthetic word, takes the keypad menu, verifies the
 * demo caller by keypad, tells the payment date and says goodbye; the
 * practice ends by itself.
 */
import type { LotsePage } from './support/lotse-page';
import { expect, speechBed, test } from './support/fixtures';
import { skipWithout } from './support/test-bed-packages';

test.use({
  bed: speechBed(),
});
// Skipped only without Debian's chromium (a developer machine); .ci/run installs it.
skipWithout('chromium');

/** Waits until `speaker` has said something matching `pattern` (a final line on screen). */
async function says(app: LotsePage, speaker: string, pattern: RegExp, timeout = 30_000) {
  await expect
    .poll(
      async () => (await app.finals()).some((f) => f.speaker === speaker && pattern.test(f.text)),
      { timeout, message: `${speaker} should say ${pattern}` },
    )
    .toBe(true);
}

test('a scripted practice call runs the whole bot conversation on the desk, no SIP', async ({
  app,
}) => {
  // The whole conversation plays in real time: about a minute and a half here.
  test.setTimeout(240_000);
  const { panel, sampleCaller } = app.practice;
  await sampleCaller.click();
  await expect(panel).toHaveAttribute('data-state', 'running');
  await says(app, 'bot', /künstliche Intelligenz, kein Mensch/);
  // The scripted caller's sentence went through the desk's audio path and the speech process.
  await says(app, 'caller', /wort/);
  await says(app, 'bot', /nicht verstanden/);
  await says(app, 'bot', /Kundennummer/);
  await says(app, 'bot', /Geburtsdatum/);
  await says(app, 'bot', /nächste Zahlung über .* ist für .* angewiesen/);
  // Kept with the test results (1366×768, the smallest desk screen): look at it.
  await app.screenshot('practice-view', { fullPage: true, title: 'practice view' });
  await says(app, 'bot', /Auf Wiederhören/, 40_000);
  // The bot's goodbye ends the practice call by itself.
  await expect(panel).toHaveAttribute('data-state', 'idle', { timeout: 20_000 });
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
