/**
 * models/active.json: which installed model the speech engine loads. Read
 * on every start (a damaged file counts as "none", and says so in the log);
 * written atomically.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ScopedLogger } from '../log/logger';
import { diskFullError, isDiskFull } from './model-error';
import { randomSuffix } from './model-files';
import { ACTIVE_FILE, ID_PATTERN } from './model-ids';

const activeSchema = z.object({ version: z.literal(1), id: z.string(), activatedAt: z.string() });

/** The id in models/active.json, or null when none is set or the file is unreadable (logged). */
export function readActiveId(modelsDir: string, log: ScopedLogger): string | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(modelsDir, ACTIVE_FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = activeSchema.parse(JSON.parse(text));
    return ID_PATTERN.test(parsed.id) ? parsed.id : null;
  } catch (error) {
    log.warn(`models/${ACTIVE_FILE} is damaged and ignored: ${(error as Error).message}`);
    return null;
  }
}

/**
 * Makes `id` the active model: written to a temp file, fsync'ed and renamed
 * over the old active.json, so a crash leaves the old or the new one, never half.
 */
export async function writeActiveFile(modelsDir: string, id: string): Promise<void> {
  const file = path.join(modelsDir, ACTIVE_FILE);
  const temp = `${file}.${randomSuffix()}.tmp`;
  const body = { version: 1, id, activatedAt: new Date().toISOString() };
  try {
    const handle = await fsp.open(temp, 'wx');
    try {
      await handle.writeFile(JSON.stringify(body, null, 2) + '\n');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(temp, file);
  } catch (error) {
    await fsp.rm(temp, { force: true });
    throw isDiskFull(error) ? diskFullError(error) : error;
  }
}

/** A temp file of an interrupted write (removed when the manager starts). */
export function isActiveTempFile(name: string): boolean {
  return name.startsWith(`${ACTIVE_FILE}.`) && name.endsWith('.tmp');
}
