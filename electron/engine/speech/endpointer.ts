/**
 * Turn-taking: decides when a caller's turn begins and ends, from voice
 * activity per frame, the recognizer's partial text and libvosk's own
 * endpoint. Pure (no clock, no I/O): the worker feeds it frames and acts on
 * what it returns, and the tests feed it synthetic frame sequences.
 *
 * Why our own and not only libvosk's: the model's endpoint rules
 * (conf/model.conf) are one fixed setting per model, but the bot needs them
 * per question: after "Ist das richtig?" a short pause ends the answer
 * (silenceMs ≈ 400), while a caller dictating a customer number pauses between
 * digit groups (silenceMs ≈ 1200). libvosk 0.3.39 has no API to change its
 * rules at run time.
 *
 *   idle ──speech ≥ minSpeechMs──▶ in turn ──silenceMs of non-speech (partial stable)──▶ idle  (vad)
 *                                   │ ──partial unchanged stableTurnMs──────────────────▶ idle  (stable)
 *                                   │ ──libvosk endpoint (if useRecognizerEndpoint)─────▶ idle  (endpoint)
 *                                   │ ──maxTurnMs──────────────────────────────────────▶ idle  (max-turn)
 *                                   └ ──flush() (close, grammar switch)─────────────────▶ idle  (flush)
 */

/** Why a turn ended. */
export type TurnEndReason = 'vad' | 'stable' | 'endpoint' | 'max-turn' | 'flush';

export interface EndpointSettings {
  /** Non-speech after speech that ends a turn. */
  silenceMs: number;
  /** Longest turn; a longer one is cut (and a new one begins if speech goes on). */
  maxTurnMs: number;
  /** Speech needed, without a break, to open a turn (shorter clicks and bumps are ignored). */
  minSpeechMs: number;
  /**
   * A silence end waits until the partial text has not changed for this long:
   * the decoder lags the audio a little, and a partial that still changes
   * means the VAD missed quiet speech.
   */
  stablePartialMs: number;
  /**
   * Ends a turn whose non-empty partial text has not changed for this long
   * even though the VAD still hears "speech" (a noisy line); 0 = off.
   */
  stableTurnMs: number;
  /** Whether libvosk's own endpoint (the model's rules) also ends a turn. */
  useRecognizerEndpoint: boolean;
  /** WebRTC VAD aggressiveness, 0 (lets most through as speech) … 3 (strictest). */
  vadMode: 0 | 1 | 2 | 3;
  /**
   * A shorter silence that ends the turn when the words so far sound like a
   * finished sentence (see soundsComplete); 0 = off. "Ich möchte meinen
   * Termin verschieben" ends after this; "Ich möchte meinen" waits the full
   * silenceMs.
   */
  completeSilenceMs: number;
}

/**
 * Words a German sentence does not end on: articles, prepositions,
 * conjunctions, possessives, auxiliaries and fillers. A turn whose last word
 * is one of these is still going, whatever the pause says.
 */
const UNFINISHED_ENDINGS = new Set(
  (
    'und oder aber sondern denn weil dass ob wenn als wie also doch noch nur auch ' +
    'der die das den dem des ein eine einen einem einer eines kein keine keinen keinem ' +
    'mein meine meinen meinem meiner dein deine sein seine ihr ihre ihren ihrem unser unsere ' +
    'zu zum zur mit von vom für auf in im ins am an bei beim nach aus über unter vor wegen ' +
    'seit bis durch gegen ohne um ich du er sie es wir ist bin sind war habe hat haben ' +
    'möchte will wollte kann könnte muss soll würde wird werden wurde äh ähm öh hm halt so ' +
    'null eins zwei zwo drei vier fünf sechs sieben acht neun zehn elf zwölf hundert tausend'
  ).split(' '),
);

/** Whether recognised words sound like a finished sentence (a cheap turn-completion check). */
export function soundsComplete(text: string): boolean {
  const words = text.toLowerCase().trim().split(/\s+/).filter(Boolean);
  const last = words.at(-1);
  return last !== undefined && !UNFINISHED_ENDINGS.has(last);
}

export const DEFAULT_ENDPOINT_SETTINGS: Readonly<EndpointSettings> = Object.freeze({
  silenceMs: 700,
  maxTurnMs: 20_000,
  minSpeechMs: 90,
  stablePartialMs: 150,
  stableTurnMs: 0,
  useRecognizerEndpoint: true,
  vadMode: 2,
  completeSilenceMs: 0,
});

