/**
 * The data folder holds social data (transcripts, the worklist, the case
 * store, the audit journal, logs) and the keys that seal it: it is for the
 * user the desk runs as, nobody else (Art. 32 GDPR). So:
 *
 *   - the engine process creates everything owner-only (umask 077: folders
 *     0700, files 0600), whatever library writes the file (SQLite's -wal and
 *     -shm files, PGlite's folder, a downloaded model);
 *   - at start, the data folder is set to 0700 and what Lotse wrote there
 *     before (with the default 0644 of older versions) to 0600 / 0700.
 *
 * In the desktop app the data folder is Electron's user-data folder, which
 * holds Chromium's profile too: only Lotse's own entries are walked (the
 * list below), never the whole folder. Windows has no such modes (its ACLs
 * keep a user's profile private): nothing is done there.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Lotse's own entries in the data folder (files or folders, walked recursively). */
const LOTSE_ENTRIES =
  /^(settings\.json.*|settings\.key|engine-key\..*|worklist-pending\.jsonl.*|[\w-]+\.sqlite(-wal|-shm|-journal)?|[\w-]+\.sqlite\.damaged-.*|[\w-]+\.pgdata.*|logs|transcripts|models)$/;

/** Makes files this process creates owner-only (not possible in a worker thread: then skipped). */
export function ownerOnlyFromNowOn(): void {
  if (process.platform === 'win32') return;
  try {
    process.umask(0o077);
  } catch {
    // A worker thread (unit tests) cannot set it; the files are created with a mode anyway.
  }
}

/**
 * Sets the data folder to 0700 and Lotse's entries in it to 0700 (folders)
 * and 0600 (files). Returns how many it changed.
 */
export function restrictDataFolder(dataDir: string): number {
  if (process.platform === 'win32') return 0;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  let changed = restrict(dataDir, true);
  for (const name of fs.readdirSync(dataDir)) {
    if (LOTSE_ENTRIES.test(name)) changed += walk(path.join(dataDir, name));
  }
  return changed;
}

function walk(entry: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(entry);
  } catch {
    return 0;
  }
  // A link may point anywhere: not ours to change.
  if (stat.isSymbolicLink()) return 0;
  if (!stat.isDirectory()) return restrict(entry, false, stat);
  let changed = restrict(entry, true, stat);
  for (const name of fs.readdirSync(entry)) changed += walk(path.join(entry, name));
  return changed;
}

function restrict(entry: string, folder: boolean, stat = fs.statSync(entry)): number {
  // Owner-only; a file the owner may execute keeps that.
  const wanted = folder || stat.mode & 0o100 ? 0o700 : 0o600;
  if ((stat.mode & 0o777) === wanted) return 0;
  fs.chmodSync(entry, wanted);
  return 1;
}
