/**
 * The caseworker's screen end to end, through the test bed and the HTTP
 * connector: Lotse in web mode with "bot first", the real speech process on
 * the synthetic model, the case system behind the REST contract
 * (test/testbed/case-contract-server.ts, demo households in a real store)
 * reached through LOTSE_CASE_SYSTEM_URL. A test caller phones in through
 * Kamailio and uses the keypad:
 *
 *   1. the bot verifies the caller (customer number, date of birth) and tells
 *      the payment date; the caller asks for a person (0): handoff;
 *   2. the agent takes over: within 1 s the screen shows the bot's part of
 *      the transcript, the handoff summary, the caller's case (from the
 *      contract server) and a suggestion for the caller's intent;
 *   3. the agent's own speech (fake microphone) is transcribed as a second leg;
 *   4. after the call the proposed note is saved through the connector: the
 *      contract server's store holds it as a contact note.
 *
 * The second test makes the back office fail (a verification that times out,
 * a case read that errors, an answer for a different case, a note that cannot
 * be saved): clear messages, nothing of anyone else on screen, the call goes
 * on, the note is not lost. axe-core scans the views on the way.
 */
import { loadKnowledgeBase } from '../../electron/engine/knowledge/knowledge-base';
import {
  findKnowledgeDirectory,
  findSiteProfile,
} from '../../electron/engine/knowledge/knowledge-paths';
import { loadSiteProfile } from '../../electron/engine/knowledge/site-profile';
import type { CaseContext } from '../../electron/engine/cases/case-system';
import { makeSpeechWav } from '../fixtures/speech-wav';
import { startCaseContractServer, type CaseContractServer } from '../testbed/case-contract-server';
import type { TestCaller } from '../testbed/test-caller';
import { botSays, callTheBot, expect, test as botTest } from './support/bot-call';
import { WORKER } from './support/fixtures';
import type { LotsePage } from './support/lotse-page';
import { silentMicrophone } from './support/microphones';
import { skipWithout } from './support/test-bed-packages';
import { expectAccessible } from './support/accessibility';

const TOKEN = 'e2e-bridge-token';

interface CaseSystem {
  server: CaseContractServer;
  /** The demo caller who verifies. */
  demo: { customerNumber: string; dateOfBirth: string };
  /** Their case as the case system has it. */
  expected: CaseContext;
}

/** The case system behind the REST contract, and the engine pointed at it. */
const test = botTest.extend<object, { caseSystem: CaseSystem }>({
  caseSystem: [
    async ({ evidence }, use) => {
      const server = await startCaseContractServer({ token: TOKEN, demoHouseholds: 60 });
      try {
        const demo = (await server.cases.demoCaller())!;
        const check = await server.cases.verify(demo, { who: 'e2e', why: 'expected case' });
        if (!check.verified) throw new Error('the demo caller must verify');
        const expected = await server.cases.caseContext(check.caseRef, {
          who: 'e2e',
          why: 'expected case',
        });
        server.cases.release(check.caseRef);
        evidence.add('case-system requests', () => JSON.stringify(server.requests, null, 1));
        await use({ server, demo, expected });
      } finally {
        await server.close();
      }
    },
    WORKER,
  ],
  lotseEnv: [
    async ({ caseSystem }, use) => {
      await use({ LOTSE_CASE_SYSTEM_URL: caseSystem.server.url, LOTSE_CASE_SYSTEM_TOKEN: TOKEN });
    },
    WORKER,
  ],
});

test.use({
  bed: {
    speechModel: 'synthetic',
    recordTranscript: true,
    // The agent's microphone speaks (heard once the agent takes over).
    agentMicrophone: makeSpeechWav,
    // The caller only uses the keypad.
    callerMicrophone: silentMicrophone,
    // Clipboard granted up front: granting it mid-call resets the page's media
    // permissions, and the microphone track ends (the app then reopens it).
    permissions: ['clipboard-read', 'clipboard-write'],
  },
});
// Skipped only where the test bed's Debian packages are missing (a developer machine
// without them); .ci/run installs them, so in CI these tests always run.
skipWithout('kamailio', 'chromium');
// Each test is a bot call in real time with axe scans: most of a minute here.
test.describe.configure({ mode: 'serial', timeout: 180_000 });

