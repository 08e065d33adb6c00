/**
 * The engine: one instance per process, serving any number of connections
 * (the desktop window through a MessagePort, or browser tabs through the
 * web-mode WebSocket). Every request is validated against the contract before
 * a handler sees it; every handler is typed by the contract, so a method
 * declared there and not implemented here is a type error.
 *
 * The engine routes; the concepts behind the requests live beside it: the
 * phone's reports (phone-reports.ts) and the calls on now (live-calls.ts),
 * incoming audio (audio-intake.ts), rejected input (reject-log.ts), the
 * speech models (model-requests.ts) and the bots (bot-calls.ts).
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { z } from 'zod';
import {
  callTagOf,
  encodeAudioFrame,
  FRAME_MS,
  isUnencryptedRemoteSipServer,
  methodSchema,
  requestEnvelopeSchema,
  requestSchemas,
  reasonOf,
  type EngineEvent,
  type EngineMode,
  type EngineToRenderer,
  type KeyProtection,
  type RequestFailure,
  type Leg,
  type Method,
  type ParsedParams,
  type Result,
} from '../../contract';
import { streamPcm, toneChunks, type StreamHandle } from '../audio/pcm-streamer';
import type { Logger, ScopedLogger } from '../log/logger';
import type { SettingsStore } from '../store/settings-store';
import type { CallHistoryPort } from '../history/call-history';
import type { ModelManager } from '../models/model-manager';
import type { LiveTranscription } from '../transcript/live-transcription';
import type { LiveBots } from '../bot/live-bots';
import type { PracticeCalls } from '../bot/practice-calls';
import { WorklistError, type WorklistStore } from '../bot/worklist-store';
import type { TranscriptStore } from '../transcript/transcript-store';
import { AssistError } from '../assist/assist-error';
import type { CallAssist } from '../assist/call-assist';
import type { VoicePort } from '../voice/voice-port';
import { AudioIntake } from './audio-intake';
import { BotCalls, type BotCarrier, type LegSender } from './bot-calls';
import { LiveCalls } from './live-calls';
import { ModelRequests } from './model-requests';
import { PhoneReports } from './phone-reports';
import { clip, RejectLog } from './reject-log';
import { asRequestError, invalidParams, RequestError } from './request-error';

declare const __LOTSE_VERSION__: string | undefined;
export const ENGINE_VERSION = typeof __LOTSE_VERSION__ === 'string' ? __LOTSE_VERSION__ : 'dev';

/** What a carrier (MessagePort, WebSocket) offers the engine for one peer. */
export interface EngineConnection {
  readonly label: string;
  sendMessage(message: EngineToRenderer): void;
  sendAudio(frame: ArrayBuffer): void;
}

/** What the engine offers a carrier for one peer. */
export interface ConnectionHandle {
  onMessage(raw: unknown): void;
  onAudio(data: ArrayBuffer | ArrayBufferView): void;
  onClose(): void;
}

interface Peer extends BotCarrier {
  connection: EngineConnection;
  outgoingSeq: number;
  /** Playbacks running, each with the call it was asked for (if one was named). */
  playbacks: Map<string, { handle: StreamHandle; callId?: string }>;
}

type Handlers = {
  [M in Method]: (params: ParsedParams<M>, peer: Peer) => Promise<Result<M>> | Result<M>;
};

export interface EngineOptions {
  mode: EngineMode;
  /** How the host keeps the key that seals the stored data (engine.hello tells the screen). */
  keyProtection?: KeyProtection;
  settings: SettingsStore;
  logger: Logger;
  transcripts: TranscriptStore;
  /** Absent when speech recognition is switched off. */
  transcription?: LiveTranscription;
  /** Absent when no voice is available. */
  voice?: VoicePort;
  models?: ModelManager;
  /** The bot for live calls; absent: calls are for people only. */
  bots?: LiveBots;
  /** Practice calls (no SIP): the bot on this desk with a scripted or real caller. */
  practice?: PracticeCalls;
  /** The morning worklist (opened lazily). */
  worklist?: () => Promise<WorklistStore | undefined>;
  /** Suggestions, case context and wrap-up for the caseworker; absent: 'unavailable'. */
  assist?: CallAssist;
  /** The call history, fed by phone.report; absent: history.list answers 'unavailable'. */
  history?: CallHistoryPort;
  /**
   * Who works at this desk, for the audit log: the signed-in user as the
   * shell knows it; default the operating-system account (there is no
   * separate sign-in yet). Never the SIP settings, which anyone can edit.
   */
  operator?: string;
  /**
   * The staff member's name for the wrap-up note, as the office configured
   * it (LOTSE_STAFF_NAME); default: the operator. Never the SIP display name.
   */
  staffName?: string;
}

