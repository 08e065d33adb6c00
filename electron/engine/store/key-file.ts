/**
 * Web mode's settings key: 32 random bytes in <dataDir>/settings.key, readable
 * by the owner only. (The desktop app gets its key from Electron's
 * safeStorage instead and passes it to the engine at start.)
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function loadOrCreateKeyFile(dataDir: string): Buffer {
  const file = path.join(dataDir, 'settings.key');
  try {
    const key = fs.readFileSync(file);
    if (key.length === 32) return key;
    throw new Error(`${file} is damaged (${key.length} bytes instead of 32)`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
  return key;
}
