/**
 * Registration under bad conditions, through the real UI, engine and
 * Kamailio: an unreachable server, a registrar that refuses (403), and a
 * registrar that dies while the phone is registered and comes back. Each must
 * show a clear state in the UI and in the engine's log, crash nothing, and –
 * where it makes sense – recover by itself.
 */
import { freeTcpPort } from '../testbed/free-port';
import { expect, openDesk, test as base } from './support/fixtures';
import type { LotsePage } from './support/lotse-page';
import { expectStays } from './support/stays';
import { skipWithout } from './support/test-bed-packages';

/** Each test opens the desk in a page of its own; no uncaught error may happen in it. */
const test = base.extend<{ desk: LotsePage }>({
  desk: async ({ appBrowser, lotse, bed, pageErrors }, use) => {
    const page = await appBrowser.newPage();
    pageErrors.watch(page);
    await use(await openDesk(page, lotse, bed));
    await page.close();
    pageErrors.expectNone('no uncaught errors in the page');
  },
});

test.use({ bed: {} });
// Skipped only where the test bed's Debian packages are missing (a developer machine
// without them); .ci/run installs them, so in CI these tests always run.
skipWithout('kamailio', 'chromium');

test('an unreachable server: failed with the reason, retries with growing delays', async ({
  desk: app,
  lotse,
}) => {
  const phoneLog = () => lotse.phoneLog();
  const deadPort = await freeTcpPort();
  await app.configureAccount({
    serverUrl: `ws://127.0.0.1:${deadPort}`,
    sipUri: 'sip:agent@127.0.0.1',
  });
  await app.register();
  await app.expectRegistration('failed');
  await expect(app.registrationState).toContainText('Server nicht erreichbar');
  // In plain words: the socket's close code and the address are for the log file.
  await expect(app.registrationState).not.toContainText(/code|1006|ws:\/\//);
  await expect(app.registrationRetry).toContainText(/Neuer Versuch in \d+ s/);
  // It keeps trying by itself: the failure is logged again after the backoff.
  await expect
    .poll(() => phoneLog().filter((m) => m.includes(`127.0.0.1:${deadPort}`)).length, {
      timeout: 15_000,
    })
    .toBeGreaterThanOrEqual(2);
  await expect
    .poll(() => phoneLog().some((m) => /^registration failed: server unreachable/.test(m)))
    .toBe(true);
  await expect(app.engineLog).toContainText('registration failed');
  await app.button('Abmelden').click();
  await app.expectRegistration('unregistered');
});

test('a registrar that refuses (403): failed, says so, does not hammer it', async ({
  desk: app,
  kamailio,
  lotse,
}) => {
  await app.configureAccount({ serverUrl: kamailio.wsUrl, sipUri: 'sip:refused-agent@127.0.0.1' });
  await app.register();
  await app.expectRegistration('failed');
  await expect(app.registrationState).toContainText('403 Forbidden');
  await expect(app.registrationRetry).toContainText('Kein automatischer neuer Versuch');
  const refusals = () => lotse.phoneLog().filter((m) => m.includes('403')).length;
  const before = refusals();
  expect(before).toBeGreaterThanOrEqual(1);
  // Nothing may happen: 2.5 s is five times the first retry delay of a failure that is retried.
  await expectStays(refusals, before, 2500, 'no automatic retries against a refusing registrar');
});

test('the registrar dies while registered and comes back: re-registers by itself', async ({
  desk: app,
  kamailio,
  lotse,
}) => {
  const failures = () => lotse.phoneLog().filter((m) => m.startsWith('registration failed')).length;
  await app.configureAccount({ serverUrl: kamailio.wsUrl, sipUri: 'sip:agent@127.0.0.1' });
  await app.register();
  await app.expectRegistration('registered');

  const failuresBefore = failures();
  await kamailio.stop();
  await app.expectRegistration('failed', 10_000);
  await expect(app.registrationState).toContainText(
    /Verbindung zum Server verloren|Server nicht erreichbar/,
  );
  // It fails at least one retry against the dead server before the registrar comes back.
  await expect
    .poll(failures, { timeout: 15_000, message: 'a retry against the dead server' })
    .toBeGreaterThanOrEqual(failuresBefore + 2);

  const restartedAt = Date.now();
  await kamailio.restart();
  await app.expectRegistration('registered', 15_000);
  const recoveryMs = Date.now() - restartedAt;
  test.info().annotations.push({
    type: 'recovery',
    description: `re-registered ${recoveryMs} ms after restart`,
  });
  expect(recoveryMs).toBeLessThan(10_000);
  // The phone reports to the engine after the screen changed: wait for the log.
  await expect.poll(() => lotse.phoneLog().at(-1)).toBe('registration registered');
  expect(lotse.phoneLog().some((m) => /registration failed: connection lost/.test(m))).toBe(true);
});

test('a plain ws:// server on the network: the settings warn at the field, before anything is saved', async ({
  desk: app,
}) => {
  await app.view('settings');
  const server = app.page.getByLabel('Server (WebSocket)');
  const warning = app.page.getByTestId('server-unencrypted-warning');
  const saved = await server.inputValue();
  // Typed only, never saved: nothing connects to the address (tests stay on 127.0.0.1).
  await server.fill('ws://pbx.jobcenter.example:8080/ws');
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('Unverschlüsselte Verbindung (ws://)');
  await expect(server).toHaveAttribute('aria-describedby', 'setting-serverUrl-warning');
  await server.fill('wss://pbx.jobcenter.example:8443/ws');
  await expect(warning).toHaveCount(0);
  await server.fill('ws://127.0.0.1:5066');
  await expect(warning).toHaveCount(0);
  await server.fill(saved);
});
