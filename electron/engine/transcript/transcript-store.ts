/**
 * Where transcripts live: in memory while the call is on (for the live view)
 * and on disk, one file per call, every line sealed with the engine's key –
 * transcripts are social data (§ 67 SGB X) and are encrypted at rest (Art. 32
 * GDPR). Only final segments are stored; partials are for the screen.
 *
 * File format (`transcripts/<sha256(callId)[:40]>.jsonl`, mode 0600):
 *
 *   line 0   {"v":2,"head":SEALED(callId)}          aad "lotse:transcript:v2:head\n<file name>"
 *   line n   {"v":2,…SEALED(segment JSON)}          aad "lotse:transcript:v2\n<callId>\n<n>"
 *
 * The associated data binds each line to its call and its position: a line
 * copied into another call's file, or moved within its own, no longer opens
 * and is skipped with a warning (GCM authenticates the associated data). The
 * sealed head names the call, so the retention job can audit a deletion by
 * call without a plain index of calls on disk.
 *
 * Lines written before (no "v", sealed without associated data) still open;
 * they can only stand before the first v2 line of a file, and their
 * segment must name the file's call.
 *
 * Retention (retention/retention.ts): a transcript is deleted once the
 * wrap-up note is in the case system, and by age (last line written) by the
 * daily job; every deletion is audited there.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { transcriptSegmentSchema, type TranscriptSegment } from '../../contract';
import type { ScopedLogger } from '../log/logger';
import type { SecretBox, SealedSecret } from '../store/secret-box';

/** Associated data of a segment line: the call and the line's position in its file. */
export function transcriptLineAad(callId: string, position: number): string {
  return `lotse:transcript:v2\n${callId}\n${position}`;
}

/** Associated data of a file's head: the file's name (itself the hash of the call). */
export function transcriptHeadAad(fileName: string): string {
  return `lotse:transcript:v2:head\n${fileName}`;
}

interface StoredLine extends Partial<SealedSecret> {
  v?: number;
  head?: SealedSecret;
}

/** One stored transcript file, for the retention job. */
export interface StoredTranscript {
  /** The file's name in transcripts/ (the hash of the call). */
  name: string;
  /** When its last line was written. */
  modifiedAt: Date;
  /** A call is on and still writing to it. */
  live: boolean;
}

export class TranscriptStore {
  private readonly live = new Map<string, TranscriptSegment[]>();
  /** The position of the next line, per call with a file open in this run. */
  private readonly positions = new Map<string, number>();
  private readonly dir: string;

