/**
 * Malformed SIP towards a registered Lotse: SIPp sends INVITEs no sane phone
 * sends (bad Content-Length, missing CSeq / Call-ID, a Via or Contact that
 * does not parse, an SDP that is not SDP, an SDP offering only G.729)
 * through Kamailio + rtpengine to the app's account.
 *
 * What must hold, whoever rejects the request (Kamailio or the app): the call
 * is never connected, the page throws no uncaught error, the app stays
 * registered, the engine process stays alive, and afterwards a normal call
 * from the sip.js test caller still works. What the app shows for each case
 * (does it ring? which end reason?) is asserted as observed and printed as a
 * table, so a change in behaviour is noticed.
 */
import type { MalformedScenario, SippResult } from '../testbed/sipp';
import { registerCaller } from './support/callers';
import { expect, test as base, type Figures, type Sipp, WORKER } from './support/fixtures';
import type { LotsePage } from './support/lotse-page';
import type { LotseWeb } from './support/lotse-web';
import type { PageErrors } from './support/page-errors';
import { toneMicrophone } from './support/microphones';
import { isAlive } from './support/processes';
import { skipWithout } from './support/test-bed-packages';
import { agentHangsUp, callerReachesAgent } from './support/call-flows';

const mic = toneMicrophone(440, 4);

/**
 * `outcomes`: what happened per scenario, printed at the end.
 * `sendMalformed`: sends one malformed INVITE to the registered desk (see below).
 */
const test = base.extend<
  { sendMalformed: (scenario: MalformedScenario, answerTimeoutMs: number) => Promise<Outcome> },
  { outcomes: Figures }
>({
  outcomes: [
    async ({ figures }, use) => {
      const outcomes: Figures = {};
      figures.outcomes = outcomes;
      await use(outcomes);
    },
    WORKER,
  ],
  sendMalformed: async ({ agent, lotse, sipp, pageErrors, outcomes }, use) => {
    await use((scenario, answerTimeoutMs) =>
      sendMalformedInvite(
        { app: agent, lotse, sipp, pageErrors, outcomes },
        scenario,
        answerTimeoutMs,
      ),
    );
  },
});

test.use({ bed: { relayMedia: true, agentMicrophone: mic, callerMicrophone: mic } });
test.describe.configure({ mode: 'serial' });
// Skipped only where the test bed's Debian packages are missing (a developer machine
// without them); .ci/run installs them, so in CI these tests always run.
skipWithout('kamailio', 'rtpengine', 'sipp', 'chromium');

interface Outcome {
  sipp: SippResult;
  /** The app showed an incoming call. */
  rang: boolean;
  /** Call state after 'Annehmen' was clicked (only when it rang). */
  afterAnswer?: string;
  /** Text of data-testid call-end-reason, if the call ended with one. */
  endReason?: string;
}

/** What the malformed INVITEs meet: the desk, its engine, SIPp and the outcomes table. */
interface Scene {
  app: LotsePage;
  lotse: LotseWeb;
  sipp: Sipp;
  pageErrors: PageErrors;
  outcomes: Figures;
}

/**
 * Sends one malformed INVITE to the app. If the app rings, the agent answers
 * (that is when sip.js looks at the SDP) and we note what happens.
 */
async function sendMalformedInvite(
  { app, lotse, sipp, pageErrors, outcomes }: Scene,
  scenario: MalformedScenario,
  answerTimeoutMs: number,
): Promise<Outcome> {
  const errorsBefore = pageErrors.count;
  const run = await sipp.malformedInvite({
    service: 'agent',
    scenario,
    answerTimeoutMs,
    timeoutS: 20,
  });
  let finished = false;
  void run.done.then(() => (finished = true));
  const outcome: Partial<Outcome> = { rang: false };
  // Either the app rings or SIPp is done (rejected / nothing came back).
  await expect
    .poll(
      async () =>
        (await app.callStateNow()) === 'ringing' ? 'rang' : finished ? 'sipp done' : 'waiting',
      { timeout: 40_000, message: 'the app rings or SIPp is done' },
    )
    .not.toBe('waiting');
  outcome.rang = (await app.callStateNow()) === 'ringing';
  if (outcome.rang) {
    await app.callButton('Annehmen').click();
    await expect
      .poll(() => app.callStateNow(), { timeout: 10_000 })
      .toMatch(/^(ended|connected|idle)$/);
    outcome.afterAnswer = await app.callStateNow();
    if (outcome.afterAnswer === 'connected') await app.hangUp();
    if ((await app.callStateNow()) === 'ended') {
      if ((await app.endReason.count()) > 0)
        outcome.endReason = (await app.endReason.textContent()) ?? '';
      await app.callButton('Schließen').click();
    }
  } else if ((await app.callStateNow()) === 'ended') {
    // Refused before ringing (e.g. no common codec): the app says why.
    outcome.endReason = (await app.endReason.textContent()) ?? '';
    await app.callButton('Schließen').click();
  }
  outcome.sipp = await run.done;
  const result = outcome as Outcome;
  outcomes[scenario] =
    `responses ${result.sipp.messages
      .filter((m) => m.direction === 'received' && m.status !== undefined)
      .map((m) => `${m.status}/${m.cseqMethod ?? '?'}`)
      .join(' ')}; ` +
    (result.rang
      ? `app rang; after Annehmen: ${result.afterAnswer}` +
        (result.endReason !== undefined ? ` ("${result.endReason}")` : '')
      : 'app did not ring');
  // The invariants, whatever happened.
  pageErrors.expectNone('uncaught errors in the app page', errorsBefore);
  await app.expectRegistration('registered');
  expect(isAlive(lotse.pid), 'engine process alive').toBe(true);
  await app.expectCall('idle');
  return result;
}