export const now = (): number => performance.timeOrigin + performance.now();

/** The operating-system account running the engine (the desk's signed-in user). */
export function operatingSystemAccount(): string {
  try {
    const name = os.userInfo().username;
    if (name) return name;
  } catch {
    // No account entry (some containers): the environment's name, if any.
  }
  return process.env.USER || process.env.USERNAME || 'unknown';
}

export class Engine {
  readonly sessionId = crypto.randomUUID();
  private readonly peers = new Set<Peer>();
  private readonly log: ScopedLogger;
  private readonly started = performance.now();
  /** Rejected messages and frames: counted, and logged at most a line a second. */
  private readonly rejects: RejectLog;
  /** Audio frames from the peers: decoded, measured, passed to speech recognition. */
  private readonly audio: AudioIntake;
  /** Calls on at this desk now, with their caller IDs (for case.verify). */
  private readonly liveCalls: LiveCalls;
  /** What the phone reports: logged, the live calls kept, transcript, assistant and history told. */
  private readonly phoneReports: PhoneReports;
  /** The speech models: listed, downloaded, imported, activated. */
  private readonly models: ModelRequests;
  /** Bots and practice calls: started into a connection's audio, ended, steered. */
  private readonly botCalls: BotCalls;

  constructor(private readonly options: EngineOptions) {
    this.log = options.logger.scope('engine');
    this.liveCalls = new LiveCalls([options.bots, options.practice]);
    this.phoneReports = new PhoneReports({
      log: options.logger.scope('phone'),
      liveCalls: this.liveCalls,
      ...(options.transcription ? { transcription: options.transcription } : {}),
      ...(options.assist ? { assist: options.assist } : {}),
      ...(options.history ? { history: options.history } : {}),
      callAudioEnded: (callId) => this.callAudioEnded(callId),
    });
    this.botCalls = new BotCalls({
      ...(options.bots ? { bots: options.bots } : {}),
      ...(options.practice ? { practice: options.practice } : {}),
      liveCalls: this.liveCalls,
      ...(options.transcription ? { transcription: options.transcription } : {}),
      ...(options.history ? { history: options.history } : {}),
    });
    this.models = new ModelRequests({
      ...(options.models ? { models: options.models } : {}),
      log: this.log,
      broadcast: (event) => this.broadcast(event),
    });
    this.rejects = new RejectLog(this.log);
    this.audio = new AudioIntake({
      rejects: this.rejects,
      broadcast: (event) => this.broadcast(event),
      ...(options.transcription ? { transcription: options.transcription } : {}),
      now,
    });
    options.logger.addSink((entry, quiet) => {
      if (entry.level !== 'debug' && !quiet) this.broadcast({ event: 'engine.log', data: entry });
    });
  }

  attach(connection: EngineConnection): ConnectionHandle {
    const peer: Peer = {
      connection,
      outgoingSeq: 0,
      playbacks: new Map(),
      botCalls: new Set(),
      send: (leg, callId) => this.sender(peer, leg, callId),
    };
    this.peers.add(peer);
    this.log.info(`${connection.label} connected`);
    const onAudio = this.audio.receiver(connection.label);
    return {
      onMessage: (raw) => void this.handleMessage(peer, raw),
      onAudio,
      onClose: () => {
        for (const playback of peer.playbacks.values()) playback.handle.stop();
        this.botCalls.carrierGone(peer);
        this.peers.delete(peer);
        this.log.info(`${connection.label} disconnected`);
      },
    };
  }

  get connectionCount(): number {
    return this.peers.size;
  }

  broadcast(event: EngineEvent): void {
    for (const peer of this.peers) peer.connection.sendMessage({ t: 'evt', ...event });
  }

