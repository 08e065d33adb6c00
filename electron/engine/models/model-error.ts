/**
 * The one error type of the model manager. Every failure a caseworker or IT can
 * meet while getting a speech model onto the desk has a stable `code` (the
 * contract's ModelErrorCode: the screen words it, the tests switch on it,
 * never on text), the values the wording needs in `params`, and an English
 * `message` for the log and support.
 */
import type { ErrorParams, ModelErrorCode, ReasonedError } from '../../contract';

export class ModelError extends Error implements ReasonedError {
  override readonly name = 'ModelError';
  readonly params: ErrorParams | undefined;

  constructor(
    readonly code: ModelErrorCode,
    /** English, for the engine log and support. */
    message: string,
    options?: { params?: ErrorParams; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.params = options?.params;
  }

  /** The code is the reason a failed request carries (see electron/contract/errors.ts). */
  get reason(): ModelErrorCode {
    return this.code;
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
    { cause },
  );
}
