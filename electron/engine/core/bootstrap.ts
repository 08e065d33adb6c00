/** Builds an engine and its stores for either host (desktop utility process or web mode). */
import os from 'node:os';
import path from 'node:path';
import type { EngineMode, KeyProtection } from '../../contract';
import { DeferredCallHistory } from '../history/call-history';
import { Logger } from '../log/logger';
import { ModelManager } from '../models/model-manager';
import { SpeechController } from '../speech/speech-controller';
import { EngineVoice } from '../voice/engine-voice';
import { EngineKeys } from '../store/engine-keys';
import { SettingsStore } from '../store/settings-store';
import { LiveTranscription } from '../transcript/live-transcription';
import { TranscriptStore } from '../transcript/transcript-store';
import type { VoicePort } from '../voice/voice-port';
import { Engine } from './engine';
import { LiveBots, type BotResources } from '../bot/live-bots';
import { PHRASES } from '../bot/phrases';
import { PracticeCalls } from '../bot/practice-calls';
import { answersFrom, understandWith } from '../bot/understanding';
import { WorklistFallback } from '../bot/worklist-fallback';
import { WorklistStore } from '../bot/worklist-store';
import { AuditJournal } from '../cases/audit-journal';
import { EmbeddedCaseSystem } from '../cases/embedded-case-system';
import { openCaseSystem } from '../cases/open-case-system';
import { VerificationAttempts } from '../cases/verification-attempts';
import { VerificationGate } from '../cases/verification-gate';
import { CallAssist } from '../assist/call-assist';
import { proposeWrapUp } from '../assist/wrap-up';
import { LearningStore } from '../learning/learning-store';
import { SuggestionRanker } from '../knowledge/suggestions';
import { loadKnowledgeBase } from '../knowledge/knowledge-base';
import { findKnowledgeDirectory, findSiteProfile } from '../knowledge/knowledge-paths';
import { loadSiteProfile, type SiteProfile } from '../knowledge/site-profile';
import { createIntentClassifier } from '../nlu/intents/intent-classifier';
import {
  RetentionJob,
  type RetentionAudit,
  type RetentionTimers,
} from '../retention/retention-job';
import { retentionSettingsFromEnv } from '../retention/retention-settings';
import { ownerOnlyFromNowOn, restrictDataFolder } from '../store/file-permissions';

export interface BootstrapOptions {
  mode: EngineMode;
  dataDir: string;
  key: Buffer;
  /** How the host keeps the key (told to the renderer, which warns when it is weak). */
  keyProtection?: KeyProtection;
  stderr?: boolean;
  /** The speech worker script (dist/electron/speech-worker.cjs); no recognition without it. */
  speechWorkerPath?: string;
  /** The voice thread's script (dist/electron/voice-worker.cjs); without it the voice runs in the engine's thread. */
  voiceWorkerPath?: string;
  /** A model folder to use instead of the active installed one (tests, IT). */
  speechModelPath?: string;
  /** The engine's voice; default: the German Pico voice. null: none (tests). */
  voice?: VoicePort | null;
  /** Site profile id in resources/site-profile (default "demo", or LOTSE_SITE_PROFILE). */
  siteProfile?: string;
  /** How long a caller may stay silent before the bot reprompts (ms; default 6000). */
  botSilenceTimeoutMs?: number;
  /** The signed-in user, for the audit log (default: the operating-system account). */
  operator?: string;
  /**
   * Retention and log settings (LOTSE_RETENTION_*, LOTSE_LOG_*) and the staff
   * name for wrap-up notes (LOTSE_STAFF_NAME); default process.env.
   */
  env?: Record<string, string | undefined>;
  /** The daily retention job's timers; null: the job is not scheduled (run it by hand). */
  retentionTimers?: RetentionTimers | null;
}

export interface EngineParts {
  engine: Engine;
  logger: Logger;
  speech?: SpeechController;
  models: ModelManager;
  /** The call history (its database opens in the background). */
  history: DeferredCallHistory;
  /** The daily retention job (already scheduled unless `retentionTimers: null`). */
  retention: RetentionJob;
  /** Stops the speech process; call on shutdown. */
  close(): Promise<void>;
}

