/**
 * File-system steps of installing a model: folders and files only, never a
 * symbolic link (it could point anywhere), and names for work folders that
 * do not collide.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { ModelError } from './model-error';

/** A short random name part for temp files and work folders. */
export function randomSuffix(): string {
  return crypto.randomBytes(6).toString('hex');
}

export function aborted(): ModelError {
  return new ModelError('aborted', 'Cancelled.');
}

export async function exists(p: string): Promise<boolean> {
  try {
    await fsp.lstat(p);
    return true;
  } catch {
    return false;
  }
}

export async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fsp.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Copies regular files and folders only; a symlink is refused (it could point anywhere). */
export async function copyTree(
  from: string,
  to: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  await fsp.mkdir(to, { recursive: true });
  for (const entry of await fsp.readdir(from, { withFileTypes: true })) {
    if (signal?.aborted) throw aborted();
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isSymbolicLink()) {
      throw new ModelError(
        'traversal',
        `The folder contains a symbolic link (${source}); refusing it.`,
        { params: { entry: source } },
      );
    }
    if (entry.isDirectory()) await copyTree(source, target, signal);
    else if (entry.isFile()) await fsp.copyFile(source, target, fs.constants.COPYFILE_EXCL);
  }
}
