/**
 * A log file that stays bounded while a desk runs for weeks (a night desk
 * is never restarted): rotated by size at write time, rolled over once its
 * first line is a day old, and the rolled files deleted once they are older
 * than the retention (their last line) or beyond the number kept.
 *
 *   engine.log  ──(size or a day)──▶  engine.log.1 ─▶ engine.log.2 ─▶ … ─▶ engine.log.<maxFiles> ─▶ deleted
 *
 * So the log holds at most (maxFiles + 1) × maxBytes, and no line older than
 * maxAgeDays plus one day (GDPR Art. 5(1)(e): logs are kept no longer than
 * needed to find a fault). Files are created for the owner only (0600).
 *
 * The Electron shell keeps its own main.log the same way (electron/main/main-log.ts
 * has a copy of this logic: the shell may not import engine code).
 */
import fs from 'node:fs';
import path from 'node:path';

export interface LogRotation {
  /** A file is rotated before a line would take it beyond this size (bytes). */
  maxBytes: number;
  /** How many rotated files are kept (engine.log.1 … .N). */
  maxFiles: number;
  /** Rotated files whose last line is older than this are deleted. */
  maxAgeDays: number;
}

export const DEFAULT_LOG_ROTATION: Readonly<LogRotation> = {
  maxBytes: 5 * 1024 * 1024,
  maxFiles: 20,
  maxAgeDays: 14,
};

const DAY_MS = 86_400_000;
/** The time at the start of a log line: JSON lines ({"time":"…) or text lines (…Z LEVEL). */
const LINE_TIME = /(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)/;

export class RotatingLogFile {
  private size = 0;
  /** When the current file's first line was written (undefined: empty or none). */
  private startedAt: number | undefined;

  constructor(
    readonly file: string,
    private readonly rotation: LogRotation = DEFAULT_LOG_ROTATION,
    private readonly now: () => Date = () => new Date(),
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.size = sizeOf(file);
    this.startedAt = this.size > 0 ? firstLineTime(file) : undefined;
    this.prune();
  }

  /** Appends one line (with its newline), rotating first if it would not fit or the file is a day old. */
  append(line: string): void {
    const bytes = Buffer.byteLength(line);
    const t = this.now().getTime();
    if (
      this.size > 0 &&
      (this.size + bytes > this.rotation.maxBytes ||
        (this.startedAt !== undefined && t - this.startedAt >= DAY_MS))
    ) {
      this.rotate();
    }
    fs.appendFileSync(this.file, line, { mode: 0o600 });
    this.size += bytes;
    this.startedAt ??= t;
  }

  /**
   * The daily housekeeping (also at start and after each rotation): rolls a
   * file that began a day ago, deletes rotated files that are too old or too many.
   */
  prune(): void {
    const t = this.now().getTime();
    if (this.size > 0 && this.startedAt !== undefined && t - this.startedAt >= DAY_MS) {
      this.rotate();
      return;
    }
    const cutoff = t - this.rotation.maxAgeDays * DAY_MS;
    for (const { file, index, modifiedAt } of this.rotated()) {
      if (index > this.rotation.maxFiles || modifiedAt < cutoff) fs.rmSync(file, { force: true });
    }
  }

  /** The rotated files there are, by number. */
  private rotated(): { file: string; index: number; modifiedAt: number }[] {
    const base = path.basename(this.file);
    let names: string[];
    try {
      names = fs.readdirSync(path.dirname(this.file));
    } catch {
      return [];
    }
    return names
      .flatMap((name) => {
        const match = name.startsWith(base + '.')
          ? /^(\d+)$/.exec(name.slice(base.length + 1))
          : null;
        if (!match) return [];
        const file = path.join(path.dirname(this.file), name);
        try {
          return [{ file, index: Number(match[1]), modifiedAt: fs.statSync(file).mtimeMs }];
        } catch {
          return [];
        }
      })
      .sort((a, b) => a.index - b.index);
  }

  private rotate(): void {
    const rotated = this.rotated();
    // From the highest number down, so nothing is overwritten; beyond maxFiles: gone.
    for (const { file, index } of [...rotated].reverse()) {
      if (index >= this.rotation.maxFiles) fs.rmSync(file, { force: true });
      else fs.renameSync(file, `${this.file}.${index + 1}`);
    }
    try {
      if (this.rotation.maxFiles > 0) fs.renameSync(this.file, `${this.file}.1`);
      else fs.rmSync(this.file, { force: true });
    } catch (error) {
      // Someone removed it meanwhile: a new one starts below all the same.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    this.size = 0;
    this.startedAt = undefined;
    this.prune();
  }
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** The time of a file's first line; its modification time if the line has none. */
function firstLineTime(file: string): number | undefined {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(200);
      const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
      const match = LINE_TIME.exec(buffer.subarray(0, read).toString('utf8').split('\n')[0] ?? '');
      if (match?.[1]) return Date.parse(match[1]);
    } finally {
      fs.closeSync(fd);
    }
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}
