/**
 * The one error type of the model manager. Every failure a caseworker or IT can
 * meet while getting a speech model onto the desk has a stable `code` (the UI
 * and the tests switch on it, never on text), an English `message` for the log
 * and a German `messageDe` for the screen – the people who read the screen are
 * German job-centre staff, the people who read the log may be a vendor's
 * support.
 */

export type ModelErrorCode =
  /** The id is neither in the catalog nor installed. */
  | 'unknown_model'
  /** No expected SHA-256 is known for this download: we refuse to install blind. */
  | 'unverified'
  /** The server could not be reached, answered with an error, or stalled. */
  | 'network'
  /** The download or the zip stopped before its end (connection closed, truncated file). */
  | 'incomplete'
  /** The bytes are not the ones expected (SHA-256 or announced size differ). */
  | 'checksum'
  /** The caller cancelled. */
  | 'aborted'
  /** More bytes or files than a speech model can reasonably have (zip bomb guard). */
  | 'too_large'
  /** An entry would land outside the model folder (../, absolute path, drive letter, backslash, symlink). */
  | 'traversal'
  /** The file is not a zip we can read (damaged, encrypted, unsupported compression). */
  | 'invalid_zip'
  /** The folder is not a usable Vosk model (missing, empty or damaged files). */
  | 'invalid_model'
  /** The model is not trained for 16 kHz audio. */
  | 'wrong_sample_rate'
  /** There is no installed model with this id. */
  | 'not_installed'
  /** The active model cannot be removed; activate another one first. */
  | 'model_active'
  /** Another install of the same model is running. */
  | 'busy'
  /** The data folder's disk is full. */
  | 'disk_full';

export class ModelError extends Error {
  override readonly name = 'ModelError';

  constructor(
    readonly code: ModelErrorCode,
    /** English, for the engine log and support. */
    message: string,
    /** German, for the caseworker's screen. */
    readonly messageDe: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True for Node's "disk full" errors, wherever they surface (write, mkdir, rename). */
export function isDiskFull(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOSPC';
}

export function diskFullError(cause: unknown): ModelError {
  return new ModelError(
    'disk_full',
    'The disk of the data folder is full; free some space and try again.',
    'Der Datenträger des Datenordners ist voll. Bitte Platz schaffen und erneut versuchen.',
    { cause },
  );
}
