/**
 * How the engine says what went wrong. A failed request carries
 *
 *   code     the kind of failure (what the caller may do about it: fix the
 *            request, wait, verify the caller first …),
 *   reason   the machine-readable cause, one of ERROR_REASONS (optional:
 *            absent for failures without a wording of their own, e.g. an
 *            unknown method or a programming error),
 *   params   the values the wording needs (a file name, a limit, an id),
 *   message  an English sentence for developers and the log.
 *
 * The screen words `reason` with `params` in the user's language; `message`
 * is never translated and never shown as the only text to a caseworker when
 * a reason is there. A model download that fails carries the same reason
 * and params in its `models.progress` event.
 */
import { z } from 'zod';

/** The kind of failure of a request. */
export const errorCodeSchema = z.enum([
  'bad_request',
  'unknown_method',
  'invalid_params',
  'internal',
  'unavailable',
  'storage',
  /** Case data asked for a caller who is not verified. */
  'not_verified',
  /** The case system (back office) failed: down, slow, a bad or mismatched answer. */
  'back_office',
]);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/** Why getting, checking or choosing a speech model failed. */
export const MODEL_ERROR_CODES = [
  /** The id is neither in the catalog nor installed, or not a valid model id. Params: id. */
  'unknown_model',
  /** No expected SHA-256 is known for this download, or the given one is not a SHA-256. Params: id? */
  'unverified',
  /** The server could not be reached, answered with an error, or stalled. Params: status? seconds? */
  'network',
  /** The download or the zip stopped before its end. Params: receivedMb? totalMb? entry? */
  'incomplete',
  /** The bytes are not the ones expected (SHA-256 or announced size differ). */
  'checksum',
  /** The caller cancelled. */
  'aborted',
  /** More bytes or files than a speech model can reasonably have. Params: maxMb? */
  'too_large',
  /** An entry would land outside the model folder (../, absolute path, drive letter, backslash, symbolic link). Params: entry? */
  'traversal',
  /** The file is not a zip we can read (damaged, encrypted, unsupported compression). */
  'invalid_zip',
  /** The folder is not a usable Vosk model. Params: file (relative to the model folder), problem (MODEL_FILE_PROBLEMS). */
  'invalid_model',
  /** The model is not trained for 16 kHz audio. Params: sampleRate (Hz, or 'unreadable'). */
  'wrong_sample_rate',
  /** There is no installed model with this id. Params: id. */
  'not_installed',
  /** The active model cannot be removed; activate another one first. Params: id. */
  'model_active',
  /** Another install or removal of the same model is running. Params: id. */
  'busy',
  /** The data folder's disk is full. Params: neededMb? freeMb? */
  'disk_full',
] as const;
export const modelErrorCodeSchema = z.enum(MODEL_ERROR_CODES);
export type ModelErrorCode = z.infer<typeof modelErrorCodeSchema>;

/** What is wrong with a file of a model folder (the `problem` param of 'invalid_model'). */
export const MODEL_FILE_PROBLEMS = [
  'not_found',
  'missing',
  'empty',
  'not_a_file',
  'unreadable',
  'not_kaldi',
  'too_small',
  'not_openfst',
  'truncated',
  'no_graph',
] as const;
export const modelFileProblemSchema = z.enum(MODEL_FILE_PROBLEMS);
export type ModelFileProblem = z.infer<typeof modelFileProblemSchema>;