  /**
   * The speech models for a carrier that brings a file of its own: web
   * mode's upload (a browser cannot name a path for models.import). Failures
   * are RequestErrors, as a request's would be.
   */
  get modelUploads(): Pick<ModelRequests, 'importUpload' | 'maxUploadBytes'> {
    return this.models;
  }

  stats(): Result<'engine.stats'> {
    const memory = process.memoryUsage();
    return {
      pid: process.pid,
      uptimeMs: performance.now() - this.started,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      framesReceived: this.audio.framesReceived,
      framesRejected: this.rejects.framesRejected,
      messagesRejected: this.rejects.messagesRejected,
      transportLatency: this.audio.latencySummary(),
      speechWorkerPid: this.options.transcription?.workerPid ?? null,
    };
  }

  private readonly handlers: Handlers = {
    'engine.hello': () => ({
      engineVersion: ENGINE_VERSION,
      mode: this.options.mode,
      sessionId: this.sessionId,
      ...(this.options.keyProtection ? { keyProtection: this.options.keyProtection } : {}),
    }),
    'engine.stats': ({ resetLatency }) => {
      const stats = this.stats();
      if (resetLatency) this.audio.resetLatency();
      return stats;
    },
    'settings.getAccount': () => this.options.settings.getAccount(),
    'settings.saveAccount': ({ account }) => {
      const saved = this.options.settings.saveAccount(account);
      if (isUnencryptedRemoteSipServer(saved.serverUrl)) {
        this.log.warn(
          'account saved with a SIP server over unencrypted ws:// off this machine: ' +
            'sign-in and callers cross the network readable (use wss://)',
        );
      }
      return saved;
    },
    'settings.getCredentials': () => ({ password: this.options.settings.getPassword() }),
    'phone.report': (report) => this.phoneReports.report(report),
    'audio.play': ({ leg, source, callId }, peer) => {
      const frames = Math.max(1, Math.round(source.durationMs / FRAME_MS));
      const handle = this.play(
        peer,
        leg,
        toneChunks(source.frequencyHz, source.durationMs, source.levelDbfs),
        callId,
      );
      return { playbackId: handle.id, frames };
    },
    'voice.say': ({ text, rate, callId }, peer) => {
      const voice = this.options.voice;
      if (!voice)
        throw new RequestError('unavailable', 'no voice available', { reason: 'no_voice' });
      const sentences = voice.sentences(text);
      const startedAt = performance.now();
      const handle = this.play(peer, 'outgoing', voice.synthesize(text, { rate }), callId);
      void handle.done.then(({ how }) => {
        // The caseworker's announcement: their words, not the bot's.
        if (how !== 'failed')
          this.options.transcription?.announced(text, startedAt, performance.now());
      });
      return { playbackId: handle.id, sentences: sentences.length };
    },
    'models.list': () => this.models.list(),
    'models.download': ({ id }) => this.models.download(id),
    'models.import': ({ path }) => this.models.import(path),
    'models.activate': ({ id }) => this.models.activate(id),
    'speech.getStatus': () => this.options.transcription?.status ?? { state: 'off' },
    'transcript.get': ({ callId }) => ({ segments: this.options.transcripts.get(callId) }),
    'bot.start': (params, peer) => this.botCalls.start(params, peer),
    'practice.start': (params, peer) => this.botCalls.startPractice(params, peer),
    'practice.end': ({ callId }, peer) => this.botCalls.endPractice(callId, peer),
    'bot.end': ({ callId }, peer) => this.botCalls.end(callId, peer),
    'bot.dtmf': ({ callId, digits }) => this.botCalls.dtmf(callId, digits),
    'bot.takeOver': ({ callId }) => this.botCalls.takeOver(callId),
    'bot.getMode': () => this.botCalls.getMode(),
    'bot.setMode': ({ override }) => this.botCalls.setMode(override),
    'worklist.list': async ({ status, limit }) =>
      (await this.requireWorklist()).list({ status, limit }),
    'worklist.setStatus': async ({ id, status, by, note }) => {
      const store = await this.requireWorklist();
      try {
        const entry = await store.setStatus(id, status, by, note);
        const { open } = await store.list({ status: 'open', limit: 1 });
        this.broadcast({ event: 'worklist.changed', data: { open } });
        return entry;
      } catch (error) {
        if (error instanceof WorklistError)
          throw asRequestError('bad_request', error, 'worklist_item_not_found', { id });
        throw error;
      }
    },
    'history.list': async ({ query }) => {
      const history = this.options.history;
      if (!history)
        throw new RequestError('unavailable', 'call history unavailable', {
          reason: 'history_unavailable',
        });
      try {
        return await history.list(query);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.log.error(`history.list failed: ${message}`);
        throw new RequestError('storage', `call history cannot be read: ${message}`, {
          reason: 'history_unreadable',
        });
      }
    },
    'assist.suggestions': ({ callId }) => this.requireAssist().suggestions(callId),
    'assist.search': ({ callId, query }) => this.requireAssist().search(callId, query),
    'assist.feedback': async ({ callId, articleId, action }) => ({
      recorded: await this.requireAssist().feedback(callId, articleId, action, this.agent()),
    }),
    'case.context': ({ callId, purpose }) =>
      this.assisted(() => this.requireAssist().context(callId, purpose, this.agent())),
    'case.verify': async ({ callId, number, dateOfBirth }) => {
      // Only for a call that is on now: an identity check for an invented or
      // ended call would be a free guess outside every call's limits.
      if (!this.isLive(callId)) {
        throw new RequestError('bad_request', `call ${callId} is not live on this desk`, {
          reason: 'call_not_live',
        });
      }
      return {
        verified: await this.assisted(() =>
          this.requireAssist().agentVerify(callId, number, dateOfBirth, this.agent()),
        ),
      };
    },
    'wrapup.propose': async ({ callId }) => {
      const assist = this.requireAssist();
      // The screen asks once the call is over, just before its 'ended' report:
      // the transcript is completed first, so the note has the caller's last
      // sentence (flushed when the speech streams close; bounded wait).
      await this.options.transcription?.callEnded(callId);
      return assist.propose(callId, this.staffName());
    },
    'wrapup.save': ({ callId, note, disposition, intent }) =>
      this.assisted(() =>
        this.requireAssist().save(callId, { text: note, disposition, intent }, this.agent()),
      ),
    'audio.stop': (_params, peer) => {
      const count = peer.playbacks.size;
      for (const playback of peer.playbacks.values()) playback.handle.stop();
      return { stopped: count };
    },
  };

