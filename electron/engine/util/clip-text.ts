/**
 * Shortens a text for a summary line without cutting a word: at the end of
 * a sentence if one keeps at least half of the room, else at the end of a
 * word, marked " …". Only a single word longer than the room is cut inside.
 */
export function clipText(text: string, max: number): string {
  const plain = text.replace(/\s+/g, ' ').trim();
  if (plain.length <= max) return plain;
  const room = max - 2; // for " …"
  const head = plain.slice(0, room + 1);
  let sentenceEnd = -1;
  // A sentence ends at . ! ? after a letter (not "1. Dezember"), before a space.
  for (const match of head.matchAll(/(?<=[^\d\s])[.!?…](?= )/g)) {
    if (match.index + 1 <= room) sentenceEnd = match.index + 1;
  }
  if (sentenceEnd >= room / 2) return `${plain.slice(0, sentenceEnd)} …`;
  const space = head.lastIndexOf(' ');
  if (space > 0) return `${plain.slice(0, space).replace(/[\s,;:–-]+$/, '')} …`;
  return `${plain.slice(0, max - 1)}…`;
}
