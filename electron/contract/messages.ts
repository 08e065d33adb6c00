/**
 * The one contract between the renderer and the engine.
 *
 * Every request, reply and event that crosses the boundary is declared here
 * once, as a zod schema; the TypeScript types are inferred from the schemas,
 * never re-declared. The receiving side always validates (the engine checks
 * requests, the renderer checks replies and events), so a malformed message is
 * rejected with a clear error instead of travelling on as `any`.
 *
 * Audio does not travel through these JSON messages: see audio-frame.ts.
 */
import { z } from 'zod';
import { assistEventSchemas, assistRequestSchemas } from './assist-messages';
import { botEventSchemas, botRequestSchemas } from './bot-messages';
import { speakerSchema } from './call-parties';
import {
  errorParamsSchema,
  errorReasonSchema,
  modelErrorCodeSchema,
  requestFailureSchema,
  type ErrorReason,
} from './errors';
import { callIdSchema, REASON_MAX_LENGTH, REMOTE_MAX_LENGTH } from './limits';

/** Which side of a call an audio stream belongs to. */
export const legSchema = z.enum(['caller', 'agent', 'outgoing']);
export type Leg = z.infer<typeof legSchema>;

export const iceServerSchema = z.object({
  urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof iceServerSchema>;

// A check of its own carries its reason (errors.ts) in the params: the
// engine passes it on with the 'invalid_params' error, the screen words it.
const wsUrl = z
  .string()
  .trim()
  .refine((value) => /^wss?:\/\/[^\s/]+/i.test(value), {
    message: 'the server address must start with ws:// or wss://',
    params: { reason: 'server_url_scheme' satisfies ErrorReason },
  });
const sipUri = z
  .string()
  .trim()
  .refine((value) => /^sips?:[^@\s]+@[^@\s]+$/i.test(value), {
    message: 'the SIP address must have the form sip:name@domain',
    params: { reason: 'sip_uri_form' satisfies ErrorReason },
  });

/** Account settings as the renderer sees them: never with the password. */
/** The most bot calls one desk may be set to take at once. */
export const MAX_BOT_LINES = 32;

export const accountViewSchema = z.object({
  serverUrl: z.string(),
  sipUri: z.string(),
  authUser: z.string(),
  displayName: z.string(),
  hasPassword: z.boolean(),
  iceServers: z.array(iceServerSchema),
  /** Register automatically when the app starts. */
  autoRegister: z.boolean(),
  /** Answer every incoming call at once (the bot takes calls first). Off by default. */
  autoAnswer: z.boolean().default(false),
  /** Do not disturb: incoming calls are refused (486) and listed as missed. Off by default. */
  doNotDisturb: z.boolean().default(false),
  /** Bot first: the voice bot answers every incoming call and hands over when it should. */
  botFirst: z.boolean().default(false),
  /** Bot calls the desk takes at once; absent: from the machine's cores. */
  botLines: z.number().int().min(1).max(MAX_BOT_LINES).optional(),
});
export type AccountView = z.infer<typeof accountViewSchema>;

/** Account settings as the renderer saves them. */
export const accountInputSchema = z.object({
  serverUrl: wsUrl,
  sipUri: sipUri,
  authUser: z.string().trim().max(256),
  displayName: z.string().trim().max(256),
  /** undefined keeps the stored password, '' removes it. */
  password: z.string().max(1024).optional(),
  iceServers: z.array(iceServerSchema).max(16),
  autoRegister: z.boolean(),
  /** undefined keeps the stored value (the account form does not show the call policy). */
  autoAnswer: z.boolean().optional(),
  /** undefined keeps the stored value. */
  doNotDisturb: z.boolean().optional(),
  /** undefined keeps the stored value. */
  botFirst: z.boolean().optional(),
  /** undefined keeps the stored value. */
  botLines: z.number().int().min(1).max(MAX_BOT_LINES).optional(),
});
export type AccountInput = z.infer<typeof accountInputSchema>;

export const registrationStateSchema = z.enum([
  'unregistered',
  'registering',
  'registered',
  'failed',
]);
export type RegistrationState = z.infer<typeof registrationStateSchema>;

export const callStateSchema = z.enum(['idle', 'ringing', 'dialing', 'connected', 'ended']);
export type CallState = z.infer<typeof callStateSchema>;

export const toneSourceSchema = z.object({
  kind: z.literal('tone'),
  frequencyHz: z.number().min(50).max(7500),
  durationMs: z.number().int().min(20).max(60_000),
  /** Peak level in dBFS (negative). */
  levelDbfs: z.number().min(-60).max(0).default(-12),
});
export type ToneSource = z.infer<typeof toneSourceSchema>;

/** One recognised word with its times (ms) and the recogniser's confidence (0–1). */
export const transcriptWordSchema = z.object({
  word: z.string(),
  startMs: z.number(),
  endMs: z.number(),
  conf: z.number(),
});
export type RecognizedWord = z.infer<typeof transcriptWordSchema>;

/**
 * One piece of the call's transcript. Partials are replaced by later
 * partials and finally by the final with the same segmentId. Times are
 * milliseconds from the start of the call.
 */
export const transcriptSegmentSchema = z.object({
  callId: z.string(),
  segmentId: z.string(),
  speaker: speakerSchema,
  text: z.string(),
  startMs: z.number(),
  endMs: z.number(),
  confidence: z.number().nullable(),
  final: z.boolean(),
  words: z.array(transcriptWordSchema).optional(),
  /**
   * A line of the bot (speaker 'bot'), marked by the bot itself: what in it
   * answered the caller (whole sentences) and where that answer comes from;
   * null when the line held only its fixed prompts (greeting, questions,
   * menus, "please hold"). Absent on unmarked lines (older transcripts).
   */
  answer: z.object({ text: z.string(), source: z.string().optional() }).nullable().optional(),
  /**
   * Spoken by the engine's voice for the caseworker: an announcement they
   * typed (speaker 'agent'), not the bot.
   */
  announcement: z.literal(true).optional(),
  /**
   * A caller line that was not recognised (practice calls only): 'script' is
   * the scripted caller's text, used when no speech model is loaded; 'keys'
   * the keys it pressed. Absent: recognised speech, or the bot's own words.
   */
  source: z.enum(['script', 'keys']).optional(),
  /** When the engine published it (epoch ms): for latency measurements. */
  publishedAt: z.number().optional(),
});
export type TranscriptSegment = z.infer<typeof transcriptSegmentSchema>;
/** What in a bot's line answered the caller, and its source. */
export type BotLineAnswer = NonNullable<TranscriptSegment['answer']>;

export const speechStatusSchema = z.object({
  /** no_model: nothing installed yet; down: the speech process died and is restarting. */
  state: z.enum(['off', 'no_model', 'starting', 'ready', 'down', 'failed']),
  /** English, for developers and the log. */
  message: z.string().optional(),
  /**
   * Why, and the values its wording needs (errors.ts): with 'failed' when the
   * model is the cause; with 'down' during a cool-down after repeated crashes
   * ('speech_cooling_down').
   */
  reason: errorReasonSchema.optional(),
  params: errorParamsSchema.optional(),
  model: z.string().optional(),
});
export type SpeechStatus = z.infer<typeof speechStatusSchema>;

export const installedModelSchema = z.object({
  id: z.string(),
  sizeBytes: z.number(),
  sampleRate: z.number().nullable(),
  installedAt: z.string(),
  active: z.boolean(),
  verified: z.boolean(),
});
export const catalogModelSchema = z.object({
  id: z.string(),
  language: z.string(),
  titleDe: z.string(),
  titleEn: z.string(),
  sizeBytes: z.number(),
  installed: z.boolean(),
  active: z.boolean(),
  /** Published word error rates by test set, in percent. */
  wer: z.record(z.string(), z.number()).optional(),
});
export const modelListingSchema = z.object({
  installed: z.array(installedModelSchema),
  catalog: z.array(catalogModelSchema),
});
export type ModelListing = z.infer<typeof modelListingSchema>;

export const modelProgressSchema = z.object({
  id: z.string(),
  state: z.enum(['downloading', 'installing', 'installed', 'failed']),
  receivedBytes: z.number(),
  totalBytes: z.number().nullable(),
  /** With 'failed': English, for developers and the log (the screen words `reason`). */
  message: z.string().optional(),
  /** With 'failed': why, and the values its wording needs (see errors.ts). */
  reason: modelErrorCodeSchema.optional(),
  params: errorParamsSchema.optional(),
});
export type ModelProgress = z.infer<typeof modelProgressSchema>;

/** Log levels of the engine's and the shell's logs. */
export const logLevelSchema = z.enum(['debug', 'info', 'warn', 'error']);
export type LogLevel = z.infer<typeof logLevelSchema>;

/** One line of the engine's log (English, for IT and support; never case data). */
export const logEntrySchema = z.object({
  /** ISO instant. */
  time: z.string(),
  level: logLevelSchema,
  scope: z.string(),
  message: z.string(),
});
export type LogEntry = z.infer<typeof logEntrySchema>;

export const latencySummarySchema = z.object({
  count: z.number().int(),
  medianMs: z.number().nullable(),
  p95Ms: z.number().nullable(),
});

export const engineStatsSchema = z.object({
  pid: z.number().int(),
  uptimeMs: z.number(),
  rssBytes: z.number(),
  heapUsedBytes: z.number(),
  framesReceived: z.number().int(),
  framesRejected: z.number().int(),
  /**
   * Text messages refused before any handler saw them (not an envelope, an
   * unknown method, invalid parameters), whether answered with an error or
   * not (a message without a request id cannot be answered): counted, and
   * summed up in the engine's log.
   */
  messagesRejected: z.number().int().optional(),
  transportLatency: latencySummarySchema,
  /** The speech process, if one runs (operations, crash tests). */
  speechWorkerPid: z.number().int().nullable(),
});
export type EngineStats = z.infer<typeof engineStatsSchema>;

// ── Call history ────────────────────────────────────────────────────────
/**
 * How a call ended, as the call history records it. The engine derives it
 * from the phone's call reports (connected or not, the end reason); a
 * report may name it itself when the phone knows better (a transfer).
 *   answered     talked to (incoming or outgoing)
 *   missed       incoming, not answered: the caller gave up, do not disturb, busy with another call
 *   declined     refused on purpose (the agent declined, or the called party did)
 *   busy         outgoing, the other side was busy
 *   cancelled    outgoing, the agent hung up before it was answered
 *   failed       no call was possible (unreachable, unknown number, no common codec …)
 *   transferred  answered, then handed on to someone else
 */
export const callOutcomeSchema = z.enum([
  'answered',
  'missed',
  'declined',
  'busy',
  'cancelled',
  'failed',
  'transferred',
]);
export type CallOutcome = z.infer<typeof callOutcomeSchema>;

/** Who took the call: the voice bot, or a person at the desk. */
export const handledBySchema = z.enum(['bot', 'person']);
export type HandledBy = z.infer<typeof handledBySchema>;

export const callDirectionSchema = z.enum(['incoming', 'outgoing']);
export type CallDirection = z.infer<typeof callDirectionSchema>;

/**
 * Reasons the engine writes into a history entry itself (instead of the
 * phone's own words): the screen words them like error reasons.
 *   end_never_reported  the call was still open long after it began: closed as failed
 */
export const historyReasonSchema = z.enum(['end_never_reported']);
export type HistoryReason = z.infer<typeof historyReasonSchema>;

/** One call in the history. Instants are ISO-8601 UTC; null: did not happen (yet). */
export const callHistoryEntrySchema = z.object({
  id: z.string(),
  callId: z.string(),
  direction: callDirectionSchema,
  /** What to dial to call back: the SIP user or number, or a SIP address. */
  number: z.string(),
  displayName: z.string().nullable(),
  startedAt: z.string(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** Talk time (answered → ended); null when never answered or still running. */
  durationMs: z.number().int().nullable(),
  /** null while the call is still on. */
  outcome: callOutcomeSchema.nullable(),
  handledBy: handledBySchema.nullable(),
  /** The phone's end reason as it reported it, or one of historyReasonSchema's codes. */
  reason: z.string().nullable(),
});
export type CallHistoryEntry = z.infer<typeof callHistoryEntrySchema>;

const isoInstant = z.iso.datetime({
  offset: true,
  message: 'expected an ISO-8601 instant',
});

/** A search in the call history: every filter optional, newest first, paged. */
export const historyQuerySchema = z
  .object({
    /** Part of the number or the name, any case. */
    search: z.string().trim().max(200).optional(),
    direction: callDirectionSchema.optional(),
    outcome: callOutcomeSchema.optional(),
    handledBy: handledBySchema.optional(),
    /** Calls started at or after this instant. */
    from: isoInstant.optional(),
    /** Calls started before this instant. */
    to: isoInstant.optional(),
    limit: z.number().int().min(1).max(500).default(50),
    offset: z.number().int().min(0).max(10_000_000).default(0),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), {
    message: '"from" is after "to"',
    path: ['to'],
    params: { reason: 'time_range_reversed' satisfies ErrorReason },
  });
export type HistoryQuery = z.input<typeof historyQuerySchema>;
export type ParsedHistoryQuery = z.output<typeof historyQuerySchema>;

export const historyPageSchema = z.object({
  entries: z.array(callHistoryEntrySchema),
  /** How many calls match the query in all (for paging). */
  total: z.number().int(),
});
export type HistoryPage = z.infer<typeof historyPageSchema>;
// ── end of call history ───────────────────────────────────────────────────

/**
 * Requests: method name -> params and result schemas. Adding a method here is
 * the whole declaration; the engine's router must implement every entry
 * (checked by its type) and the renderer's client is typed from this table.
 */
/** Where the engine runs: an Electron utility process beside the window, or the web-mode server. */
export const engineModeSchema = z.enum(['desktop', 'web']);
export type EngineMode = z.infer<typeof engineModeSchema>;

/**
 * How the engine's master key is kept at rest. The desktop app: by the
 * operating system's key store (`os-keystore`), by Electron's fallback on a
 * Linux desktop without a keyring, where the key is only obfuscated
 * (`weak-os-keystore`, safeStorage's "basic_text"), or in a plain owner-only
 * file when there is no safeStorage at all (`unprotected-file`). Web mode:
 * an owner-only key file next to the data (`key-file`, for development).
 * The screen warns about the two weak desktop cases.
 */
export const keyProtectionSchema = z.enum([
  'os-keystore',
  'weak-os-keystore',
  'unprotected-file',
  'key-file',
]);
export type KeyProtection = z.infer<typeof keyProtectionSchema>;

export const requestSchemas = {
  'engine.hello': {
    params: z.object({ client: z.string().max(64) }),
    result: z.object({
      engineVersion: z.string(),
      mode: engineModeSchema,
      sessionId: z.string(),
      /** How the key that seals the stored data is protected (absent: not told by the host). */
      keyProtection: keyProtectionSchema.optional(),
    }),
  },
  'engine.stats': {
    /** resetLatency: start a new measurement window (benchmarks). */
    params: z.object({ resetLatency: z.boolean().optional() }),
    result: engineStatsSchema,
  },
  'settings.getAccount': {
    params: z.object({}),
    result: accountViewSchema,
  },
  'settings.saveAccount': {
    params: z.object({ account: accountInputSchema }),
    result: accountViewSchema,
  },
  /** The password, for sip.js digest authentication; kept in memory only. */
  'settings.getCredentials': {
    params: z.object({}),
    result: z.object({ password: z.string() }),
  },
  /** The phone tells the engine what happened, for its log and later the bot. */
  'phone.report': {
    params: z.discriminatedUnion('kind', [
      z.object({
        kind: z.literal('registration'),
        state: registrationStateSchema,
        reason: z.string().max(REASON_MAX_LENGTH).optional(),
      }),
      z.object({
        kind: z.literal('call'),
        /** The phone's id of the call (renderer/phone/call-id.ts), as every request names it. */
        callId: callIdSchema,
        state: callStateSchema,
        direction: callDirectionSchema,
        /** The other party (SIP user part or URI), cut to the limit by the phone. */
        remote: z.string().max(REMOTE_MAX_LENGTH),
        reason: z.string().max(REASON_MAX_LENGTH).optional(),
        /** The caller's display name, if the SIP identity carries one (call history). */
        remoteName: z.string().max(REMOTE_MAX_LENGTH).optional(),
        /** Who took the call (call history); sent with 'connected'. */
        handledBy: handledBySchema.optional(),
        /** With 'ended': how it ended, when the phone knows better than the reason text. */
        outcome: callOutcomeSchema.optional(),
        /**
         * With 'connected': when the call was answered (epoch ms). A call
         * reported again to a restarted engine keeps its transcript times.
         */
        connectedAt: z.number().int().min(0).optional(),
      }),
      /**
       * A warning or error of the SIP library itself (sip.js: deprecations,
       * unknown dialogs): for the log file, not for the desk's screen.
       */
      z.object({
        kind: z.literal('library'),
        level: z.enum(['warn', 'error']),
        text: z.string().max(REASON_MAX_LENGTH),
      }),
    ]),
    result: z.object({}),
  },
  /**
   * Play PCM from the engine into a leg (the outgoing track of the call).
   * With `callId` the frames are tagged with that call (audio-frame.ts) and
   * the playback stops when the call ends.
   */
  'audio.play': {
    params: z.object({
      leg: z.literal('outgoing'),
      source: toneSourceSchema,
      callId: callIdSchema.optional(),
    }),
    result: z.object({ playbackId: z.string(), frames: z.number().int() }),
  },
  'audio.stop': {
    params: z.object({ leg: z.literal('outgoing') }),
    result: z.object({ stopped: z.number().int() }),
  },
  /** Speak text into the call with the engine's voice (German, SVOX Pico). */
  'voice.say': {
    params: z.object({
      text: z.string().trim().min(1).max(2000),
      /** 1 = normal; below 1 slower (for callers who need it). */
      rate: z.number().min(0.5).max(1.5).default(1),
      /** The call it is for: its frames are tagged, and it stops when the call ends. */
      callId: callIdSchema.optional(),
    }),
    result: z.object({ playbackId: z.string(), sentences: z.number().int() }),
  },
  'models.list': {
    params: z.object({}),
    result: modelListingSchema,
  },
  /** Starts a download from the catalog; progress and the end come as models.progress events. */
  'models.download': {
    params: z.object({ id: z.string().max(200) }),
    result: z.object({ started: z.boolean() }),
  },
  /** Offices without internet: a zip file or model folder on this computer. */
  'models.import': {
    params: z.object({ path: z.string().min(1).max(4096) }),
    result: installedModelSchema,
  },
  'models.activate': {
    params: z.object({ id: z.string().max(200) }),
    result: modelListingSchema,
  },
  'speech.getStatus': {
    params: z.object({}),
    result: speechStatusSchema,
  },
  /** The stored transcript of a call (finals only). */
  'transcript.get': {
    params: z.object({ callId: callIdSchema }),
    result: z.object({ segments: z.array(transcriptSegmentSchema) }),
  },
  ...botRequestSchemas,
  ...assistRequestSchemas,
  /** Search the call history (newest first). */
  'history.list': {
    params: z.object({ query: historyQuerySchema }),
    result: historyPageSchema,
  },
} as const;

export type Method = keyof typeof requestSchemas;
export type Params<M extends Method> = z.input<(typeof requestSchemas)[M]['params']>;
export type ParsedParams<M extends Method> = z.output<(typeof requestSchemas)[M]['params']>;
export type Result<M extends Method> = z.output<(typeof requestSchemas)[M]['result']>;

export const methodSchema = z.enum(Object.keys(requestSchemas) as [Method, ...Method[]]);

/** Events pushed by the engine. */
export const eventSchema = z.discriminatedUnion('event', [
  z.object({
    event: z.literal('audio.level'),
    data: z.object({
      leg: legSchema,
      seq: z.number().int(),
      /** RMS level of one 20 ms frame in dBFS (-100 for digital silence). */
      rmsDbfs: z.number(),
      speech: z.boolean(),
    }),
  }),
  z.object({ event: z.literal('engine.log'), data: logEntrySchema }),
  z.object({ event: z.literal('transcript.segment'), data: transcriptSegmentSchema }),
  z.object({ event: z.literal('speech.status'), data: speechStatusSchema }),
  z.object({ event: z.literal('models.progress'), data: modelProgressSchema }),
  z.object({
    event: z.literal('audio.playback'),
    data: z.object({
      leg: legSchema,
      playbackId: z.string(),
      state: z.enum(['started', 'finished', 'stopped']),
    }),
  }),
  ...botEventSchemas,
  ...assistEventSchemas,
  /** The call history changed (a call started, was answered or ended): lists refresh. */
  z.object({
    event: z.literal('history.changed'),
    data: z.object({ callId: z.string(), entryId: z.string() }),
  }),
]);
export type EngineEvent = z.infer<typeof eventSchema>;
export type EventName = EngineEvent['event'];

/** Envelopes: what actually travels as text (JSON) on either carrier. */
export const requestEnvelopeSchema = z.object({
  t: z.literal('req'),
  id: z.number().int().nonnegative(),
  method: z.string().max(100),
  params: z.unknown(),
});
export type RequestEnvelope = z.infer<typeof requestEnvelopeSchema>;

export const replyEnvelopeSchema = z.discriminatedUnion('ok', [
  z.object({ t: z.literal('res'), id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({
    t: z.literal('res'),
    id: z.number().int(),
    ok: z.literal(false),
    error: requestFailureSchema,
  }),
]);
export type ReplyEnvelope = z.infer<typeof replyEnvelopeSchema>;

export const eventEnvelopeSchema = z.object({
  t: z.literal('evt'),
  event: z.string(),
  data: z.unknown(),
});
export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

export const engineToRendererSchema = z.union([replyEnvelopeSchema, eventEnvelopeSchema]);
export type EngineToRenderer = ReplyEnvelope | EventEnvelope;

/**
 * What the Electron preload exposes as `window.lotse`, and what the web-mode
 * WebSocket carrier implements: the same four operations, whichever carrier.
 * Only plain data and ArrayBuffers cross it.
 */
export interface LotseBridge {
  /** Send one request envelope; the reply arrives through onMessage. */
  send(message: RequestEnvelope): void;
  /** Replies and events from the engine (validate before use). */
  onMessage(listener: (message: unknown) => void): () => void;
  /** One binary audio frame (see audio-frame.ts). */
  sendAudio(frame: ArrayBuffer): void;
  onAudio(listener: (frame: ArrayBuffer) => void): () => void;
  /** Carrier state: the engine restarting shows up here. */
  onStatus(listener: (status: CarrierStatus) => void): () => void;
  /**
   * Desktop app only: the system's open dialog for a speech model, a .zip
   * file or an unpacked model folder (shown by the shell, which alone may).
   * The chosen path for models.import, or null when the person cancelled.
   */
  chooseModelPath?(request: ModelDialogRequest): Promise<string | null>;
  /**
   * Web mode only: uploads a model zip the person chose in the page to the
   * engine, which imports it (a browser cannot tell the engine the file's
   * path). Resolves with the engine's answer, a ModelUploadReply to validate.
   */
  uploadModel?(file: PageFile, name: string): Promise<unknown>;
}

/** A file the page holds: a DOM Blob or File (the contract is shared with Node and has no DOM types). */
export interface PageFile {
  readonly size: number;
  readonly type: string;
}

/** The open dialog for a speech model: a zip file or a model folder, its texts in the screen's language. */
export interface ModelDialogRequest {
  kind: 'zip' | 'folder';
  /** The dialog's title. */
  title: string;
  /** The name of the file type filter (kind 'zip'). */
  filterName: string;
}

/**
 * Web mode's model upload: POST to this path on the engine's address, the
 * zip as the body, the per-launch token as `Authorization: Bearer …` and the
 * file's name (URI-encoded) in MODEL_UPLOAD_NAME_HEADER.
 */
export const MODEL_UPLOAD_PATH = '/models/import';
export const MODEL_UPLOAD_NAME_HEADER = 'x-lotse-file-name';

/** The engine's answer to an upload: the installed model, or why not (as a request's error). */
export const modelUploadReplySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: installedModelSchema }),
  z.object({ ok: z.literal(false), error: requestFailureSchema }),
]);
export type ModelUploadReply = z.infer<typeof modelUploadReplySchema>;

export type CarrierStatus = 'connecting' | 'open' | 'closed';
