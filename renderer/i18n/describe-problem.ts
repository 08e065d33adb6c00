/**
 * An engine problem in the agent's words: its reason with its params; a
 * reason that names another as its cause (a note kept on the desk because the
 * case system was down) says both; without a reason, the kind of failure
 * with the engine's message as a detail.
 */
import { errorReasonSchema, modelFileProblemSchema } from '../../electron/contract';
import type { EngineProblem } from '../bridge/engine-problem';
import { useStore } from 'zustand';
import { languageStore, localeOf, type Language } from './language';
import { problemMessages } from './problem-messages';

export function describeProblem(language: Language, problem: EngineProblem): string {
  const t = (
    key: Parameters<typeof problemMessages.translate>[1],
    params?: Record<string, string | number>,
  ) => problemMessages.translate(language, key, params);
  if (!problem.reason) {
    const text = problemMessages.has(`errorCode_${problem.code}`)
      ? t(`errorCode_${problem.code}` as `errorCode_internal`)
      : '';
    if (!text) return problem.message;
    return problem.message ? t('errorDetail', { text, detail: problem.message }) : text;
  }
  const params: Record<string, string | number> = { ...(problem.params ?? {}) };
  if (problem.reason === 'invalid_model') {
    const file = modelFileProblemSchema.safeParse(params.problem);
    params.problem = file.success ? t(`modelFile_${file.data}`) : String(params.problem ?? '');
    params.file = String(params.file ?? '');
  }
  if (typeof params.until === 'string' && !Number.isNaN(Date.parse(params.until))) {
    // An instant from the engine (ISO, UTC): the agent reads the local date and time.
    params.until = new Date(params.until).toLocaleString(localeOf(language), {
      dateStyle: 'short',
      timeStyle: 'short',
    });
  }
  const text = t(`error_${problem.reason}`, params);
  const cause = errorReasonSchema.safeParse(params.cause);
  if (cause.success && cause.data !== problem.reason)
    return t('errorCause', { text, cause: t(`error_${cause.data}`) });
  return text;
}

/** React hook: describeProblem in the current language. */
export function useDescribeProblem(): (problem: EngineProblem) => string {
  const language = useStore(languageStore, (s) => s.language);
  return (problem) => describeProblem(language, problem);
}