/** Causes of failed requests other than the model codes; params in brackets. */
export const ERROR_REASONS = [
  // What this engine does not have (code 'unavailable').
  /** No voice to speak with. */
  'no_voice',
  /** This engine runs without the bot. */
  'no_bot',
  /** Practice call: the case store holds no demo households to play the caller. */
  'no_demo_caller',
  /** This engine runs without the caseworker's assistant. */
  'no_assistant',
  /** This engine runs without the morning worklist. */
  'no_worklist',
  /** The worklist's store cannot be opened (code 'storage'). */
  'worklist_unavailable',
  /** No worklist item with this id [id?]. */
  'worklist_item_not_found',
  /** This engine keeps no call history. */
  'history_unavailable',
  /** The call history cannot be read (code 'storage'). */
  'history_unreadable',
  /** This engine cannot manage speech models. */
  'no_model_manager',

  // The caller and the case (codes 'not_verified', 'bad_request', 'back_office').
  /** The caller is not verified: confirm the identity first. */
  'caller_not_verified',
  /** The verification has expired: confirm the identity again. */
  'verification_expired',
  /** The date of birth is missing or not a real date. */
  'date_of_birth_invalid',
  /** Neither a customer number (123D45678), a BG number (12345BG0012345) nor a PIN. */
  'number_not_recognised',
  /** The case system cannot be used: it could not be opened, or it answers 5xx/429 [status?, attempts?]. */
  'case_system_unavailable',
  /** The case system cannot be reached on the network [attempts?]. */
  'case_system_unreachable',
  /** The case system did not answer in time [timeoutMs?, status?, attempts?]. */
  'case_system_timeout',
  /** The case system refused the request [status]. */
  'case_system_rejected',
  /** The case system refused the access token (LOTSE_CASE_SYSTEM_TOKEN) [status]. */
  'case_system_token_rejected',
  /** The case system wants an access token and LOTSE_CASE_SYSTEM_TOKEN is not set [status]. */
  'case_system_token_missing',
  /** LOTSE_CASE_SYSTEM_URL is plain http:// to another machine: https:// is required [variable]. */
  'case_system_url_insecure',
  /** A LOTSE_CASE_SYSTEM_… setting is malformed (the log says which and why) [variable]. */
  'case_system_config_invalid',
  /** The case system's answer is not JSON, not the contract's shape, or too large [what, maxBytes?]. */
  'case_system_bad_response',
  /** The case system answered for another case than the verified one; the answer was discarded. */
  'case_system_mismatch',
  /** Another failure of the case system [what]. */
  'case_system_error',
  /** The desk's audit journal cannot be written, so no case data is shown. */
  'audit_journal_unwritable',
  /** The audit log was changed, cut short or cannot be opened: no case data until IT repairs it. */
  'audit_log_damaged',
  /** Identity checks only for a call that is live on this desk (ringing or connected) [callId?]. */
  'call_not_live',
  /**
   * Phone verification of this number or line is blocked for a while after
   * repeated failed attempts [until: ISO instant]. Says nothing about whether
   * the number exists.
   */
  'verification_locked',
  /** The store that counts failed verification attempts cannot be used: no verification now. */
  'verification_store_unavailable',

  // Contact notes.
  /** The note did not reach the case system and is kept on the desk for a later try [cause: a reason]. */
  'note_kept_on_desk',
  /** The note did not reach the case system and could not be kept on the desk: save its text elsewhere [cause]. */
  'note_not_saved',
  /** The note is empty. */
  'note_empty',
  /** The note is longer than allowed [max]. */
  'note_too_long',
  /** Unknown contact-note channel [channel]. */
  'note_channel_unknown',

  // The learning store.
  /** No note with this id waits on the desk [id]. */
  'pending_note_not_found',
  /** The note was delivered already [id]. */
  'note_already_delivered',
  /** A waiting note is sealed and this store has no key. */
  'pending_note_sealed',
  /** A waiting note cannot be opened (wrong key or damaged) [id]. */
  'pending_note_unreadable',
  /** A record for the learning store is incomplete or malformed [field]. */
  'invalid_record',

  // Speech recognition (with speech.status, not a failed request).
  /** The speech process crashed again and again [crashes]: recognition pauses and tries again in [seconds]. */
  'speech_cooling_down',

  // Request parameters the contract checks (code 'invalid_params') [field].
  /** The server address must start with ws:// or wss://. */
  'server_url_scheme',
  /** The SIP address must have the form sip:name@domain. */
  'sip_uri_form',
  /** The start of a time range is after its end. */
  'time_range_reversed',
] as const;

/** Every reason a failed request may carry: ERROR_REASONS and the model codes. */
export const errorReasonSchema = z.enum([...ERROR_REASONS, ...MODEL_ERROR_CODES]);
export type ErrorReason = z.infer<typeof errorReasonSchema>;

/** Values a reason's wording needs, by name. */
export const errorParamsSchema = z.record(z.string(), z.union([z.string(), z.number()]));
export type ErrorParams = z.infer<typeof errorParamsSchema>;

/** The error of a failed request, as the reply envelope carries it. */
export const requestFailureSchema = z.object({
  code: errorCodeSchema,
  /** English, for developers and the log. */
  message: z.string(),
  reason: errorReasonSchema.optional(),
  params: errorParamsSchema.optional(),
});
export type RequestFailure = z.infer<typeof requestFailureSchema>;

/** An error that knows its reason (the engine's domain errors carry these two fields). */
export interface ReasonedError {
  readonly reason: ErrorReason;
  readonly params?: ErrorParams | undefined;
}

/** The reason and params an error carries, when its `reason` is one of the contract's. */
export function reasonOf(error: unknown): ReasonedError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { reason, params } = error as { reason?: unknown; params?: unknown };
  const known = errorReasonSchema.safeParse(reason);
  if (!known.success) return undefined;
  const values = errorParamsSchema.safeParse(params);
  return values.success ? { reason: known.data, params: values.data } : { reason: known.data };
}
