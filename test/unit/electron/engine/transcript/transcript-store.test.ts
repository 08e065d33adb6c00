/** The transcript store on disk: lines bound to their call and place, old lines still read, deletion. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogEntry, TranscriptSegment } from '../../../../../electron/contract';
import { Logger } from '../../../../../electron/engine/log/logger';
import { EngineKeys } from '../../../../../electron/engine/store/engine-keys';
import { SecretBox } from '../../../../../electron/engine/store/secret-box';
import { TranscriptStore } from '../../../../../electron/engine/transcript/transcript-store';

let dir: string;
let keys: EngineKeys;
let master: Buffer;
let warnings: LogEntry[];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-transcript-store-'));
  master = crypto.randomBytes(32);
  keys = new EngineKeys(master);
  warnings = [];
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function store(): TranscriptStore {
  const logger = new Logger({ stderr: false });
  logger.addSink((e) => {
    if (e.level === 'warn') warnings.push(e);
  });
  return new TranscriptStore(dir, keys.box('transcripts'), logger.scope('t'));
}

function segment(callId: string, n: number, text = `Satz ${n}`): TranscriptSegment {
  return {
    callId,
    segmentId: `${callId}-${n}`,
    speaker: 'caller',
    text,
    startMs: n * 1000,
    endMs: n * 1000 + 500,
    confidence: 0.9,
    final: true,
  };
}

const fileOf = (callId: string) =>
  path.join(
    dir,
    'transcripts',
    `${crypto.createHash('sha256').update(callId).digest('hex').slice(0, 40)}.jsonl`,
  );
const linesOf = (callId: string) =>
  fs.readFileSync(fileOf(callId), 'utf8').split('\n').filter(Boolean);
const writeLines = (callId: string, lines: string[]) =>
  fs.writeFileSync(fileOf(callId), lines.map((l) => l + '\n').join(''));

describe('TranscriptStore', () => {
  it('stores every line sealed, bound to its call and its position in the file', () => {
    const a = store();
    for (const n of [1, 2, 3]) a.add(segment('call-a', n, `Meine Nummer ist 0301234567${n}`));
    a.add(segment('call-b', 1));
    a.close('call-a');
    a.close('call-b');
    const text = fs.readFileSync(fileOf('call-a'), 'utf8');
    expect(text).not.toContain('Nummer');
    expect(text).not.toContain('call-a');
    expect(
      store()
        .get('call-a')
        .map((s) => s.text),
    ).toEqual([
      'Meine Nummer ist 03012345671',
      'Meine Nummer ist 03012345672',
      'Meine Nummer ist 03012345673',
    ]);
    // A head and one line per segment, all version 2.
    expect(linesOf('call-a').map((l) => (JSON.parse(l) as { v: number }).v)).toEqual([2, 2, 2, 2]);
  });

  it('skips a line moved to another call or to another place in its file', () => {
    const a = store();
    for (const n of [1, 2, 3]) a.add(segment('call-a', n));
    a.add(segment('call-b', 1));
    a.add(segment('call-b', 2));
    a.close('call-a');
    a.close('call-b');
    const [headA, a1, a2, a3] = linesOf('call-a') as [string, string, string, string];
    const [headB, b1] = linesOf('call-b') as [string, string];

    // Swapped within the file: neither opens at the other's place.
    writeLines('call-a', [headA, a2, a1, a3]);
    expect(
      store()
        .get('call-a')
        .map((s) => s.text),
    ).toEqual(['Satz 3']);
    // A line of call A copied into call B's file, at the very position it had: refused.
    writeLines('call-b', [headB, b1, a2]);
    expect(
      store()
        .get('call-b')
        .map((s) => s.text),
    ).toEqual(['Satz 1']);
    // …and call A's head does not open as call B's (the line in its place still does).
    writeLines('call-b', [headA, b1]);
    expect(
      store()
        .get('call-b')
        .map((s) => s.text),
    ).toEqual(['Satz 1']);
    expect(store().callIdOf(path.basename(fileOf('call-b')))).toBeNull();
    expect(warnings.length).toBeGreaterThanOrEqual(4);
    expect(warnings.map((w) => w.message).join('\n')).not.toContain('Satz');
  });

  it('still reads lines sealed before (no associated data, the master key) and appends after them', () => {
    // What the store wrote before: each line a SealedSecret of the segment, without a place.
    const old = new SecretBox(master);
    fs.mkdirSync(path.join(dir, 'transcripts'), { recursive: true });
    writeLines('call-old', [
      JSON.stringify(old.seal(JSON.stringify(segment('call-old', 1)))),
      JSON.stringify(keys.box('transcripts').seal(JSON.stringify(segment('call-old', 2)))),
    ]);
    const s = store();
    expect(s.get('call-old').map((x) => x.text)).toEqual(['Satz 1', 'Satz 2']);
    // The call goes on after an update: new lines are bound, the old ones stay readable.
    s.add(segment('call-old', 3));
    s.close('call-old');
    expect(
      store()
        .get('call-old')
        .map((x) => x.text),
    ).toEqual(['Satz 1', 'Satz 2', 'Satz 3']);
    expect(store().callIdOf(path.basename(fileOf('call-old')))).toBe('call-old');

    // An unbound line after bound ones is not accepted (no downgrade of a bound file).
    const lines = linesOf('call-old');
    writeLines('call-old', [...lines, lines[0]!]);
    expect(
      store()
        .get('call-old')
        .map((x) => x.text),
    ).toEqual(['Satz 1', 'Satz 2', 'Satz 3']);
    // An old line that names another call is not this call's.
    writeLines('call-x', [JSON.stringify(old.seal(JSON.stringify(segment('call-y', 1))))]);
    expect(store().get('call-x')).toEqual([]);
  });

  it('lists stored files with their call and deletes them', () => {
    const s = store();
    s.add(segment('call-a', 1));
    s.add(segment('call-b', 1));
    s.close('call-a');
    const stored = s.stored();
    expect(stored).toHaveLength(2);
    const byCall = Object.fromEntries(stored.map((f) => [s.callIdOf(f.name), f]));
    expect(byCall['call-a']?.live).toBe(false);
    expect(byCall['call-b']?.live).toBe(true);
    expect(s.delete('call-a')).toBe(true);
    expect(s.delete('call-a')).toBe(false);
    expect(s.get('call-a')).toEqual([]);
    expect(fs.existsSync(fileOf('call-a'))).toBe(false);
    expect(s.remove(byCall['call-b']!.name)).toBe(true);
    expect(s.stored()).toEqual([]);
  });

  it('writes its files for the owner only', () => {
    if (process.platform === 'win32') return;
    const s = store();
    s.add(segment('call-a', 1));
    expect(fs.statSync(fileOf('call-a')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, 'transcripts')).mode & 0o777).toBe(0o700);
  });
});
