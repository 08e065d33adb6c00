/**
 * The main process's log: one line per event on stderr (visible when started
 * from a terminal or by Playwright) and appended to <userData>/logs/main.log,
 * so a caseworker's "the phone was gone for a moment" can be matched with an
 * engine restart afterwards. Never log secrets here (no key, no password),
 * and no personal data: the engine keeps its own log (engine.log, callers
 * by pseudonym) and does not copy it to stderr in the desktop app; what does
 * reach this log loses the user part of SIP and tel URIs.
 *
 * Bounded like the engine's log (electron/engine/log/log-files.ts; the shell
 * may not import engine code, so the few lines are repeated here): rotated
 * by size at write time (5 MB, LOTSE_LOG_MAX_BYTES), rolled once its first
 * line is a day old, rotated files kept at most 20 (LOTSE_LOG_MAX_FILES) and
 * 14 days (LOTSE_RETENTION_LOG_DAYS); folder 0700, files 0600.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LogLevel } from '../contract';

export interface MainLogRotation {
  maxBytes: number;
  maxFiles: number;
  maxAgeDays: number;
}

const DAY_MS = 86_400_000;

/** The limits from the environment; a bad value keeps the default (the engine names it in its log). */
export function mainLogRotation(env: Record<string, string | undefined>): MainLogRotation {
  const whole = (name: string, min: number, max: number, fallback: number) => {
    const raw = env[name]?.trim() ?? '';
    const value = Number(raw);
    return /^\d+$/.test(raw) && value >= min && value <= max ? value : fallback;
  };
  return {
    maxBytes: whole('LOTSE_LOG_MAX_BYTES', 1024, 1024 ** 3, 5 * 1024 * 1024),
    maxFiles: whole('LOTSE_LOG_MAX_FILES', 1, 100, 20),
    maxAgeDays: whole('LOTSE_RETENTION_LOG_DAYS', 1, 365, 14),
  };
}

/** SIP and tel URIs without their user part: `sip:…@host`. */
export function withoutUriUsers(line: string): string {
  return line
    .replace(/\b(sips?:)[^@\s;>"',)]+@/gi, '$1…@')
    .replace(/\btel:\+?[\d\s()./-]+/gi, 'tel:…');
}

/** main.log: appended line by line, rotated and pruned as described above. */
export class MainLogFile {
  private size: number;
  private startedAt: number | undefined;

  constructor(
    readonly file: string,
    private readonly rotation: MainLogRotation,
    private readonly now: () => number = Date.now,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.chmodSync(path.dirname(file), 0o700);
    this.size = 0;
    try {
      const stat = fs.statSync(file);
      fs.chmodSync(file, 0o600);
      this.size = stat.size;
      const first = fs.readFileSync(file, 'utf8').slice(0, 200).split('\n')[0] ?? '';
      const time = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)/.exec(first)?.[1];
      this.startedAt = time ? Date.parse(time) : stat.mtimeMs;
    } catch {
      // no log yet
    }
    this.prune();
  }

  append(line: string): void {
    const bytes = Buffer.byteLength(line);
    const t = this.now();
    const old = this.startedAt !== undefined && t - this.startedAt >= DAY_MS;
    if (this.size > 0 && (this.size + bytes > this.rotation.maxBytes || old)) this.rotate();
    fs.appendFileSync(this.file, line, { mode: 0o600 });
    this.size += bytes;
    this.startedAt ??= t;
  }

  /** Deletes rotated files that are too old or too many (rolling the current one if a day old). */
  prune(): void {
    const t = this.now();
    if (this.size > 0 && this.startedAt !== undefined && t - this.startedAt >= DAY_MS) {
      this.rotate();
      return;
    }
    for (const { file, index, modifiedAt } of this.rotated()) {
      if (index > this.rotation.maxFiles || modifiedAt < t - this.rotation.maxAgeDays * DAY_MS)
        fs.rmSync(file, { force: true });
      else fs.chmodSync(file, 0o600);
    }
  }

  private rotated(): { file: string; index: number; modifiedAt: number }[] {
    const dir = path.dirname(this.file);
    const base = path.basename(this.file) + '.';
    return fs
      .readdirSync(dir)
      .filter((name) => name.startsWith(base) && /^\d+$/.test(name.slice(base.length)))
      .map((name) => {
        const file = path.join(dir, name);
        return {
          file,
          index: Number(name.slice(base.length)),
          modifiedAt: fs.statSync(file).mtimeMs,
        };
      })
      .sort((a, b) => a.index - b.index);
  }

  private rotate(): void {
    for (const { file, index } of this.rotated().reverse()) {
      if (index >= this.rotation.maxFiles) fs.rmSync(file, { force: true });
      else fs.renameSync(file, `${this.file}.${index + 1}`);
    }
    if (fs.existsSync(this.file)) fs.renameSync(this.file, `${this.file}.1`);
    this.size = 0;
    this.startedAt = undefined;
    this.prune();
  }
}

let logFile: MainLogFile | undefined;
let daily: ReturnType<typeof setInterval> | undefined;

/** Starts writing to <dir>/main.log as well (call once userData is settled). */
export function setLogDirectory(dir: string): void {
  try {
    logFile = new MainLogFile(path.join(dir, 'main.log'), mainLogRotation(process.env));
    // The desk may run for weeks: old files go even when nothing is written.
    if (daily) clearInterval(daily);
    daily = setInterval(() => {
      try {
        logFile?.prune();
      } catch {
        // tried again tomorrow
      }
    }, DAY_MS);
    daily.unref();
  } catch (error) {
    logFile = undefined;
    process.stderr.write(`[main] cannot create log directory ${dir}: ${describeError(error)}\n`);
  }
}

export function log(level: LogLevel, scope: string, message: string): void {
  const line = withoutUriUsers(
    `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${scope}] ${message}\n`,
  );
  process.stderr.write(line);
  if (!logFile) return;
  try {
    logFile.append(line);
  } catch {
    // A full disk must not take the phone down; stderr still has the line.
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
