/**
 * The account form's fields and what is wrong with them, field by field: the
 * contract's own check (the same zod schema the engine applies) before the
 * account goes to the engine, and the field an engine's 'invalid_params'
 * refusal names (params.field, e.g. 'account.serverUrl'). Each problem keeps
 * its reason, so the screen words it at its field; the technical message is
 * for the log, never shown.
 */
import {
  accountInputSchema,
  errorReasonSchema,
  type AccountInput,
} from '../../../electron/contract';
import type { EngineProblem } from '../../bridge/engine-problem';

export const ACCOUNT_FIELDS = [
  'serverUrl',
  'sipUri',
  'authUser',
  'password',
  'displayName',
  'iceServers',
] as const;
export type AccountField = (typeof ACCOUNT_FIELDS)[number];

export type FieldProblems = Partial<Record<AccountField, EngineProblem>>;

function asField(path: string): AccountField | undefined {
  const name = path.replace(/^account\./, '').split('.')[0];
  return ACCOUNT_FIELDS.find((field) => field === name);
}

/** The form field an engine's refusal is about, if it names one. */
export function fieldOf(problem: EngineProblem | undefined): AccountField | undefined {
  const field = problem?.code === 'invalid_params' ? problem.params?.field : undefined;
  return typeof field === 'string' ? asField(field) : undefined;
}

/** Every field the contract refuses, each with its first problem (empty: all fine). */
export function checkAccount(input: AccountInput): FieldProblems {
  const checked = accountInputSchema.safeParse(input);
  if (checked.success) return {};
  const problems: FieldProblems = {};
  for (const issue of checked.error.issues) {
    const path = issue.path.map(String).join('.');
    const field = asField(path);
    if (!field || problems[field]) continue;
    const reason =
      issue.code === 'custom' ? errorReasonSchema.safeParse(issue.params?.reason) : undefined;
    problems[field] = {
      code: 'invalid_params',
      message: `${path}: ${issue.message}`,
      ...(reason?.success ? { reason: reason.data } : {}),
      params: { field: `account.${path}` },
    };
  }
  return problems;
}
