/**
 * No personal data in the logs, end to end (DESIGN "Rules that come from
 * German law": logs hold no caller numbers, dates of birth or transcript
 * text). Lotse in web mode with bot first, the synthetic speech model, the
 * demo case store and the Pico voice; a test caller (sip.js in Chromium)
 * registered under a phone number calls in through Kamailio:
 *
 *   1. by day it verifies on the keypad with a known customer number and
 *      date of birth and hears the payment date;
 *   2. at night it asks for a person, confirms the callback to its own
 *      number on the keypad, and the callback lands in the worklist;
 *   3. every file under the data folder's logs/ (engine.log and the files
 *      rotated from it; the log is set to rotate small here so rotation is
 *      part of the test) holds none of the caller number, the customer
 *      number (with or without its letter), the date of birth (ISO, dotted,
 *      DDMMYYYY, YYYYMMDD) or a line of the transcript; and the data folder
 *      is the owner's only (0700, files 0600).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  botSays,
  callTheBot,
  demoCallerWithPayment,
  expect,
  test as base,
} from './support/bot-call';
import { speechBed, WORKER } from './support/fixtures';
import { silentMicrophone } from './support/microphones';
import { skipWithout } from './support/test-bed-packages';

/** The caller's number: digits, so the night bot offers to call it back. */
const CALLER_NUMBER = '015209876543';
/** Small enough that the two calls rotate the engine's log at least once. */
const LOG_MAX_BYTES = 2048;

const test = base.extend<object, object>({
  lotseEnv: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => use({ LOTSE_LOG_MAX_BYTES: String(LOG_MAX_BYTES) }),
    WORKER,
  ],
});

test.use({
  bed: speechBed({
    // The caller only uses the keypad.
    callerMicrophone: silentMicrophone,
    callerAccount: { user: CALLER_NUMBER },
  }),
});
// Skipped only where the test bed's Debian packages are missing (a developer machine
// without them); .ci/run installs them, so in CI these tests always run.
skipWithout('kamailio', 'chromium');
test.describe.configure({ mode: 'serial', timeout: 120_000 });

const demo = demoCallerWithPayment();

test('by day the caller verifies on the keypad with customer number and date of birth', async ({
  agent: app,
  caller,
}) => {
  const [y, m, d] = demo.dateOfBirth;
  const since = await callTheBot(app, caller);
  await caller.sendDtmf('1');
  await botSays(app, /Kundennummer/, { since });
  await caller.sendDtmf(`${demo.keyedNumber}#`);
  await botSays(app, /Geburtsdatum/, { since });
  await caller.sendDtmf(`${d}${m}${y}`);
  await botSays(app, /nächste Zahlung/, { since });
  await expect(app.bot.verified).toHaveText('Identität bestätigt');
  await caller.hangup();
  await app.expectCall('ended');
});

test('at night the caller leaves a callback to its own number', async ({ agent: app, caller }) => {
  const items = app.bot.worklistItems;
  const before = await items.count();
  const since = await callTheBot(app, caller, { mode: 'night' });
  await caller.sendDtmf('0');
  await botSays(app, /zurückrufen/, { since });
  // 1: yes, this number; then 1: in the morning.
  await caller.sendDtmf('1');
  await botSays(app, /vormittags oder nachmittags/, { since });
  await caller.sendDtmf('1');
  await expect(items).toHaveCount(before + 1, { timeout: 15_000 });
  // The number as dialled back (the screen shows it formatted, "01520 9876543").
  await expect(
    items.filter({ has: app.page.locator(`[data-number="${CALLER_NUMBER}"]`) }),
  ).toHaveCount(1);
  if ((await app.callStateNow()) !== 'ended') await caller.hangup();
  await app.expectCall('ended');
});

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

test('no log file holds the caller number, the customer number, the date of birth or transcript text', async ({
  app,
  lotse,
}) => {
  const [y, m, d] = demo.dateOfBirth;
  const forbidden: Record<string, string> = {
    // Without the leading 0 it also catches +49… and the number with its 0.
    'caller number': CALLER_NUMBER.slice(1),
    'caller number digit by digit': [...CALLER_NUMBER].join(' '),
    'customer number': demo.customerNumber,
    'customer number without its letter': demo.keyedNumber,
    'date of birth (ISO)': `${y}-${m}-${d}`,
    'date of birth (dotted)': `${d}.${m}.${y}`,
    'date of birth (DDMMYYYY)': `${d}${m}${y}`,
    'date of birth (YYYYMMDD)': `${y}${m}${d}`,
  };
  // What was said in the calls: the bot's words with the number read out, the greeting …
  for (const [i, line] of (await app.finals()).entries()) {
    if (line.text.trim().length >= 12)
      forbidden[`transcript line ${i} (${line.speaker})`] = line.text;
  }
  expect(Object.keys(forbidden).length, 'the calls left a transcript').toBeGreaterThan(10);

  const logDir = path.join(lotse.dataDir, 'logs');
  const files = filesUnder(logDir);
  const names = files.map((f) => path.relative(logDir, f));
  expect(names, 'the engine log').toContain('engine.log');
  const logs = files.map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
  // The calls are in the log (so the search below searches something).
  const all = logs.map((l) => l.text).join('\n');
  expect(all).toMatch(/call \S+ \(incoming, [^)]*\) connected/);
  expect(all).toMatch(/callback filed for the worklist/);

  const found: string[] = [];
  for (const { file, text } of logs) {
    for (const [what, value] of Object.entries(forbidden)) {
      if (text.includes(value)) {
        const at = text.indexOf(value);
        found.push(
          `${path.relative(logDir, file)}: ${what} "${value}" in …${text.slice(Math.max(0, at - 80), at + value.length + 40)}…`,
        );
      }
    }
  }
  expect(found, 'personal data found in the logs').toEqual([]);
  // The rotated files were searched too: the log rotated at the size it was given.
  expect(
    names.filter((n) => /^engine\.log\.\d+$/.test(n)),
    `the log rotated at ${LOG_MAX_BYTES} bytes`,
  ).not.toHaveLength(0);

  // The data folder and everything Lotse wrote into it are the owner's only.
  if (process.platform !== 'win32') {
    expect((fs.statSync(lotse.dataDir).mode & 0o777).toString(8), 'data folder').toBe('700');
    const open = filesUnder(lotse.dataDir)
      .filter((f) => (fs.statSync(f).mode & 0o077) !== 0)
      .map(
        (f) => `${path.relative(lotse.dataDir, f)} ${(fs.statSync(f).mode & 0o777).toString(8)}`,
      );
    expect(open, 'files others can read').toEqual([]);
  }
});