  constructor(
    dataDir: string,
    private readonly box: SecretBox,
    private readonly log: ScopedLogger,
  ) {
    this.dir = path.join(dataDir, 'transcripts');
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  add(segment: TranscriptSegment): void {
    if (!segment.final) return;
    const list = this.live.get(segment.callId) ?? [];
    list.push(segment);
    this.live.set(segment.callId, list);
    try {
      const file = this.file(segment.callId);
      let position = this.positions.get(segment.callId) ?? this.nextPosition(file);
      if (position === 0) {
        const head = this.box.seal(segment.callId, transcriptHeadAad(path.basename(file)));
        fs.appendFileSync(file, JSON.stringify({ v: 2, head }) + '\n', { mode: 0o600 });
        position = 1;
      }
      const sealed = this.box.seal(
        JSON.stringify(segment),
        transcriptLineAad(segment.callId, position),
      );
      fs.appendFileSync(file, JSON.stringify({ v: 2, ...sealed }) + '\n', { mode: 0o600 });
      this.positions.set(segment.callId, position + 1);
    } catch (error) {
      // The live view still has it; say loudly that the record is incomplete.
      this.log.error(
        `transcript of ${segment.callId} could not be written: ${(error as Error).message}`,
      );
    }
  }

  /** Drops the in-memory copy when the call is over (the file stays). */
  close(callId: string): void {
    this.live.delete(callId);
    this.positions.delete(callId);
  }

  get(callId: string): TranscriptSegment[] {
    const live = this.live.get(callId);
    if (live) return [...live];
    let text: string;
    try {
      text = fs.readFileSync(this.file(callId), 'utf8');
    } catch {
      return [];
    }
    const name = path.basename(this.file(callId));
    const segments: TranscriptSegment[] = [];
    let sealedWithPlace = false;
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    for (const [position, line] of lines.entries()) {
      try {
        const stored = JSON.parse(line) as StoredLine;
        if (stored.v === 2 && stored.head) {
          if (position !== 0 || this.box.open(stored.head, transcriptHeadAad(name)) !== callId)
            throw new Error('a head that does not belong here');
          sealedWithPlace = true;
          continue;
        }
        let plain: string;
        if (stored.v === 2) {
          plain = this.box.open(stored as SealedSecret, transcriptLineAad(callId, position));
          sealedWithPlace = true;
        } else {
          // Written before lines were bound to their place: only ahead of the bound ones.
          if (sealedWithPlace) throw new Error('an unbound line after bound ones');
          plain = this.box.open(stored as SealedSecret);
        }
        const segment = transcriptSegmentSchema.parse(JSON.parse(plain));
        if (segment.callId !== callId) throw new Error('a line of another call');
        segments.push(segment);
      } catch {
        this.log.warn(
          `a damaged or misplaced line (${position + 1}) in the transcript of ${callId} was skipped`,
        );
      }
    }
    return segments;
  }

  /** Whether a call's transcript is on disk. */
  has(callId: string): boolean {
    return fs.existsSync(this.file(callId));
  }

  /** Deletes a call's transcript (memory and file); true if a file was there. */
  delete(callId: string): boolean {
    this.live.delete(callId);
    this.positions.delete(callId);
    return this.remove(path.basename(this.file(callId)));
  }

  /** Every transcript file on disk, oldest last write first. */
  stored(): StoredTranscript[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir).filter((n) => /^[0-9a-f]{40}\.jsonl$/.test(n));
    } catch {
      return [];
    }
    const writing = new Set(
      [...this.positions.keys(), ...this.live.keys()].map((id) => path.basename(this.file(id))),
    );
    return names
      .flatMap((name) => {
        try {
          const stat = fs.statSync(path.join(this.dir, name));
          return [{ name, modifiedAt: stat.mtime, live: writing.has(name) }];
        } catch {
          return [];
        }
      })
      .sort((a, b) => a.modifiedAt.getTime() - b.modifiedAt.getTime());
  }

  /**
   * The call a stored file belongs to: from its sealed head, or for a file
   * written before heads from its first line; null if neither opens.
   */
  callIdOf(name: string): string | null {
    let first: string;
    try {
      const text = fs.readFileSync(path.join(this.dir, path.basename(name)), 'utf8');
      first = text.split('\n', 1)[0] ?? '';
    } catch {
      return null;
    }
    try {
      const stored = JSON.parse(first) as StoredLine;
      const callId = stored.head
        ? this.box.open(stored.head, transcriptHeadAad(path.basename(name)))
        : transcriptSegmentSchema.parse(JSON.parse(this.box.open(stored as SealedSecret))).callId;
      return path.basename(this.file(callId)) === path.basename(name) ? callId : null;
    } catch {
      return null;
    }
  }

  /** Deletes one stored file by name; true if it was there. */
  remove(name: string): boolean {
    try {
      fs.rmSync(path.join(this.dir, path.basename(name)));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  /** Where the next line of a call goes: after the lines already in its file (0: a new file). */
  private nextPosition(file: string): number {
    try {
      const text = fs.readFileSync(file, 'utf8');
      return text.split('\n').filter(Boolean).length;
    } catch {
      return 0;
    }
  }

  private file(callId: string): string {
    // Call-IDs come from the network: a hash keeps them out of path syntax.
    const name = crypto.createHash('sha256').update(callId).digest('hex').slice(0, 40);
    return path.join(this.dir, `${name}.jsonl`);
  }
}
