/**
 * What the bot actually answered in a line of the transcript: its fixed
 * prompts (greeting, menus, reprompts) taken out, for the suggestions and
 * the wrap-up note.
 */
import type { TranscriptSegment } from '../../contract';
import { PHRASES } from '../bot/phrases';

/** The bot's fixed sentences, longest first (so a prompt inside another goes with it). */
const PROMPTS = Object.values(PHRASES)
  .filter((p): p is string => typeof p === 'string')
  .flatMap((p) => p.split(/(?<=[.?!])\s+/))
  .map((p) => p.trim())
  .filter((p) => p.length > 0)
  .sort((a, b) => b.length - a.length);

/** A bot line without its fixed prompts: what it actually answered. */
export function withoutPrompts(text: string): string {
  let rest = text;
  for (const prompt of PROMPTS) if (rest.includes(prompt)) rest = rest.split(prompt).join(' ');
  return rest.replace(/\s+/g, ' ').trim();
}

/**
 * What a bot line answered: the bot's own mark when the line has one (null:
 * only prompts), else, for an unmarked line, the line without its prompts.
 */
export function answeredIn(segment: Pick<TranscriptSegment, 'text' | 'answer'>): string {
  if (segment.answer !== undefined) return segment.answer?.text ?? '';
  return withoutPrompts(segment.text);
}
