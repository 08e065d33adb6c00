/**
 * Tables that only grow: the database itself refuses to change or delete a
 * row (and, on PostgreSQL, to truncate the table), and refuses a row that is
 * not chained (see hash-chain.ts), so the rows written before the chain
 * existed are the only unchained ones there can ever be. An audit trail that
 * an UPDATE could rewrite is no audit trail (Art. 5(1)(f), Art. 32 GDPR;
 * § 67 ff. SGB X).
 *
 * Triggers are not portable SQL: SQLite raises with RAISE(ABORT, …) in a
 * trigger body, PostgreSQL (PGlite, and an office's server) calls a PL/pgSQL
 * function that raises. The migration gives both texts; `migrate` runs the
 * one of the database's dialect. Whoever can drop a trigger can also change
 * rows: the chain is what detects that.
 */

/** The migration text that makes `table` append-only on both dialects. */
export function appendOnlySql(table: string): { sqlite: string; postgres: string } {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a plain table name: ${table}`);
  return {
    sqlite: `
CREATE TRIGGER IF NOT EXISTS ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only: DELETE refused'); END;
CREATE TRIGGER IF NOT EXISTS ${table}_chained BEFORE INSERT ON ${table}
WHEN NEW.seq IS NULL OR NEW.mac IS NULL
BEGIN SELECT RAISE(ABORT, '${table} takes chained rows only'); END`,
    postgres: `
CREATE OR REPLACE FUNCTION lotse_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END $$;
CREATE OR REPLACE FUNCTION lotse_require_chain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.seq IS NULL OR NEW.mac IS NULL THEN
    RAISE EXCEPTION '% takes chained rows only', TG_TABLE_NAME;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER ${table}_no_change BEFORE UPDATE OR DELETE ON ${table}
  FOR EACH ROW EXECUTE FUNCTION lotse_refuse_change();
CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
  FOR EACH STATEMENT EXECUTE FUNCTION lotse_refuse_change();
CREATE TRIGGER ${table}_chained BEFORE INSERT ON ${table}
  FOR EACH ROW EXECUTE FUNCTION lotse_require_chain()`,
  };
}