/** Articles that serve the payment-date intent in the bundled knowledge base. */
const paymentArticles = loadKnowledgeBase(
  findKnowledgeDirectory(),
  loadSiteProfile(findSiteProfile('demo')),
)
  .all()
  .filter((a) => a.intents.includes('payment_date'))
  .map((a) => a.id);

/** Call in, verify by keypad, ask for a person: the handoff card is up. */
async function verifiedHandoff(
  app: LotsePage,
  caller: TestCaller,
  demo: CaseSystem['demo'],
  options: { expectAnswer?: boolean } = {},
): Promise<void> {
  const since = await callTheBot(app, caller);
  // The greeting (with the AI disclosure) is never cut short: key after it; later keys cut prompts.
  await expect(app.bot.panel).toHaveAttribute('data-speaking', 'true', { timeout: 10_000 });
  // The greeting with the privacy sentence is ~24 s of speech.
  await expect(app.bot.panel).toHaveAttribute('data-speaking', 'false', { timeout: 45_000 });
  await caller.sendDtmf('1');
  await botSays(app, /Kundennummer/, { since });
  await caller.sendDtmf(`${demo.customerNumber.replace(/\D/g, '')}#`);
  await botSays(app, /Geburtsdatum/, { since });
  const [y, m, d] = demo.dateOfBirth.split('-');
  await caller.sendDtmf(`${d}${m}${y}`);
  if (options.expectAnswer === false) return;
  await botSays(app, /nächste Zahlung|keinen Eintrag/, { since });
  await botSays(app, /sonst noch etwas/, { since });
  await caller.sendDtmf('1');
  await botSays(app, /Was kann ich noch/, { since });
  await caller.sendDtmf('0');
  await expect(app.bot.handoff).toBeVisible({ timeout: 30_000 });
}