export function createEngine(options: BootstrapOptions): EngineParts {
  // The data folder and all the engine writes into it are the user's only (0700/0600).
  ownerOnlyFromNowOn();
  let permissionsFixed: number | Error;
  try {
    permissionsFixed = restrictDataFolder(options.dataDir);
  } catch (error) {
    permissionsFixed = error as Error;
  }
  const env = options.env ?? process.env;
  const { settings: retentionSettings, errors: retentionErrors } = retentionSettingsFromEnv(env);
  const staffName = staffNameFromEnv(env);
  // One key per purpose (HKDF); the master key itself seals nothing.
  const keys = new EngineKeys(options.key);
  const logger = new Logger({
    logDir: path.join(options.dataDir, 'logs'),
    stderr: options.stderr ?? true,
    rotation: retentionSettings.log,
    // Callers in the log by pseudonym: a keyed hash no one without the key can reverse.
    hash: (value) => keys.hmac('logs', value),
  });
  const retentionLog = logger.scope('retention');
  for (const error of retentionErrors) retentionLog.error(error.message);
  if (permissionsFixed instanceof Error)
    retentionLog.error(`data folder permissions not set: ${permissionsFixed.message}`);
  else if (permissionsFixed > 0)
    retentionLog.info(`data folder: ${permissionsFixed} entries made readable by this user only`);
  const settings = new SettingsStore(
    options.dataDir,
    keys.box('settings'),
    logger.scope('settings'),
  );
  const transcripts = new TranscriptStore(
    options.dataDir,
    keys.box('transcripts'),
    logger.scope('transcript'),
  );
  const models = new ModelManager({ dataDir: options.dataDir, log: logger.scope('models') });
  const history = new DeferredCallHistory({
    dataDir: options.dataDir,
    log: logger.scope('history'),
  });

  // Segments and status changes go to every renderer through the engine,
  // which needs the transcription first: events before it exists are dropped.
  const events: { engine?: Engine; bots?: LiveBots; assist?: CallAssist } = {};
  const speech = options.speechWorkerPath
    ? new SpeechController({ workerPath: options.speechWorkerPath, log: logger.scope('speech') })
    : undefined;
  const transcription = speech
    ? new LiveTranscription(
        speech,
        transcripts,
        (segment) => {
          events.engine?.broadcast({ event: 'transcript.segment', data: segment });
          // Every final re-ranks the caseworker's suggestions (keys say nothing to rank on).
          if (segment.source !== 'keys') events.assist?.segment(segment);
          // The caller's words drive the bot: finals are turns, partials barge in.
          // A practice's scripted line went to the bot already (practice-calls.ts).
          if (segment.speaker !== 'caller' || segment.source) return;
          if (segment.final) events.bots?.heard(segment.callId, segment.text, segment.confidence);
          else events.bots?.callerSpeaking(segment.callId);
        },
        undefined,
        undefined,
        {
          // Keys found as tones in the caller's audio (RFC 4733, in-band) go
          // to the call's bot exactly as keys sent by SIP INFO do.
          // The log counts them and never names them (customer numbers, dates of birth).
          keys: (callId, digits) => {
            logger
              .scope('bot')
              .debug(`call ${callId}: ${digits.length} key(s) heard in the caller's audio`);
            events.bots?.keyed(callId, digits);
          },
        },
      )
    : undefined;
  const voice =
    options.voice === undefined
      ? new EngineVoice(
          logger.scope('voice'),
          options.voiceWorkerPath ? { workerPath: options.voiceWorkerPath } : {},
        )
      : options.voice;

  const botLog = logger.scope('bot');
  // A broken site profile must not stop the phone: the bot stays off and says why.
  let profile: SiteProfile | undefined;
  try {
    profile = loadSiteProfile(
      findSiteProfile(options.siteProfile ?? process.env.LOTSE_SITE_PROFILE ?? 'demo'),
    );
  } catch (error) {
    botLog.error(`bot off: ${(error as Error).message}`);
  }
  // Opened on first use, so the engine starts at once; a failure is retried on the next use.
  const lazy = <T>(
    open: () => Promise<T>,
  ): (() => Promise<T>) & { opened(): Promise<T> | undefined } => {
    let pending: Promise<T> | undefined;
    const get = () => {
      pending ??= open().catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
      return pending;
    };
    // What was opened (for shutdown: nothing is opened only to be closed).
    return Object.assign(get, { opened: () => pending });
  };
  // The desk's own audit journal (audit.sqlite), which every desk has, with or
  // without an office case system: deletions are audited there, and the HTTP
  // connector's case reads. One instance, chained with the engine's audit key.
  const auditJournal = lazy(() =>
    AuditJournal.open({
      dataDir: options.dataDir,
      key: keys.key('audit'),
      log: logger.scope('audit'),
    }),
  );
  // The embedded store, or an office's case system over HTTP (LOTSE_CASE_SYSTEM_URL).
  const caseLog = logger.scope('cases');
  const caseStore = lazy(() =>
    openCaseSystem({
      dataDir: options.dataDir,
      key: options.key,
      log: caseLog,
      env: process.env,
      auditJournal,
    }),
  );
  // Failed verifications counted across calls, per number and caller ID (keyed hashes).
  const attempts = lazy(() =>
    VerificationAttempts.open({ dataDir: options.dataDir, key: keys.key('audit'), log: caseLog }),
  );
  // Bot and agent verify only through the limits (cases/verification-gate.ts).
  const cases = lazy(async () => {
    const gate = new VerificationGate(await caseStore(), {
      attempts,
      hmac: (value) => keys.hmac('verification', value),
      callerIdOf: (callId) => events.engine?.callerIdOf(callId),
      log: caseLog,
    });
    // A later supervisor board subscribes here too (onLockout: hashes only).
    return gate;
  });
  const learning = lazy(() =>
    LearningStore.open({
      dataDir: options.dataDir,
      log: logger.scope('learning'),
      box: keys.box('learning'),
    }),
  );
  const classifier = lazy(() => createIntentClassifier());
  const knowledge = lazy(async () => {
    if (!profile) throw new Error('no valid site profile');
    return loadKnowledgeBase(findKnowledgeDirectory(), profile);
  });
  const worklist = lazy(() =>
    WorklistStore.open({
      dataDir: options.dataDir,
      log: logger.scope('worklist'),
      box: keys.box('worklist'),
    }),
  );
  // A callback the worklist cannot take waits here, sealed, instead of in the log.
  const worklistFallback = new WorklistFallback({
    dataDir: options.dataDir,
    box: keys.box('worklist'),
    log: logger.scope('worklist'),
  });
  const audit: RetentionAudit = async (event) =>
    (await auditJournal()).record({
      who: 'lotse:retention',
      caseId: null,
      what: event.what,
      why: `${event.why} (${event.record})`,
      callId: event.callId,
      outcome: 'deleted',
      system: 'desk',
    });
  const retention = new RetentionJob({
    settings: retentionSettings,
    transcripts,
    worklist,
    worklistFallback,
    logs: logger,
    audit,
    log: retentionLog,
  });
  const resources = lazy(async (): Promise<BotResources> => {
    const [trained, caseSystem, articles] = await Promise.all([classifier(), cases(), knowledge()]);
    botLog.info(
      `bot ready: classifier trained in ${Math.round(trained.trainingMillis)} ms, ${articles.all().length} articles`,
    );
    return {
      understand: understandWith(trained),
      answerFor: answersFrom(articles),
      cases: caseSystem,
    };
  });
  const ranker = lazy(async () => new SuggestionRanker(await knowledge()));
  const assist = new CallAssist({
    ranker,
    classify: async () => understandWith(await classifier()),
    cases,
    learning: () => learning(),
    propose: proposeWrapUp,
    transcript: (callId) => transcripts.get(callId),
    emit: (event) => events.engine?.broadcast(event),
    log: logger.scope('assist'),
    noteSaved: (callId) => void retention.noteSaved(callId),
  });
  events.assist = assist;
  const bots = profile
    ? new LiveBots({
        resources,
        voice: voice ?? undefined,
        schedule: { hours: profile.service.hours, timeZone: profile.service.timeZone },
        worklist,
        worklistFallback,
        emit: (event) => events.engine?.broadcast(event),
        botSaid: (callId, text, startedAt, endedAt, answer) =>
          transcription?.botSaid(callId, text, startedAt, endedAt, answer),
        verified: (callId, caseRef) => assist.verified(callId, caseRef, 'bot'),
        listening: (callId, expect) =>
          transcription?.tuneCaller(callId, expect.silenceMs, expect.completeSilenceMs),
        log: botLog,
        ...(options.botSilenceTimeoutMs ? { silenceTimeoutMs: options.botSilenceTimeoutMs } : {}),
      })
    : undefined;
  events.bots = bots;
  bots?.onState((state) => {
    assist.botState(state);
    if (state.phase === 'ended') assist.callEnded(state.callId);
  });
  const practice = bots
    ? new PracticeCalls({
        bots,
        voice: voice ?? undefined,
        // Practice uses fictitious demo households only: none on an office's own system.
        demoCaller: async () => {
          const system = await caseStore();
          return system instanceof EmbeddedCaseSystem ? system.demoCaller() : null;
        },
        ...(transcription ? { transcript: transcription } : {}),
        // A model loaded or loading recognises the caller; else the script's text is used.
        recognition: () => ['ready', 'starting'].includes(transcription?.status.state ?? 'off'),
        log: botLog,
      })
    : undefined;
  // Warm up in the background: the first caller should not wait for training
  // or for the voice to speak the bot's fixed prompts.
  if (bots) {
    void resources().catch((error: Error) => botLog.error(`bot not ready: ${error.message}`));
    // …nor the caseworker for the search index on the first sentence.
    void ranker().catch((error: Error) =>
      logger.scope('assist').error(`suggestions not ready: ${error.message}`),
    );
    if (voice instanceof EngineVoice) {
      const prompts = Object.values(PHRASES).filter((p): p is string => typeof p === 'string');
      void voice
        .prepare(prompts)
        .then((n) => botLog.info(`bot prompts ready: ${n} sentences spoken ahead`))
        .catch((error: Error) => botLog.warn(`bot prompts not prepared: ${error.message}`));
    }
  }

  if (options.keyProtection === 'weak-os-keystore' || options.keyProtection === 'unprotected-file')
    logger
      .scope('engine')
      .warn(
        `the key that seals the stored data is weakly protected (${options.keyProtection}): ` +
          'install and unlock a keyring (GNOME Keyring, KWallet)',
      );
  const engine = new Engine({
    mode: options.mode,
    ...(options.keyProtection ? { keyProtection: options.keyProtection } : {}),
    settings,
    logger,
    transcripts,
    models,
    history,
    ...(voice ? { voice } : {}),
    ...(transcription ? { transcription } : {}),
    ...(bots ? { bots } : {}),
    ...(practice ? { practice } : {}),
    worklist,
    assist,
    ...(options.operator ? { operator: options.operator } : {}),
    ...(staffName ? { staffName } : {}),
  });
  events.engine = engine;
  history.onChange((change) => engine.broadcast({ event: 'history.changed', data: change }));
  if (speech) {
    speech.onStatus((status) => engine.broadcast({ event: 'speech.status', data: status }));
    const pinned = options.speechModelPath;
    void speech.useModel(pinned ?? models.active());
    if (!pinned) models.onActiveChange((model) => void speech.useModel(model?.path ?? null));
  }
  logger.scope('engine').info(`engine started (${options.mode}, data in ${options.dataDir})`);
  // Runs now (old transcripts, done worklist items, kept items, log files) and every 24 h.
  const stopRetention =
    options.retentionTimers === null
      ? () => undefined
      : retention.start(options.retentionTimers ?? globalThis);
  return {
    engine,
    logger,
    models,
    history,
    retention,
    ...(speech ? { speech } : {}),
    close: async () => {
      stopRetention();
      // A run under way finishes first (it may be writing the worklist or the journal).
      await retention.idle();
      await Promise.allSettled([
        auditJournal.opened()?.then((j) => j.close()),
        speech?.stop(),
        voice instanceof EngineVoice ? voice.close() : undefined,
        history.close(),
        // The gate closes the case system behind it.
        (cases.opened() ?? caseStore.opened())?.then((c) => c.close()),
        attempts.opened()?.then((a) => a.close()),
        worklist.opened()?.then((w) => w.close()),
        learning.opened()?.then((l) => l.close()),
      ]);
    },
  };
}

/** The longest staff name a wrap-up note's header takes. */
const MAX_STAFF_NAME = 100;

/** The staff name the office set for this desk (LOTSE_STAFF_NAME), one line; undefined: not set. */
export function staffNameFromEnv(env: Record<string, string | undefined>): string | undefined {
  const name = env.LOTSE_STAFF_NAME?.replace(/\s+/g, ' ').trim().slice(0, MAX_STAFF_NAME);
  return name ? name : undefined;
}

/** Where web mode keeps its data when no folder is given. */
export function defaultDataDir(): string {
  if (process.env.LOTSE_DATA_DIR) return path.resolve(process.env.LOTSE_DATA_DIR);
  if (process.platform === 'win32') {
    return path.join(
      process.env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'),
      'Lotse',
      'web',
    );
  }
  const base = process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config');
  return path.join(base, 'lotse', 'web');
}
