/**
 * Finds a test-bed program: on PATH, then where Debian installs daemons
 * (/usr/sbin is not on every user's PATH).
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export function findBinary(name: string): string | undefined {
  const dirs = [
    ...(process.env.PATH ?? '').split(delimiter),
    '/usr/bin',
    '/usr/sbin',
    '/usr/local/sbin',
    '/sbin',
  ];
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
