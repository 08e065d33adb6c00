/**
 * The names and checksums of speech models: an id is a folder name under
 * models/ (letters, digits, ".", "_", "-"; never the name of active.json),
 * and a SHA-256 is 64 hex digits. Ids taken from file and folder names are
 * cleaned instead of refused; ids given by a person are checked.
 */
import { ModelError } from './model-error';

/** The one name in models/ that is not a model: the file naming the active one (active-model-file.ts). */
export const ACTIVE_FILE = 'active.json';

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** Throws 'unknown_model' for an id that cannot name a model folder. */
export function checkId(id: string): void {
  if (!ID_PATTERN.test(id) || id.toLowerCase() === ACTIVE_FILE) {
    throw new ModelError(
      'unknown_model',
      `"${id}" is not a valid model id (letters, digits, ".", "_", "-").`,
      { params: { id } },
    );
  }
}

/** Ids derived from file and folder names are made valid instead of refused. */
export function idFromName(name: string): string {
  const cleaned = name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 128);
  return cleaned === '' || cleaned.toLowerCase() === ACTIVE_FILE ? 'model' : cleaned;
}

export function normalizeSha256(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const lower = value.trim().toLowerCase();
  return SHA256_PATTERN.test(lower) ? lower : null;
}

export function checksumMismatch(actual: string, expected: string): ModelError {
  return new ModelError(
    'checksum',
    `The file's SHA-256 ${actual} differs from the expected ${expected}; it is not the published model and was not installed.`,
  );
}
