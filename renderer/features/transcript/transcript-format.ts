/**
 * Pure helpers of the transcript panel: call-time clocks, what the screen
 * reader hears for a final line, and when the view counts as "at the live end".
 */
import type { Speaker, TranscriptSegment } from '../../../electron/contract';
import type { TranscriptMessageKey } from './transcript-messages';

export const SPEAKER_KEY: Record<Speaker, TranscriptMessageKey> = {
  bot: 'speakerBot',
  caller: 'speakerCaller',
  agent: 'speakerAgent',
};

/**
 * Whose line it is, as the screen words it: an announcement the caseworker
 * typed for the engine's voice is theirs ("Ansage (Mitarbeiter/in)"), not the bot's.
 */
export function speakerKey(
  segment: Pick<TranscriptSegment, 'speaker' | 'announcement'>,
): TranscriptMessageKey {
  return segment.announcement ? 'speakerAnnouncement' : SPEAKER_KEY[segment.speaker];
}

/** A line that was not recognised, marked as what it is (a practice call's script text, keys). */
export const SOURCE_KEY: Record<NonNullable<TranscriptSegment['source']>, TranscriptMessageKey> = {
  script: 'source_script',
  keys: 'source_keys',
};

/** Call time as the agent reads it: m:ss, and h:mm:ss from the first hour on. */
export function callClock(ms: number): string {
  const total = Number.isFinite(ms) ? Math.max(0, Math.floor(ms / 1000)) : 0;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}

/** The same time as an ISO 8601 duration, for <time dateTime>. */
export function isoDuration(ms: number): string {
  const total = Number.isFinite(ms) ? Math.max(0, Math.floor(ms / 1000)) : 0;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  return `PT${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${total % 60}S`;
}

/** What the polite live region says for a final line: "Anrufer/in: …". */
export function announcement(speakerLabel: string, text: string): string {
  return `${speakerLabel}: ${text.trim()}`;
}

/** How close to the end (px) still counts as following the live end. */
export const LIVE_SLACK_PX = 32;

export function distanceFromEnd(view: {
  scrollHeight: number;
  scrollTop: number;
  clientHeight: number;
}): number {
  return Math.max(0, view.scrollHeight - view.scrollTop - view.clientHeight);
}

/**
 * Whether a scroll event means the agent left the live end: only a move
 * upwards that ends away from the end. Content that grows or shrinks under a
 * following view (a partial replaced by a longer or shorter final) moves the
 * end, not the agent, and must not pause following.
 */
export function leftLiveEnd(
  previousTop: number,
  view: {
    scrollHeight: number;
    scrollTop: number;
    clientHeight: number;
  },
): boolean {
  return view.scrollTop < previousTop - 1 && distanceFromEnd(view) > LIVE_SLACK_PX;
}

/**
 * How long after the agent's own gesture (wheel, touch, a scroll key, a
 * press on the scrollbar) a scroll counts as theirs. The list also scrolls by
 * itself: the virtualiser corrects scrollTop when rows above the view are
 * measured (a row shorter than its estimate moves the content up before the
 * list's height follows), and that must never pause following.
 */
export const AGENT_SCROLL_MS = 1000;

/** Whether a scroll event is the agent leaving the live end (see leftLiveEnd). */
export function agentLeftLiveEnd(
  previousTop: number,
  view: { scrollHeight: number; scrollTop: number; clientHeight: number },
  gesture: { lastAt: number; pressed: boolean },
  now: number,
): boolean {
  const byAgent = gesture.pressed || now - gesture.lastAt <= AGENT_SCROLL_MS;
  return byAgent && leftLiveEnd(previousTop, view);
}

/**
 * The summary's lines (the bot writes one fact per line). The bot wrote its
 * "Identität: …" line at the handoff; `identity`, the check as it is now
 * (an agent who verified the caller since), takes its place.
 */
export function summaryLines(summary: string, identity?: string): string[] {
  const lines = summary
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  if (!identity) return lines;
  const at = lines.findIndex((line) => line.startsWith('Identität:'));
  return at < 0 ? [...lines, identity] : lines.map((line, i) => (i === at ? identity : line));
}