  private requireAssist(): CallAssist {
    if (!this.options.assist)
      throw new RequestError('unavailable', 'no assistant in this engine', {
        reason: 'no_assistant',
      });
    return this.options.assist;
  }

  /** The assistant's errors keep their meaning on the screen (not verified, back office down). */
  private async assisted<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AssistError) throw asRequestError(error.code, error);
      throw error;
    }
  }

  /**
   * Who reads case data at this desk, for the audit log: the signed-in user
   * (the operating-system account), not the SIP account or display name,
   * which anyone at the desk can change in the settings.
   */
  private agent(): string {
    return `agent:${this.options.operator ?? operatingSystemAccount()}`;
  }

  /**
   * Who signs the wrap-up note: the name the office configured, else the
   * signed-in user (the operating-system account) – the person at the desk,
   * not the SIP display name (the workstation's phone line).
   */
  private staffName(): string {
    return this.options.staffName ?? this.options.operator ?? operatingSystemAccount();
  }

  /** Whether a call is on at this desk now: reported by the phone, or a bot or practice call. */
  isLive(callId: string): boolean {
    return this.liveCalls.isLive(callId);
  }

  /** The caller ID of a live call (the bot's, else the phone's remote party), for the verification limits. */
  callerIdOf(callId: string): string | undefined {
    return this.liveCalls.callerIdOf(callId);
  }

  private async requireWorklist(): Promise<WorklistStore> {
    const store = await this.options.worklist?.().catch((error: Error) => {
      throw new RequestError('storage', `worklist unavailable: ${error.message}`, {
        reason: 'worklist_unavailable',
      });
    });
    if (!store)
      throw new RequestError('unavailable', 'no worklist in this engine', {
        reason: 'no_worklist',
      });
    return store;
  }

  /**
   * Sends 20 ms PCM frames to one peer as a leg (binary audio frames,
   * numbered per peer). A frame for a call (`callId`, or the one a frame
   * names) carries that call's tag: the renderer plays it into that call
   * only (audio-frame.ts).
   */
  private sender(peer: Peer, leg: Leg, callId?: string): LegSender {
    let tagged: { callId: string; tag: string } | undefined;
    const tagOf = (id: string): string => {
      if (tagged?.callId !== id) tagged = { callId: id, tag: callTagOf(id) };
      return tagged.tag;
    };
    return (samples, frameCallId, flush) => {
      const call = frameCallId ?? callId;
      peer.connection.sendAudio(
        encodeAudioFrame({
          leg,
          seq: peer.outgoingSeq++,
          sentAt: now(),
          samples,
          ...(call === undefined ? {} : { callTag: tagOf(call) }),
          ...(flush ? { flush: true } : {}),
        }),
      );
    };
  }

  /**
   * A call is over (the phone's 'ended' report): its bot stops, and so does
   * whatever else still plays into it, on every connection.
   */
  private callAudioEnded(callId: string): void {
    this.options.bots?.callEnded(callId);
    for (const peer of this.peers) {
      peer.botCalls.delete(callId);
      for (const playback of peer.playbacks.values())
        if (playback.callId === callId) playback.handle.stop();
    }
  }

  /** Streams PCM chunks into a peer's leg in real time (for call `callId`); announces start and end. */
  private play(
    peer: Peer,
    leg: Leg,
    source: AsyncIterable<Int16Array>,
    callId?: string,
  ): StreamHandle {
    const playbackId = crypto.randomUUID();
    const send = this.sender(peer, leg, callId);
    const handle = streamPcm(playbackId, source, (samples) => send(samples));
    peer.playbacks.set(playbackId, { handle, ...(callId === undefined ? {} : { callId }) });
    this.broadcast({ event: 'audio.playback', data: { leg, playbackId, state: 'started' } });
    void handle.done.then(({ how, error }) => {
      peer.playbacks.delete(playbackId);
      if (error) this.log.error(`playback ${playbackId} failed: ${error.message}`);
      this.broadcast({
        event: 'audio.playback',
        data: { leg, playbackId, state: how === 'finished' ? 'finished' : 'stopped' },
      });
    });
    return handle;
  }

  private async handleMessage(peer: Peer, raw: unknown): Promise<void> {
    const envelope = requestEnvelopeSchema.safeParse(raw);
    if (!envelope.success) {
      // No request id to answer: counted, and logged (or summed up in the log).
      this.rejects.message(
        `malformed message from ${peer.connection.label}: ${z.prettifyError(envelope.error)}`,
      );
      return;
    }
    const { id, method, params } = envelope.data;
    const reply = (result: unknown): void =>
      peer.connection.sendMessage({ t: 'res', id, ok: true, result });
    const fail = (failure: RequestFailure): void =>
      peer.connection.sendMessage({ t: 'res', id, ok: false, error: failure });

    const known = methodSchema.safeParse(method);
    if (!known.success) {
      this.rejects.message(`unknown method "${clip(method)}" from ${peer.connection.label}`);
      fail({ code: 'unknown_method', message: `unknown method "${method}"` });
      return;
    }
    const m = known.data;
    const parsed = requestSchemas[m].params.safeParse(params);
    if (!parsed.success) {
      const message = `invalid parameters for ${m}: ${z.prettifyError(parsed.error)}`;
      this.rejects.message(clip(message));
      fail(invalidParams(message, parsed.error));
      return;
    }
    try {
      const handler = this.handlers[m] as (p: unknown, peer: Peer) => unknown;
      reply(await handler(parsed.data, peer));
    } catch (error) {
      if (error instanceof RequestError) {
        fail(error.toFailure());
      } else if (error instanceof z.ZodError) {
        fail(invalidParams(z.prettifyError(error), error));
      } else {
        const message = error instanceof Error ? error.message : String(error);
        // An unexpected error may carry what the request carried (a number, a date): scrubbed.
        this.log.error(`${m} failed: ${this.log.scrub(message)}`);
        fail(new RequestError('internal', `${m} failed: ${message}`, reasonOf(error)).toFailure());
      }
    }
  }
}