/** Rejected: never answered with a 2xx, never connected in the app. */
function expectNotConnected(outcome: Outcome): void {
  expect(outcome.afterAnswer, 'a malformed call must never connect').not.toBe('connected');
  expect(
    outcome.sipp.inviteResponseCodes.filter((c) => c >= 200 && c < 300),
    'no 2xx for a malformed INVITE',
  ).toEqual([]);
}

/** Refused before the desk ever rang: not connected either. */
function expectNeverRang(outcome: Outcome): void {
  expectNotConnected(outcome);
  expect(outcome.rang).toBe(false);
}

// Requests Kamailio's parser or sanity checks refuse: they never reach the app.

test('bad Content-Length: Kamailio answers 400, the app never sees it', async ({
  sendMalformed,
}) => {
  const outcome = await sendMalformed('bad-content-length', 2_000);
  expectNeverRang(outcome);
  expect(outcome.sipp.inviteResponseCodes).toEqual([400]);
});

for (const scenario of ['missing-cseq', 'missing-call-id', 'garbage-via'] as const) {
  test(`${scenario}: Kamailio drops it without a reply, the app never sees it`, async ({
    sendMalformed,
  }) => {
    const outcome = await sendMalformed(scenario, 1_500);
    expectNeverRang(outcome);
    expect(outcome.sipp.inviteResponseCodes).toEqual([]);
  });
}

// Requests Kamailio forwards: the app's SIP stack (sip.js) meets them.

test('garbage Contact: passes Kamailio; sip.js drops it silently, the app does not ring', async ({
  sendMalformed,
}) => {
  const outcome = await sendMalformed('garbage-contact', 2_500);
  expectNeverRang(outcome);
  // Only Kamailio's 100 Trying: sip.js cannot parse the INVITE and drops it
  // without a 400, so the caller waits for Kamailio's timer (SIPp cancels).
  expect(outcome.sipp.inviteResponseCodes).toEqual([100]);
});

test('broken SDP: forwarded (rtpengine cannot parse it); never connects, the app says why', async ({
  sendMalformed,
}) => {
  const outcome = await sendMalformed('broken-sdp', 6_000);
  expectNotConnected(outcome);
  expect(outcome.endReason ?? '', 'a reason that does not blame the caller').not.toMatch(
    /Anrufer hat aufgelegt/,
  );
  expect(outcome.endReason).toMatch(/Annehmen fehlgeschlagen|Kein gemeinsamer Audio-Codec/);
});

test('no common codec (only G.729): refused with 488 before ringing, the reason names the codec', async ({
  sendMalformed,
}) => {
  const outcome = await sendMalformed('no-common-codec', 6_000);
  expectNeverRang(outcome);
  expect(outcome.sipp.inviteResponseCodes).toContain(488);
  expect(outcome.endReason).toMatch(/Kein gemeinsamer Audio-Codec.*G729/);
});

test('afterwards a normal call still works', async ({
  agent: app,
  callers,
  kamailio,
  lotse,
  pageErrors,
}) => {
  const c = await callers.start({ name: 'test caller', microphone: mic });
  await registerCaller(c, kamailio, { user: 'anrufer' });
  await callerReachesAgent(app, c);
  await agentHangsUp(app, c);
  await app.callButton('Schließen').click();
  await app.expectRegistration('registered');
  expect(isAlive(lotse.pid)).toBe(true);
  pageErrors.expectNone();
});
