/**
 * What the learning store checks before it files anything: every field is
 * there, not too long and one of the known values, and a refusal names the
 * field (LearningStoreError with the contract's reason 'invalid_record', or a
 * sharper one). Nothing half-checked reaches the database.
 */
import {
  dispositionSchema,
  type Disposition,
  type ErrorParams,
  type ErrorReason,
  type ReasonedError,
} from '../../contract';

/** A record the store refuses, or a waiting note it cannot find or open; English message, coded reason. */
export class LearningStoreError extends Error implements ReasonedError {
  override name = 'LearningStoreError';

  constructor(
    message: string,
    readonly reason: ErrorReason,
    readonly params?: ErrorParams,
  ) {
    super(message);
  }
}

/** A field of a record that is missing, too long or not one of the known values. */
export function invalid(
  field: string,
  message: string,
  params: ErrorParams = {},
): LearningStoreError {
  return new LearningStoreError(`${field}: ${message}`, 'invalid_record', { field, ...params });
}

/** The most article ids a wrap-up may list as shown or used. */
export const MAX_ARTICLES = 200;

export function required(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalid(field, 'is required');
  }
  if (value.length > max) {
    throw invalid(field, `is too long (at most ${max} characters)`, { max });
  }
  return value;
}

export function optional(value: unknown, field: string, max: number): string | null {
  if (value === undefined || value === null) return null;
  return required(value, field, max);
}

export function checkDisposition(value: unknown): Disposition {
  const parsed = dispositionSchema.safeParse(value);
  if (!parsed.success) {
    throw invalid('disposition', `unknown disposition "${String(value)}"`, {
      value: String(value),
    });
  }
  return parsed.data;
}

export function articleIds(value: readonly string[] | undefined, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_ARTICLES) {
    throw invalid(field, `at most ${MAX_ARTICLES} ids`, { max: MAX_ARTICLES });
  }
  return [...new Set(value.map((id) => required(id, `${field}[]`, 200)))];
}

export function instant(at: Date): string {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    throw invalid('at', 'not a valid time');
  }
  return at.toISOString();
}
