/**
 * The practice call on a fresh install: a new data folder and no speech
 * model (the default until one is set up). The scripted caller is heard on
 * the desk, and the script's text stands in for the recognition — on screen
 * as such, in the practice panel and on each of its transcript lines; its
 * keys show as keys. It asks for a person at the end, so a newcomer sees the
 * whole desk: the handoff, the (fictitious, bot-verified) caller's case once
 * taken over, the suggested answers, and the wrap-up after the end.
 */
import { expect, test } from './support/fixtures';
import { silentMicrophone } from './support/microphones';
import { skipWithout } from './support/test-bed-packages';

test.use({
  // No `speechModel`: the engine starts without any, as after installation.
  bed: { recordTranscript: true, agentMicrophone: silentMicrophone },
});
// Skipped only without Debian's chromium (a developer machine); .ci/run installs it.
skipWithout('chromium');

test('without a speech model the scripted practice walks through handoff, case, suggestions and wrap-up', async ({
  app,
}) => {
  // The conversation plays in real time (about a minute here).
  test.setTimeout(240_000);
  const { panel, sampleCaller } = app.practice;
  const desk = app.caseDesk;
  await expect(app.speechStatus).toHaveAttribute('data-state', 'no_model');
  // Day mode by hand: a person is a handoff by day (a callback offer at night).
  await app.bot.setMode('day');
  await sampleCaller.click();
  await expect(panel).toHaveAttribute('data-state', 'running');
  await expect(app.practice.noSpeech).toContainText('Übung ohne Spracherkennung');
  await app.says('bot', /künstliche Intelligenz, kein Mensch/);
  // The script's sentence reached the transcript, marked as script text …
  expect(await app.says('caller', /Wann kommt mein Geld\?/)).toMatchObject({
    source: 'script',
    mark: '(Text aus dem Übungsskript, keine Spracherkennung)',
  });
  // … and the bot, which understood it: no "nothing heard", straight to verification.
  await app.says('bot', /Kundennummer/);
  // The keys show: the demo caller's number with #, then the date of birth.
  expect(await app.says('caller', /^\d+#$/)).toMatchObject({ source: 'keys', mark: '(Tasten)' });
  await app.says('bot', /Geburtsdatum/);
  expect(await app.says('caller', /^\d{8}$/)).toMatchObject({ source: 'keys' });
  await app.says('bot', /nächste Zahlung über .* ist für .* angewiesen/);
  expect(await app.says('caller', /mit einer Person sprechen/, 40_000)).toMatchObject({
    source: 'script',
  });
  expect((await app.finals()).map((f) => f.text).join(' ')).not.toMatch(
    /nichts gehört|nicht verstanden/,
  );

  // The handoff: shown, nobody rung; the case stays closed until the user takes the call.
  await expect(panel).toHaveAttribute('data-phase', 'handoff', { timeout: 20_000 });
  await expect(app.practice.handoff).toContainText('Wunsch nach einer Person');
  await expect(desk.context).toHaveCount(0);
  await expect(app.practice.takeOver).toBeFocused();
  await app.page.keyboard.press('Enter');
  await expect(panel).toHaveAttribute('data-phase', 'taken-over');
  // The demo caller the bot verified: the case, and the suggested answers.
  await expect(desk.context).toHaveAttribute('data-case', /.+/);
  await expect(desk.client).toContainText('Bot');
  await expect(desk.suggestions.first()).toBeVisible();
  await app.screenshot('practice-fresh-install', {
    fullPage: true,
    title: 'practice without a speech model: handoff, case, suggestions',
  });

  // The end of the practice: the wrap-up note a person writes after a call.
  await app.practice.end();
  await expect(panel).toHaveAttribute('data-state', 'idle');
  await expect(desk.note).toHaveValue(/Zahlungstermin/, { timeout: 10_000 });
  await expect(desk.note).toHaveValue(/Identität: geprüft durch Bot/);
});
