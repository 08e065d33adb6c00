/**
 * An embedded case store (the mixed test case file, no demo data, no padding)
 * whose members table can be made to vanish under it – a broken disk, a bad
 * restore – with the error lines its log wrote. For tests of what a store
 * error during verification does (reported, logged, never counted).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedCaseSystem } from '../../electron/engine/cases/embedded-case-system';
import { Logger } from '../../electron/engine/log/logger';
import { openDatabase } from '../../electron/engine/store/db/open-database';

const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../fixtures/cases/mixed-case-file.json'), 'utf8'),
) as unknown;

export interface BreakingCaseStore {
  store: EmbeddedCaseSystem;
  /** The store's error lines, as logged. */
  errors: string[];
  /** Renames the members table away under the running store. */
  breakMembers(): Promise<void>;
  /** Closes the store and removes its folder. */
  dispose(): Promise<void>;
}

export async function openBreakingCaseStore(): Promise<BreakingCaseStore> {
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
  await store.importCaseFile(fixture);
  return {
    store,
    errors,
    breakMembers: async () => {
      const { db } = await openDatabase({ dataDir: dir, name: 'cases', driver: 'sqlite' });
      await db.exec('ALTER TABLE members RENAME TO members_elsewhere');
      await db.close();
    },
    dispose: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
