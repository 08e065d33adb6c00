/**
 * The bot's side of the requests (bot.*, practice.*): a live call's bot or a
 * practice call started into a connection's audio, ended on request or when
 * the connection that carried it goes away, keyed digits, take-over and the
 * bot's mode. Failures keep a reason the screen can word (no bot, no voice,
 * no demo caller).
 */
import type { Leg, ParsedParams, Result } from '../../contract';
import { BotUnavailableError, type LiveBots } from '../bot/live-bots';
import { PracticeError, type PracticeCalls } from '../bot/practice-calls';
import type { CallHistoryPort } from '../history/call-history';
import type { LiveTranscription } from '../transcript/live-transcription';
import type { LiveCalls } from './live-calls';
import { asRequestError, noBot } from './request-error';

/**
 * Sends 20 ms of PCM into a leg; a frame with a call id goes out tagged with
 * it. `flush`: a command to drop what the desk has queued to play there.
 */
export type LegSender = (samples: Int16Array, callId?: string, flush?: 'flush') => void;

/** A connection as the bots see it: where their audio goes, and which calls it carries. */
export interface BotCarrier {
  /** Calls whose bot speaks into this connection's outgoing leg. */
  readonly botCalls: Set<string>;
  /** Sends into one of this connection's legs (frames tagged with `callId`, if named). */
  send(leg: Leg, callId?: string): LegSender;
}

export interface BotCallsOptions {
  /** The bot for live calls; absent: bot requests answer 'no_bot'. */
  bots?: LiveBots;
  /** Practice calls; absent: practice.start answers 'no_bot'. */
  practice?: PracticeCalls;
  liveCalls: LiveCalls;
  transcription?: LiveTranscription;
  history?: CallHistoryPort;
}

export class BotCalls {
  constructor(private readonly options: BotCallsOptions) {}

  async start(
    { callId, callerId }: ParsedParams<'bot.start'>,
    carrier: BotCarrier,
  ): Promise<Result<'bot.start'>> {
    const bots = this.requireBots();
    if (callerId) this.options.liveCalls.botCallerId(callId, callerId);
    // The bot's first words belong in the transcript even if the phone's
    // "connected" report is still on its way (not for a call already over).
    if (!bots.hasEnded(callId)) this.options.transcription?.callConnected(callId);
    try {
      const started = await bots.start(callId, callerId, carrier.send('outgoing', callId));
      carrier.botCalls.add(callId);
      return started;
    } catch (error) {
      if (error instanceof BotUnavailableError)
        throw asRequestError('unavailable', error, 'no_voice');
      throw error;
    }
  }

  async startPractice(
    { script }: ParsedParams<'practice.start'>,
    carrier: BotCarrier,
  ): Promise<Result<'practice.start'>> {
    const practice = this.options.practice;
    if (!practice) throw noBot();
    try {
      const started = await practice.start(
        script,
        carrier.send('outgoing'),
        carrier.send('caller'),
      );
      carrier.botCalls.add(started.callId);
      return started;
    } catch (error) {
      if (error instanceof PracticeError)
        throw asRequestError('unavailable', error, 'no_demo_caller');
      if (error instanceof BotUnavailableError)
        throw asRequestError('unavailable', error, 'no_voice');
      throw error;
    }
  }

  endPractice(callId: string, carrier: BotCarrier): Result<'practice.end'> {
    carrier.botCalls.delete(callId);
    return { ended: this.options.practice?.end(callId) ?? false };
  }

  end(callId: string, carrier: BotCarrier): Result<'bot.end'> {
    carrier.botCalls.delete(callId);
    return { ended: this.requireBots().callEnded(callId) };
  }

  dtmf(callId: string, digits: string): Result<'bot.dtmf'> {
    return { accepted: this.requireBots().keyed(callId, digits) };
  }

  takeOver(callId: string): Result<'bot.takeOver'> {
    const handoff = this.requireBots().takeOver(callId);
    // The history names who finished the call: a person now.
    void this.options.history?.setHandledBy(callId, 'person').catch(() => undefined);
    return handoff ? { handoff } : {};
  }

  getMode(): Result<'bot.getMode'> {
    return this.requireBots().modeStatus();
  }

  setMode(override: ParsedParams<'bot.setMode'>['override']): Result<'bot.setMode'> {
    return this.requireBots().setOverride(override);
  }

  /** The window that carried these calls is gone: so is their audio. */
  carrierGone(carrier: BotCarrier): void {
    for (const callId of carrier.botCalls) {
      if (!this.options.practice?.end(callId)) this.options.bots?.callEnded(callId);
      this.options.liveCalls.carrierGone(callId);
    }
  }

  private requireBots(): LiveBots {
    if (!this.options.bots) throw noBot();
    return this.options.bots;
  }
}
