/**
 * The assistant's one error: what the screen gets when the assistant cannot
 * do what was asked (the engine turns it into the request's error).
 */
import type { ErrorParams, ErrorReason } from '../../contract';

/**
 * What the screen gets when the assistant cannot do what was asked: `code`
 * the kind (the request's error code), `reason` and `params` what the screen
 * words, an English message for the log.
 */
export class AssistError extends Error {
  /** Absent only for a programming error without a wording (a malformed call of a case system). */
  readonly reason: ErrorReason | undefined;
  readonly params: ErrorParams | undefined;

  constructor(
    readonly code: 'not_verified' | 'back_office' | 'bad_request' | 'unavailable',
    message: string,
    detail: { reason?: ErrorReason | undefined; params?: ErrorParams | undefined },
  ) {
    super(message);
    this.name = 'AssistError';
    this.reason = detail.reason;
    this.params = detail.params;
  }
}