/** Checks a (partial) settings object; returns the problem or undefined. */
export function endpointSettingsProblem(settings: Partial<EndpointSettings>): string | undefined {
  const ms = (name: keyof EndpointSettings, min: number, max: number): string | undefined => {
    const value = settings[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
      return `${name} must be a number from ${min} to ${max}, got ${String(value)}`;
    return undefined;
  };
  return (
    ms('silenceMs', 50, 10_000) ??
    ms('maxTurnMs', 500, 600_000) ??
    ms('minSpeechMs', 0, 2_000) ??
    ms('stablePartialMs', 0, 10_000) ??
    ms('stableTurnMs', 0, 600_000) ??
    ms('completeSilenceMs', 0, 10_000) ??
    (settings.vadMode !== undefined && ![0, 1, 2, 3].includes(settings.vadMode)
      ? `vadMode must be 0, 1, 2 or 3, got ${String(settings.vadMode)}`
      : undefined) ??
    (settings.useRecognizerEndpoint !== undefined &&
    typeof settings.useRecognizerEndpoint !== 'boolean'
      ? 'useRecognizerEndpoint must be a boolean'
      : undefined)
  );
}

export type EndpointEvent =
  | { type: 'turn-start'; atMs: number }
  | {
      type: 'turn-end';
      reason: TurnEndReason;
      /** Stream time when the decision was made. */
      atMs: number;
      /** When the turn's speech began and (as far as the VAD can tell) ended. */
      turnStartMs: number;
      speechEndMs: number;
    };

export class Endpointer {
  private settings: EndpointSettings;
  /** Stream time at the end of the last frame. */
  private nowMs: number;
  /** Consecutive speech so far, and where that run began. */
  private speechRunMs = 0;
  private speechRunStartMs = 0;
  private turn: { startMs: number; lastSpeechMs: number } | undefined;
  private partialText = '';
  private partialChangedMs = 0;

  constructor(settings: Partial<EndpointSettings> = {}, startMs = 0) {
    this.settings = { ...DEFAULT_ENDPOINT_SETTINGS, ...settings };
    this.nowMs = startMs;
  }

  get inTurn(): boolean {
    return this.turn !== undefined;
  }

  get turnStartMs(): number | undefined {
    return this.turn?.startMs;
  }

  get timeMs(): number {
    return this.nowMs;
  }

  get current(): Readonly<EndpointSettings> {
    return this.settings;
  }

  configure(settings: Partial<EndpointSettings>): void {
    this.settings = { ...this.settings, ...settings };
  }

  /** One VAD decision for the next `durationMs` of audio. */
  frame(speech: boolean, durationMs: number): EndpointEvent[] {
    const frameStart = this.nowMs;
    this.nowMs += durationMs;
    const events: EndpointEvent[] = [];
    if (speech) {
      if (this.speechRunMs === 0) this.speechRunStartMs = frameStart;
      this.speechRunMs += durationMs;
    } else {
      this.speechRunMs = 0;
    }
    const runQualifies = speech && this.speechRunMs >= this.settings.minSpeechMs;

    if (this.turn) {
      if (runQualifies) this.turn.lastSpeechMs = this.nowMs;
      const ended = this.checkEnd();
      if (ended) events.push(ended);
    }
    if (!this.turn && runQualifies) {
      // After a max-turn cut the speech is still going: the new turn starts now.
      const startMs = events.length > 0 ? this.nowMs : this.speechRunStartMs;
      this.turn = { startMs, lastSpeechMs: this.nowMs };
      this.partialChangedMs = this.nowMs;
      events.push({ type: 'turn-start', atMs: startMs });
    }
    return events;
  }

  /** The recognizer's current partial text (call whenever it is read). */
  partial(text: string): void {
    if (text !== this.partialText) {
      this.partialText = text;
      this.partialChangedMs = this.nowMs;
    }
  }

  /**
   * libvosk reported an endpoint. Returns the turn end when that ends the
   * turn; the recognizer has started a new utterance either way, so the
   * partial text starts over.
   */
  recognizerEndpoint(): EndpointEvent | undefined {
    this.partialText = '';
    this.partialChangedMs = this.nowMs;
    if (!this.turn || !this.settings.useRecognizerEndpoint) return undefined;
    return this.end('endpoint');
  }

  /** Ends an open turn now (stream closed, grammar switched, flush asked). */
  flush(): EndpointEvent | undefined {
    this.speechRunMs = 0;
    return this.turn ? this.end('flush') : undefined;
  }

  private checkEnd(): EndpointEvent | undefined {
    const turn = this.turn;
    if (!turn) return undefined;
    const { maxTurnMs, stablePartialMs, stableTurnMs, completeSilenceMs } = this.settings;
    const silenceMs =
      completeSilenceMs > 0 && soundsComplete(this.partialText)
        ? Math.min(completeSilenceMs, this.settings.silenceMs)
        : this.settings.silenceMs;
    const sinceSpeech = this.nowMs - turn.lastSpeechMs;
    const sinceChange = this.nowMs - this.partialChangedMs;
    if (sinceSpeech >= silenceMs && sinceChange >= Math.min(stablePartialMs, silenceMs))
      return this.end('vad');
    if (stableTurnMs > 0 && this.partialText !== '' && sinceChange >= stableTurnMs)
      return this.end('stable');
    if (this.nowMs - turn.startMs >= maxTurnMs) return this.end('max-turn');
    return undefined;
  }

  private end(reason: TurnEndReason): EndpointEvent {
    const turn = this.turn;
    this.turn = undefined;
    this.partialText = '';
    this.partialChangedMs = this.nowMs;
    return {
      type: 'turn-end',
      reason,
      atMs: this.nowMs,
      turnStartMs: turn?.startMs ?? this.nowMs,
      speechEndMs: turn?.lastSpeechMs ?? this.nowMs,
    };
  }
}
