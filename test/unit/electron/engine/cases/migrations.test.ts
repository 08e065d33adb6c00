import { describe, expect, it } from 'vitest';
import {
  CASE_MIGRATIONS,
  CASE_STORE_COMPONENT,
} from '../../../../../electron/engine/cases/case-schema';
import { migrate, MigrationError } from '../../../../../electron/engine/store/db/migrations';
import { openDatabase } from '../../../../../electron/engine/store/db/open-database';
import { toPositional } from '../../../../../electron/engine/store/db/sql-database';

describe('migrations', () => {
  it('apply each version once and refuse a database newer than the program', async () => {
    const { db } = await openDatabase({ name: 'cases', driver: 'pglite' });
    try {
      expect(await migrate(db, CASE_STORE_COMPONENT, CASE_MIGRATIONS)).toEqual([1, 2]);
      expect(await migrate(db, CASE_STORE_COMPONENT, CASE_MIGRATIONS)).toEqual([]);
      await expect(migrate(db, CASE_STORE_COMPONENT, CASE_MIGRATIONS.slice(0, 1))).rejects.toThrow(
        MigrationError,
      );
    } finally {
      await db.close();
    }
  }, 30_000);

  it('rewrite $n placeholders for positional drivers, in order of use', () => {
    expect(toPositional('a = $2 OR b = $1 OR c = $2', ['x', 'y'])).toEqual({
      sql: 'a = ? OR b = ? OR c = ?',
      params: ['y', 'x', 'y'],
    });
    expect(() => toPositional('a = $3', ['x'])).toThrow(RangeError);
  });
});
