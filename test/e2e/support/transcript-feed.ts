/**
 * Feeds transcript segments into the real renderer through its real engine
 * socket: Playwright routes the page's WebSocket to the running engine
 * (every request, reply and event passes through unchanged) and adds
 * `transcript.segment` events of its own, in the engine's envelope. From
 * there on it is the app's own path: the carrier, the client's zod check,
 * the event router, the transcript store and the panel.
 *
 * Why not the engine's speech path: the synthetic speech model hears one word
 * per segment, and a real call takes real time — thousands of lines of
 * German sentences (3–40 words, partials growing to finals, several
 * speakers) in seconds only come this way.
 */
import type { Page, WebSocketRoute } from '@playwright/test';
import type { Speaker, TranscriptSegment } from '../../../electron/contract';

export class TranscriptFeed {
  private route: WebSocketRoute | undefined;
  private server: WebSocketRoute | undefined;
  /** Engine messages the page is not to get (see `dropFromEngine`). */
  private drop: ((message: { event?: string; data?: unknown }) => boolean) | undefined;

  private constructor() {}

  /** Call before `page.goto`: routes `/engine` through this feed. */
  static async attach(page: Page): Promise<TranscriptFeed> {
    const feed = new TranscriptFeed();
    await page.routeWebSocket(/\/engine\?/, (ws) => {
      // Without handlers of our own, both directions are forwarded as they are
      // (until `dropFromEngine` puts the feed between engine and page).
      feed.server = ws.connectToServer();
      feed.route = ws;
    });
    return feed;
  }

  /** Sends one segment as the engine would (stamped with publishedAt if it has none). */
  send(segment: TranscriptSegment): void {
    if (!this.route) throw new Error('the page has not opened the engine socket yet');
    const data = { ...segment, publishedAt: segment.publishedAt ?? Date.now() };
    this.route.send(JSON.stringify({ t: 'evt', event: 'transcript.segment', data }));
  }

  /** Sends any engine event (in the engine's envelope) as if the engine had. */
  sendEvent(event: string, data: unknown): void {
    this.sendRaw(JSON.stringify({ t: 'evt', event, data }));
  }

  /**
   * From now on the page does not get the engine's messages that `predicate`
   * picks (e.g. the bot's own state of a call whose state the test sets).
   * Every engine message then takes a detour through the test process: use
   * it for a moment's picture, not for audio timing.
   */
  dropFromEngine(predicate: (message: { event?: string; data?: unknown }) => boolean): void {
    const { route, server } = this;
    if (!route || !server) throw new Error('the page has not opened the engine socket yet');
    // From the first call on, the engine's messages pass through here (binary
    // frames as they come; text ones unless picked).
    if (!this.drop)
      server.onMessage((message) => {
        if (typeof message === 'string') {
          try {
            if (this.drop?.(JSON.parse(message) as { event?: string; data?: unknown })) return;
          } catch {
            // Not JSON: passed on, the app judges it.
          }
        }
        route.send(message);
      });
    this.drop = predicate;
  }

  /** Sends any text as if the engine had (for a control: traffic the app drops at once). */
  sendRaw(text: string): void {
    if (!this.route) throw new Error('the page has not opened the engine socket yet');
    this.route.send(text);
  }
}

const WORDS = (
  'ich habe eine frage zu meinem bescheid vom letzten monat und wollte wissen wann ' +
  'das geld auf meinem konto ist weil die miete am ersten fällig wird der vermieter ' +
  'hat schon angerufen meine kundennummer steht auf dem brief aber ich finde ihn ' +
  'gerade nicht können sie bitte nachsehen ob der weiterbewilligungsantrag angekommen ' +
  'ist ich habe ihn per post geschickt zusammen mit den kontoauszügen und der ' +
  'bescheinigung vom arbeitgeber außerdem hat sich meine adresse geändert seit ' +
  'januar wohne ich in der bahnhofstraße wir prüfen das gerne für sie einen moment ' +
  'bitte die zahlung wurde am fünfundzwanzigsten angewiesen das dauert meist zwei ' +
  'bis drei bankarbeitstage verstehe vielen dank dann warte ich noch'
).split(' ');

/** A small deterministic random source (the bench and the spec repeat exactly). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/** A German sentence of 3–40 words (most short, some long). */
export function sentence(random: () => number): string {
  const count = 3 + Math.floor(random() ** 2 * 38);
  const words: string[] = [];
  let at = Math.floor(random() * WORDS.length);
  for (let i = 0; i < count; i++)
    words.push(WORDS[(at += 1 + Math.floor(random() * 3)) % WORDS.length]!);
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1) + (random() < 0.2 ? '?' : '.');
}

/**
 * One call's transcript as the engine streams it: for each segment some
 * partials that grow word by word (every `wordsPerPartial` words, at most
 * `maxPartials`), then the final with the same segmentId. The bot talks
 * first, then caller and agent take turns.
 */
export function* transcriptStream(options: {
  callId: string;
  segments: number;
  seed?: number;
  firstIndex?: number;
  startMs?: number;
  wordsPerPartial?: number;
  maxPartials?: number;
}): Generator<TranscriptSegment> {
  const random = seeded(options.seed ?? 42);
  const wordsPerPartial = options.wordsPerPartial ?? 4;
  const maxPartials = options.maxPartials ?? 6;
  let startMs = options.startMs ?? 0;
  const first = options.firstIndex ?? 0;
  for (let n = first; n < first + options.segments; n++) {
    const speaker: Speaker =
      n - first < Math.min(8, options.segments / 10) ? 'bot' : random() < 0.55 ? 'caller' : 'agent';
    const text = sentence(random);
    const words = text.split(' ');
    const endMs = startMs + words.length * 380 + 200;
    const base = {
      callId: options.callId,
      segmentId: `${options.callId}-${speaker}-${n}`,
      speaker,
      startMs,
      endMs,
      confidence: null,
    };
    if (speaker !== 'bot') {
      let partials = 0;
      for (
        let w = wordsPerPartial;
        w < words.length && partials < maxPartials;
        w += wordsPerPartial
      ) {
        partials++;
        yield { ...base, text: words.slice(0, w).join(' ').replace(/[.?]$/, ''), final: false };
      }
    }
    yield { ...base, text, final: true, confidence: 0.8 + random() * 0.2 };
    startMs = endMs + 300 + Math.floor(random() * 1500);
  }
}
