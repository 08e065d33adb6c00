/**
 * The caseworker's screen: suggested answers with their sources, the caller's
 * case context (only for a verified caller, every view audited) and the
 * wrap-up note that goes back to the case system. Spread into the request and
 * event tables of messages.ts.
 */
import { z } from 'zod';
import { callIdSchema } from './limits';
import { verifierSchema, speakerSchema } from './call-parties';
import { caseContextSchema, MAX_NOTE_LENGTH } from './case-context';

/** Where an answer comes from: a legal norm or an official page. */
export const answerSourceSchema = z.object({
  norm: z.string().optional(),
  title: z.string().optional(),
  url: z.string(),
});

export const suggestionSchema = z.object({
  articleId: z.string(),
  title: z.string(),
  /** The answer to read out or paraphrase (the article's long text, else its spoken text). */
  text: z.string(),
  source: answerSourceSchema,
  score: z.number(),
  /** Why it is on the list: the words that matched, the caller's intent, a fact from the case. */
  why: z.object({
    terms: z.array(z.string()),
    intent: z.string().nullable(),
    /** A fact from the verified caller's case that answers it, e.g. "Nächste Zahlung: 01.12.2026, 1.013,20 €". */
    caseFact: z.string().nullable(),
  }),
});
export type Suggestion = z.infer<typeof suggestionSchema>;

export const suggestionListSchema = z.object({
  callId: z.string(),
  items: z.array(suggestionSchema),
  /** The caller's intent as the screen understands the call so far. */
  intent: z.string().nullable(),
  /** The final segment the ranking followed (null: the handoff or a search). */
  basedOn: z.string().nullable(),
  /** Time the ranking took in the engine (ms). */
  rankedMs: z.number(),
});
export type SuggestionList = z.infer<typeof suggestionListSchema>;

/** How a call ended, for the contact note and the statistics. */
export const DISPOSITIONS = [
  'information_given',
  'case_updated',
  'appointment_arranged',
  'documents_requested',
  'callback_arranged',
  'forwarded',
  'complaint',
  'other',
] as const;
export const dispositionSchema = z.enum(DISPOSITIONS);
export type Disposition = z.infer<typeof dispositionSchema>;

export const FEEDBACK_ACTIONS = [
  'helpful',
  'not_helpful',
  'pinned',
  'unpinned',
  'copied',
  'used',
] as const;
export const feedbackActionSchema = z.enum(FEEDBACK_ACTIONS);
export type FeedbackAction = z.infer<typeof feedbackActionSchema>;

export const wrapUpProposalSchema = z.object({
  callId: z.string(),
  /** The proposed contact note: reason, what was asked, what was answered, follow-ups. */
  note: z.string(),
  intent: z.string().nullable(),
  disposition: dispositionSchema,
  /** A contact note can only go to a verified case; otherwise it stays on the desk. */
  verified: z.boolean(),
});
export type WrapUpProposal = z.infer<typeof wrapUpProposalSchema>;

/** Why the agent opens a caller's case: stored in the audit log. */
export const casePurposeSchema = z.enum(['handoff', 'agent_verified', 'refresh', 'wrap_up']);
export type CasePurpose = z.infer<typeof casePurposeSchema>;

/** Where a saved wrap-up note went: the case system as a contact note, or the desk (no verified case, or the back office failed). */
export const wrapUpDestinationSchema = z.enum(['case_system', 'desk']);
export type WrapUpDestination = z.infer<typeof wrapUpDestinationSchema>;

const callId = callIdSchema;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const assistRequestSchemas = {
  /** The current suggestions of a call (when the screen opens mid-call). */
  'assist.suggestions': {
    params: z.object({ callId }),
    result: suggestionListSchema,
  },
  /** The caseworker searches the knowledge base and this call's transcript. */
  'assist.search': {
    params: z.object({ callId: callId.optional(), query: z.string().trim().min(1).max(200) }),
    result: z.object({
      articles: z.array(suggestionSchema),
      transcript: z.array(
        z.object({
          segmentId: z.string(),
          speaker: speakerSchema,
          text: z.string(),
          startMs: z.number(),
        }),
      ),
    }),
  },
  /** Pin, copy, helpful / not helpful: kept for the learning loop. */
  'assist.feedback': {
    params: z.object({
      callId,
      articleId: z.string().min(1).max(200),
      action: feedbackActionSchema,
    }),
    result: z.object({ recorded: z.boolean() }),
  },
  /**
   * The verified caller's case. Only after the bot verified the caller or the
   * agent confirmed identity (`case.verify`); every call is an audited view.
   */
  'case.context': {
    params: z.object({
      callId,
      /** Why the agent looks: stored in the audit log. */
      purpose: casePurposeSchema,
    }),
    result: z.object({ context: caseContextSchema, verifiedBy: verifierSchema }),
  },
  /** The agent confirms the caller's identity (number and date of birth, or PIN). */
  'case.verify': {
    params: z.object({
      callId,
      number: z.string().trim().min(1).max(40),
      dateOfBirth: isoDate.optional(),
    }),
    result: z.object({ verified: z.boolean() }),
  },
  'wrapup.propose': {
    params: z.object({ callId }),
    result: wrapUpProposalSchema,
  },
  /** Saves the note through the case system's connector; the learning loop keeps the labels. */
  'wrapup.save': {
    params: z.object({
      callId,
      note: z.string().trim().min(1).max(MAX_NOTE_LENGTH),
      disposition: dispositionSchema,
      intent: z.string().max(60).nullable(),
    }),
    result: z.object({
      /** case_system: stored as a contact note; desk: no verified case, kept on the desk. */
      savedTo: wrapUpDestinationSchema,
      noteId: z.string().nullable(),
      at: z.string(),
    }),
  },
} as const;

export const assistEventSchemas = [
  /** Re-ranked after every final segment. */
  z.object({ event: z.literal('assist.suggestions'), data: suggestionListSchema }),
  /** The caller of a call is verified (by the bot or an agent): the case may be shown. */
  z.object({
    event: z.literal('case.verified'),
    data: z.object({ callId: z.string(), by: verifierSchema }),
  }),
] as const;