test('after a verified handoff the screen shows transcript, summary, case and a fitting suggestion within 1 s; the note goes to the case system', async ({
  agent: app,
  caller,
  caseSystem: { server, demo, expected },
}) => {
  const desk = app.caseDesk;
  await expectAccessible(app.page, 'idle');
  // English second: the same screen, scanned too.
  await app.setLanguage('en');
  await expect(desk.heading('suggestions')).toContainText('Suggested answers');
  await expectAccessible(app.page, 'idle (English)');
  await app.screenshot('caseworker-idle-en', { fullPage: true });
  await app.setLanguage('de');
  await verifiedHandoff(app, caller, demo);
  await app.screenshot('caseworker-handoff');
  await expectAccessible(app.page, 'handoff');
  // The case is not on screen while the bot has the call, and the agent's
  // microphone (speaking all along) has been off: nothing of the office reached the call.
  await expect(desk.context).toHaveCount(0);
  expect((await app.finals()).filter((f) => f.speaker === 'agent')).toEqual([]);

  await expect(app.bot.takeOver).toBeFocused();
  const startedAt = Date.now();
  await app.page.keyboard.press('Enter');
  await Promise.all([
    expect(app.transcript.lines('bot').first()).toBeVisible({ timeout: 1000 }),
    expect(app.transcript.handoff).toContainText('Identität: geprüft', {
      timeout: 1000,
    }),
    expect(desk.client).toContainText(expected.client.lastName, {
      timeout: 1000,
    }),
    expect(desk.suggestions.first()).toBeVisible({ timeout: 1000 }),
  ]);
  const shownMs = Date.now() - startedAt;
  test
    .info()
    .annotations.push({ type: 'take-over → screen complete', description: `${shownMs} ms` });
  expect(shownMs, 'everything on screen within 1 s of taking over').toBeLessThan(1000);

  // The caller's intent (payment date, keyed as 1) leads the suggestions.
  const first = desk.suggestions.first();
  expect(paymentArticles).toContain(await first.getAttribute('data-article'));
  await expect(desk.suggestionsIntent).toContainText('Zahlungstermin');
  // The case is the verified caller's, read through the connector with the audit headers.
  await expect(desk.context).toHaveAttribute('data-case', expected.caseId);
  const contextRead = server.requests.find((r) => r.route === 'context');
  expect(contextRead?.who).toMatch(/^agent:/);
  expect(contextRead?.why).toMatch(/took over/);
  expect(contextRead?.authorization).toBe(`Bearer ${TOKEN}`);

  // The agent speaks: a second leg in the transcript.
  await expect(app.transcript.lines('agent', { final: true }).first()).toBeVisible({
    timeout: 20_000,
  });
  await app.screenshot('caseworker-in-call');
  await expectAccessible(app.page, 'in call with case and suggestions');

  // Pin and mark helpful; Ctrl+Alt+K goes to the case.
  await desk.suggestionButton(first, 'Anheften').click();
  await expect(desk.suggestions.first()).toHaveAttribute('data-pinned', 'true');
  await desk.suggestionButton(desk.suggestions.first(), 'Hilfreich').click();
  await app.page.keyboard.press('Control+Alt+KeyK');
  await expect(desk.heading('case')).toBeFocused();
  await app.page.keyboard.press('Control+Alt+KeyT');
  await expect(app.transcript.list).toBeFocused();
  // Ctrl+Alt+V takes the top suggestion (the pinned one): copied with its source, counted as used.
  await app.page.keyboard.press('Control+Alt+KeyV');
  await expect
    .poll(() => app.page.evaluate(() => navigator.clipboard.readText()))
    .toMatch(/https:\/\//);

  // Hang up: the proposed note, saved through the connector.
  await app.hangUp();
  await app.expectCall('ended');
  await expect(desk.note).toHaveValue(/Anlass/, { timeout: 5000 });
  await expect(desk.note).toHaveValue(/Identität: geprüft/);
  await expect(desk.note).not.toHaveValue(
    new RegExp(demo.dateOfBirth.split('-').reverse().join('.')),
  );
  // Signed by the person at the desk, not the SIP line's display name.
  await expect(desk.note).toHaveValue(/^Telefonat am [^\n]* – Mitarbeiter\/in: \S/);
  await expect(desk.note).not.toHaveValue(/Lotse Arbeitsplatz/);
  // What the bot answered, whole and with its source; never its keypad menu or prompts.
  if (expected.nextPayment)
    await expect(desk.note).toHaveValue(/\n- Bot: [^\n]*[.!] \(Quelle: Fallakte\)\n/);
  await expect(desk.note).not.toHaveValue(/Drücken Sie|Tasten|die \d für|[^[]…/);
  await app.screenshot('caseworker-wrap-up');
  await expectAccessible(app.page, 'wrap-up');
  // No outcome preset: saving without one marks the field, and saves nothing.
  await expect(desk.disposition).toHaveValue('');
  await desk.saveNote();
  await expect(desk.dispositionError).toHaveText('Bitte den Gesprächsausgang wählen.');
  await expect(desk.disposition).toHaveAttribute('aria-invalid', 'true');
  await expect(desk.disposition).toBeFocused();
  await expectAccessible(app.page, 'wrap-up without an outcome');
  await app.setLanguage('en');
  await expect(desk.dispositionError).toHaveText('Please choose the call outcome.');
  await app.setLanguage('de');
  expect(server.requests.filter((r) => r.route === 'add-contact-note')).toHaveLength(0);
  await desk.chooseDisposition('information_given');
  await expect(desk.dispositionError).toHaveCount(0);
  await expect(desk.disposition).not.toHaveAttribute('aria-invalid');
  await desk.saveNote();
  await expect(desk.saved).toHaveAttribute('data-saved-to', 'case_system');
  const posted = server.requests.filter((r) => r.route === 'add-contact-note');
  expect(posted).toHaveLength(1);
  expect(posted[0]?.idempotencyKey).toBeTruthy();
  const check = await server.cases.verify(demo, { who: 'e2e', why: 'check the note' });
  if (!check.verified) throw new Error('the demo caller must verify');
  const notes = await server.cases.contactNotes(check.caseRef, { who: 'e2e', why: 'check' });
  server.cases.release(check.caseRef);
  expect(notes[0]?.text).toContain('Anlass');
  expect(notes[0]?.author).toMatch(/^agent:/);
});

test('a failing back office: clear messages, nothing of anyone else, the call goes on, the note is kept', async ({
  agent: app,
  caller,
  caseSystem: { server, demo, expected },
}) => {
  const desk = app.caseDesk;
  await desk.closeWrapUp();
  // 1. The verification times out: the bot says so and hands over, no attempt counted.
  server.faults.set({ route: 'verify', delayMs: 6000, failTimes: 1 });
  await verifiedHandoff(app, caller, demo, { expectAnswer: false });
  await botSays(app, /Fachverfahren ist gerade nicht erreichbar/, { timeout: 15_000 });
  await expect(app.bot.handoffReason).toHaveText('Fachverfahren nicht erreichbar', {
    timeout: 15_000,
  });
  await app.page.keyboard.press('Enter');
  await expect(desk.panel).toHaveAttribute('data-state', 'locked');

  // 2. The agent confirms identity; the case read fails with a server error.
  server.faults.set({ route: 'context', status: 500 });
  await expect(app.transcript.handoff).toContainText('Identität: nicht geprüft');
  await desk.confirmIdentity(demo.customerNumber, demo.dateOfBirth);
  // The pinned handoff card follows: the agent verified the caller.
  await expect(app.transcript.handoff).toContainText('Identität: geprüft durch Mitarbeiter/in', {
    timeout: 10_000,
  });
  await expect(app.transcript.handoff).not.toContainText('nicht geprüft');
  await expect(desk.error).toBeVisible({ timeout: 10_000 });
  await expect(desk.error).toContainText('Fachverfahren');
  await expect(desk.context).toHaveCount(0);
  await app.expectCall('connected');

  // 3. An answer for a different case: refused, nothing shown.
  server.faults.set({ route: 'context', wrongCase: true });
  await desk.retry();
  await expect(desk.error).toContainText(/anderen|different|mismatch/i, {
    timeout: 10_000,
  });
  await expect(desk.context).toHaveCount(0);
  await app.screenshot('caseworker-back-office-error');
  await expectAccessible(app.page, 'back-office error');

  // 4. Back to normal: the case appears.
  server.faults.clear();
  await desk.retry();
  await expect(desk.context).toHaveAttribute('data-case', expected.caseId, {
    timeout: 10_000,
  });
  await app.expectCall('connected');

  // 5. The note cannot be saved: kept, with the text still in the form; then it goes through.
  await app.hangUp();
  await app.expectCall('ended');
  await expect(desk.note).toHaveValue(/Anlass/, { timeout: 5000 });
  await desk.note.fill('Anruf wegen Zahlungstermin; Fachverfahren war kurz nicht erreichbar.');
  await desk.chooseDisposition('information_given');
  server.faults.set({ route: 'add-contact-note', status: 503 });
  await desk.saveNote();
  await expect(desk.saveError).toContainText('gesichert', {
    timeout: 15_000,
  });
  await expect(desk.note).toHaveValue(/Fachverfahren war kurz nicht erreichbar/);
  server.faults.clear();
  await desk.saveNote();
  await expect(desk.saved).toHaveAttribute('data-saved-to', 'case_system');
});
