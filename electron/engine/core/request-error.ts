/**
 * How a request fails: a RequestError carries the kind (`code`), the reason
 * and params the screen words (electron/contract/errors.ts) and an English
 * message for developers and the log; the router sends it as the reply's
 * error. Domain errors keep their own reason on the way (asRequestError).
 */
import type { z } from 'zod';
import {
  errorReasonSchema,
  reasonOf,
  type ErrorCode,
  type ErrorParams,
  type ErrorReason,
  type RequestFailure,
} from '../../contract';

/**
 * A failed request as the reply carries it: the kind (`code`), the reason
 * and params the screen words (electron/contract/errors.ts), and an English
 * message for developers and the log.
 */
export class RequestError extends Error {
  readonly reason: ErrorReason | undefined;
  readonly params: ErrorParams | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    detail: { reason?: ErrorReason | undefined; params?: ErrorParams | undefined } = {},
  ) {
    super(message);
    this.reason = detail.reason;
    this.params = detail.params;
  }

  /** The reply's error object: reason and params only when there are any. */
  toFailure(): RequestFailure {
    return {
      code: this.code,
      message: this.message,
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.params && Object.keys(this.params).length > 0 ? { params: this.params } : {}),
    };
  }
}

/** A domain error as a RequestError of `code`, keeping its reason (or `fallback` when it has none). */
export function asRequestError(
  code: ErrorCode,
  error: unknown,
  fallback?: ErrorReason,
  params?: ErrorParams,
): RequestError {
  const message = error instanceof Error ? error.message : String(error);
  return new RequestError(code, message, reasonOf(error) ?? { reason: fallback, params });
}

export function noBot(): RequestError {
  return new RequestError('unavailable', 'no bot in this engine', { reason: 'no_bot' });
}

/**
 * The 'invalid_params' failure of a request: the first check of the contract
 * that carries a reason of its own (e.g. the server address must start with
 * ws://) gives it, with the field it is about; without one, the field of the
 * first problem (the screen says it there in its own words).
 */
export function invalidParams(message: string, error: z.ZodError): RequestFailure {
  for (const issue of error.issues) {
    if (issue.code !== 'custom') continue;
    const reason = errorReasonSchema.safeParse(issue.params?.reason);
    if (reason.success) {
      return {
        code: 'invalid_params',
        message,
        reason: reason.data,
        params: { field: issue.path.map(String).join('.') },
      };
    }
  }
  const first = error.issues[0];
  return first && first.path.length > 0
    ? { code: 'invalid_params', message, params: { field: first.path.map(String).join('.') } }
    : { code: 'invalid_params', message };
}
