/**
 * What went wrong, as the screen keeps it: the contract's reason and params
 * when the engine gave them (the screen words those), the kind of failure,
 * and the English message for the log. Stores keep this instead of a
 * sentence, so a change of language re-words what is already on screen.
 */
import type {
  ErrorParams,
  ErrorReason,
  ModelProgress,
  SpeechStatus,
} from '../../electron/contract';
import { EngineRequestError } from './engine-client';

export interface EngineProblem {
  /** The kind of failure (an ErrorCode, or the client's own: timeout, disconnected …). */
  code: EngineRequestError['code'] | 'local';
  reason?: ErrorReason;
  params?: ErrorParams;
  /** English, for the log; shown only as a detail when there is no reason. */
  message: string;
}

export function problemOf(error: unknown): EngineProblem {
  if (error instanceof EngineRequestError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.reason ? { reason: error.reason } : {}),
      ...(error.params ? { params: error.params } : {}),
    };
  }
  return { code: 'local', message: error instanceof Error ? error.message : String(error) };
}

/** A model download or install that failed (models.progress with state 'failed'). */
export function problemFromProgress(progress: ModelProgress): EngineProblem {
  return {
    code: 'bad_request',
    message: progress.message ?? '',
    ...(progress.reason ? { reason: progress.reason } : {}),
    ...(progress.params ? { params: progress.params } : {}),
  };
}

/** Speech recognition that failed to start ('failed'), or that pauses after repeated crashes ('down' with a reason). */
export function problemFromSpeech(status: SpeechStatus): EngineProblem {
  return {
    code: 'internal',
    message: status.message ?? '',
    ...(status.reason ? { reason: status.reason } : {}),
    ...(status.params ? { params: status.params } : {}),
  };
}
