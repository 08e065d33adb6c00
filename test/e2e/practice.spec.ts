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
import { chromium, expect, test, type Browser } from '@playwright/test';
import { makeSyntheticVoskModel } from '../fixtures/synthetic-vosk-model';
import { makeToneSequenceWav } from '../fixtures/tone-sequence-wav';
import { chromiumAvailable, chromiumLaunchOptions } from '../testbed/chromium';
import { LotsePage } from './support/lotse-page';
import { startLotseWeb, type LotseWeb } from './support/lotse-web';

// Skipped only without Debian's chromium (a developer machine); .ci/run installs it.
test.skip(!chromiumAvailable(), 'needs the Debian package chromium');

let lotse: LotseWeb;
let browser: Browser;
let app: LotsePage;

test.beforeAll(async () => {
  const model = await makeSyntheticVoskModel();
  lotse = await startLotseWeb({ speechModel: model });
  browser = await chromium.launch(
    chromiumLaunchOptions({
      fakeAudioFile: makeToneSequenceWav([{ frequencyHz: null, seconds: 2 }]),
    }),
  );
  app = new LotsePage(await browser.newPage({ viewport: { width: 1366, height: 768 } }));
  await app.open(lotse.url);
  await expect(app.page.getByTestId('speech-status')).toHaveAttribute('data-state', 'ready');
  await app.installTranscriptRecorder();
});

test.afterAll(async () => {
  await browser?.close();
  await lotse?.stop();
});

test('a scripted practice call runs the whole bot conversation on the desk, no SIP', async () => {
  test.setTimeout(120_000);
  const panel = app.page.getByTestId('practice');
  await app.button('Beispielanrufer: Zahlungstermin').click();
  await expect(panel).toHaveAttribute('data-state', 'running');
  const says = async (speaker: string, pattern: RegExp, timeout = 30_000) =>
    expect
      .poll(
        async () => (await app.finals()).some((f) => f.speaker === speaker && pattern.test(f.text)),
        { timeout, message: `${speaker} should say ${pattern}` },
      )
      .toBe(true);
  await says('bot', /künstliche Intelligenz, kein Mensch/, 10_000);
  // The scripted caller's sentence went through the desk's audio path and the speech process.
  await says('caller', /wort/);
  await says('bot', /nicht verstanden/);
  await says('bot', /Kundennummer/);
  await says('bot', /Geburtsdatum/);
  await says('bot', /nächste Zahlung über .* ist für .* angewiesen/);
  // Kept with the test results (1366×768, the smallest desk screen): look at it.
  const shot = test.info().outputPath('practice-view.png');
  await app.page.screenshot({ path: shot, fullPage: true });
  await test.info().attach('practice view', { path: shot, contentType: 'image/png' });
  await says('bot', /Auf Wiederhören/, 40_000);
  // The bot's goodbye ends the practice call by itself.
  await expect(panel).toHaveAttribute('data-state', 'idle', { timeout: 20_000 });
  await expect(
    app.page.getByRole('button', { name: 'Beispielanrufer: Zahlungstermin' }),
  ).toBeEnabled();
});

test('the practice keypad works while the user plays the caller, and the user can end it', async () => {
  const panel = app.page.getByTestId('practice');
  // Day mode by hand: "a person" is a handoff by day (a callback offer at night).
  await app.page.getByLabel('Betriebsart des Bots', { exact: true }).selectOption('day');
  await app.button('Selbst anrufen (Mikrofon)').click();
  await expect(panel).toHaveAttribute('data-state', 'running');
  await expect(panel).toHaveAttribute('data-listening', 'open', { timeout: 20_000 });
  await app.page.getByRole('button', { name: 'Taste 0' }).click();
  // 0 = a person: in practice the handoff is shown, nobody is rung.
  await expect(panel).toHaveAttribute('data-phase', 'handoff', { timeout: 30_000 });
  await app.button('Übung beenden').click();
  await expect(panel).toHaveAttribute('data-state', 'idle');
});
