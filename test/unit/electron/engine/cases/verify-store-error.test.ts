/**
 * A store that fails while the embedded case system verifies is the desk's
 * fault, not the caller's: it is logged and reported (the bot says the
 * system is down, the agent's screen gives the reason), never answered as
 * "not verified" — which would count as a failed attempt.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { EmbeddedCaseSystem } from '../../../../../electron/engine/cases/embedded-case-system';
import { Logger } from '../../../../../electron/engine/log/logger';
import { openDatabase } from '../../../../../electron/engine/store/db/open-database';

const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../../../fixtures/cases/mixed-case-file.json'), 'utf8'),
) as unknown;

it('reports a store error during verification instead of answering "not verified", and logs it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-verify-store-error-'));
  const logger = new Logger({ stderr: false });
  const errors: string[] = [];
  logger.addSink((entry) => {
    if (entry.level === 'error') errors.push(entry.message);
  });
  const store = await EmbeddedCaseSystem.open({
    dataDir: dir,
    driver: 'sqlite',
    demo: false,
    verifyFloorMs: 0,
    log: logger.scope('cases'),
  });
  try {
    await store.importCaseFile(fixture);
    const audit = { who: 'bot', why: 'caller verification', callId: 'broken' };
    const right = { customerNumber: '998D00001', dateOfBirth: '1985-04-12' };
    expect((await store.verify(right, audit)).verified).toBe(true);
    // The members table goes missing under the running store (a broken disk, a bad restore).
    const { db } = await openDatabase({ dataDir: dir, name: 'cases', driver: 'sqlite' });
    await db.exec('ALTER TABLE members RENAME TO members_elsewhere');
    await db.close();
    await expect(store.verify(right, audit)).rejects.toMatchObject({
      reason: 'case_system_unavailable',
    });
    expect(errors.some((m) => /verify: the case store failed/.test(m))).toBe(true);
    // Nothing of the caller's input is in the log.
    expect(errors.join('\n')).not.toMatch(/998D00001|1985-04-12/);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);
