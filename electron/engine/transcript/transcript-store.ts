/**
 * Where transcripts live: in memory while the call is on (for the live view)
 * and on disk, one file per call, every line sealed with the engine's key –
 * transcripts are social data (§ 67 SGB X) and are encrypted at rest (Art. 32
 * GDPR). Only final segments are stored; partials are for the screen.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { transcriptSegmentSchema, type TranscriptSegment } from '../../contract';
import type { ScopedLogger } from '../log/logger';
import type { SecretBox, SealedSecret } from '../store/secret-box';

export class TranscriptStore {
  private readonly live = new Map<string, TranscriptSegment[]>();
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
      fs.appendFileSync(
        this.file(segment.callId),
        JSON.stringify(this.box.seal(JSON.stringify(segment))) + '\n',
        {
          mode: 0o600,
        },
      );
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
    const segments: TranscriptSegment[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        segments.push(
          transcriptSegmentSchema.parse(
            JSON.parse(this.box.open(JSON.parse(line) as SealedSecret)),
          ),
        );
      } catch {
        this.log.warn(`a damaged line in the transcript of ${callId} was skipped`);
      }
    }
    return segments;
  }

  private file(callId: string): string {
    // Call-IDs come from the network: a hash keeps them out of path syntax.
    const name = crypto.createHash('sha256').update(callId).digest('hex').slice(0, 40);
    return path.join(this.dir, `${name}.jsonl`);
  }
}
