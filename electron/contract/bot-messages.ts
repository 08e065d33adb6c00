/**
 * The bot's part of the contract: starting the bot on a live call, keys the
 * caller pressed, taking a call over from the bot, day/night mode, and the
 * morning worklist. Spread into the request and event tables of messages.ts.
 */
import { z } from 'zod';
import { callIdSchema } from './limits';
import { MAX_NOTE_LENGTH } from './case-context';

export const botModeSchema = z.enum(['day', 'night']);
export type BotMode = z.infer<typeof botModeSchema>;

export const handoffReasonSchema = z.enum([
  'human_request',
  'emergency',
  'crisis',
  'low_confidence',
  'verification_failed',
  'frustration',
  'speech_failed',
  /**
   * The bot itself is gone (its engine died or restarted, or it could not
   * start): set by the desk, never by the engine's dialogue.
   */
  'bot_unavailable',
  'case_system_unavailable',
]);
export type HandoffReason = z.infer<typeof handoffReasonSchema>;

/**
 * active: the bot has the call; handoff: it wants a person (ring!);
 * hangup: the bot said goodbye, the phone should end the call;
 * taken-over: an agent has the call now; ended: the call is over.
 */
export const botPhaseSchema = z.enum(['active', 'handoff', 'hangup', 'taken-over', 'ended']);
export type BotPhase = z.infer<typeof botPhaseSchema>;

/** What the bot waits for when it listens: anything, yes or no, digits, a date. */
export const listeningSchema = z.enum(['open', 'yes-no', 'digits', 'date']);
export type Listening = z.infer<typeof listeningSchema>;

export const handoffSchema = z.object({
  reason: handoffReasonSchema,
  /** Emergency and crisis: ring with priority and a distinct tone. */
  priority: z.boolean(),
  /** Intent, verified or not, what was asked, what the bot answered. */
  summary: z.string(),
});
export type Handoff = z.infer<typeof handoffSchema>;

export const botStateSchema = z.object({
  callId: z.string(),
  phase: botPhaseSchema,
  mode: botModeSchema,
  speaking: z.boolean(),
  /** What the bot waits for, if it listens. */
  listening: listeningSchema.nullable(),
  intent: z.string().nullable(),
  verified: z.boolean(),
  handoff: handoffSchema.optional(),
});
export type BotState = z.infer<typeof botStateSchema>;

export const weekdaySchema = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof weekdaySchema>;

/** A time of day, "08:00"; "24:00" ends a range at midnight. */
const clockTimeSchema = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/);

/**
 * The phone service hours, Monday first, days without hours left out; the
 * screen words them in its language (weekday names, time format).
 */
export const serviceHoursSchema = z
  .array(
    z.object({
      day: weekdaySchema,
      ranges: z.array(z.object({ from: clockTimeSchema, to: clockTimeSchema })).max(6),
    }),
  )
  .max(7);
export type ServiceHours = z.infer<typeof serviceHoursSchema>;

export const botModeStatusSchema = z.object({
  /** What the bot does now. */
  mode: botModeSchema,
  /** Set by hand; null: follows the service hours and Hessen's public holidays. */
  override: botModeSchema.nullable(),
  /** The service hours the automatic mode follows. */
  hours: serviceHoursSchema,
});
export type BotModeStatus = z.infer<typeof botModeStatusSchema>;

/** open: waits for someone at the office; done: called back or read. */
export const worklistStatusSchema = z.enum(['open', 'done']);
export type WorklistStatus = z.infer<typeof worklistStatusSchema>;

export const worklistEntrySchema = z.object({
  id: z.string(),
  type: z.enum(['callback', 'message']),
  urgent: z.boolean(),
  callId: z.string().nullable(),
  callerId: z.string().nullable(),
  number: z.string().nullable(),
  window: z.string().nullable(),
  topic: z.string(),
  text: z.string().nullable(),
  summary: z.string(),
  createdAt: z.string(),
  status: worklistStatusSchema,
  doneAt: z.string().nullable(),
  doneBy: z.string().nullable(),
  note: z.string().nullable(),
});
export type WorklistEntryView = z.infer<typeof worklistEntrySchema>;

const callId = callIdSchema;

export const botRequestSchemas = {
  /** The phone answered a call for the bot: it greets and takes the conversation. */
  'bot.start': {
    params: z.object({ callId, callerId: z.string().max(100).optional() }),
    result: z.object({ mode: botModeSchema }),
  },
  /** Keys the caller pressed (SIP INFO or RFC 4733 seen by the phone). */
  'bot.dtmf': {
    params: z.object({ callId, digits: z.string().min(1).max(64) }),
    result: z.object({ accepted: z.boolean() }),
  },
  /** An agent takes the call: the bot stops at once and stays silent. */
  'bot.takeOver': {
    params: z.object({ callId }),
    result: z.object({ handoff: handoffSchema.optional() }),
  },
  /**
   * The call is over for the desk (hung up here, by the caller, or failed):
   * the bot stops at once and leaves the call. The phone's 'ended' report
   * does the same; this does not depend on that report getting through.
   */
  'bot.end': {
    params: z.object({ callId }),
    result: z.object({ ended: z.boolean() }),
  },
  'bot.getMode': {
    params: z.object({}),
    result: botModeStatusSchema,
  },
  /** Night mode by hand (a staff meeting), or back to the schedule (null). */
  'bot.setMode': {
    params: z.object({ override: botModeSchema.nullable() }),
    result: botModeStatusSchema,
  },
  /** A practice call on this desk, no SIP: the bot answers; the caller is the user or a script. */
  'practice.start': {
    params: z.object({ script: z.enum(['microphone', 'payment-date']) }),
    result: z.object({
      callId: z.string(),
      mode: botModeSchema,
      /** The caller's speech is recognised; false: no speech model, the script's text is used. */
      recognition: z.boolean(),
    }),
  },
  'practice.end': {
    params: z.object({ callId }),
    result: z.object({ ended: z.boolean() }),
  },
  'worklist.list': {
    params: z.object({
      status: z.enum([...worklistStatusSchema.options, 'all']).default('all'),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    result: z.object({ items: z.array(worklistEntrySchema), open: z.number().int() }),
  },
  'worklist.setStatus': {
    params: z.object({
      id: z.string().min(1).max(100),
      status: worklistStatusSchema,
      by: z.string().trim().min(1).max(200),
      note: z.string().max(MAX_NOTE_LENGTH).optional(),
    }),
    result: worklistEntrySchema,
  },
} as const;

export const botEventSchemas = [
  z.object({ event: z.literal('bot.state'), data: botStateSchema }),
  z.object({ event: z.literal('bot.mode'), data: botModeStatusSchema }),
  z.object({ event: z.literal('worklist.changed'), data: z.object({ open: z.number().int() }) }),
] as const;
