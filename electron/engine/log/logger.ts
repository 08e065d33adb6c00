/**
 * The engine's log: one JSON line per entry in <dataDir>/logs/engine.log (for
 * IT, greppable, rotated by size at write time and deleted by age, see
 * log-files.ts), a readable line on stderr (for whoever started the engine),
 * and an event to every connected renderer (so the UI can show what went
 * wrong without anyone opening a file).
 *
 * No personal data (personal-data.ts): callers are named by pseudonym
 * (`log.pseudonym(number)`), text from outside the engine goes through
 * `log.scrub(text)`, and every line, whoever wrote it, loses the user part
 * of SIP and tel URIs before it is written anywhere.
 */
import type { LogEntry, LogLevel } from '../../contract';
import { DEFAULT_LOG_ROTATION, RotatingLogFile, type LogRotation } from './log-files';
import { Pseudonyms, type LogHash } from './personal-data';
import path from 'node:path';

export type { LogEntry, LogLevel };
/** `quiet`: for the log file and stderr only, not for the desk's screen (ScopedLogger.quietly). */
export type LogSink = (entry: LogEntry, quiet: boolean) => void;

export interface LoggerOptions {
  logDir?: string;
  stderr?: boolean;
  /** Size, count and age limits of the log files. */
  rotation?: LogRotation;
  /** Keyed hash for pseudonyms (the engine's: EngineKeys.hmac('logs', …)); default: a key per process. */
  hash?: LogHash;
  now?: () => Date;
}

export class Logger {
  private readonly sinks = new Set<LogSink>();
  private readonly file: RotatingLogFile | undefined;
  private readonly now: () => Date;
  readonly pseudonyms: Pseudonyms;

  constructor(options: LoggerOptions) {
    this.now = options.now ?? (() => new Date());
    this.pseudonyms = new Pseudonyms(options.hash);
    if (options.logDir) {
      try {
        this.file = new RotatingLogFile(
          path.join(options.logDir, 'engine.log'),
          options.rotation ?? DEFAULT_LOG_ROTATION,
          this.now,
        );
      } catch (error) {
        // No log folder (read-only disk): stderr and the UI still see every line.
        process.stderr.write(`engine log unavailable: ${(error as Error).message}\n`);
      }
    }
    if (options.stderr !== false) {
      this.sinks.add((e) =>
        process.stderr.write(`${e.time} ${e.level.toUpperCase()} [${e.scope}] ${e.message}\n`),
      );
    }
  }

  addSink(sink: LogSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  scope(scope: string): ScopedLogger {
    return new ScopedLogger(this, scope);
  }

  write(level: LogLevel, scope: string, message: string, quiet = false): void {
    const entry: LogEntry = {
      time: this.now().toISOString(),
      level,
      scope,
      message: this.pseudonyms.scrubUris(message),
    };
    if (this.file) {
      try {
        this.file.append(JSON.stringify(entry) + '\n');
      } catch {
        // A full disk must not stop the phone; stderr and the UI still see it.
      }
    }
    for (const sink of this.sinks) {
      try {
        sink(entry, quiet);
      } catch {
        // A broken sink (closed socket) must not break logging for the others.
      }
    }
  }

  /** The daily housekeeping of the log files (the retention job calls it). */
  prune(): void {
    try {
      this.file?.prune();
    } catch {
      // Tried again tomorrow.
    }
  }
}

export class ScopedLogger {
  constructor(
    private readonly logger: Logger,
    private readonly name: string,
  ) {}
  debug(message: string): void {
    this.logger.write('debug', this.name, message);
  }
  info(message: string): void {
    this.logger.write('info', this.name, message);
  }
  warn(message: string): void {
    this.logger.write('warn', this.name, message);
  }
  error(message: string): void {
    this.logger.write('error', this.name, message);
  }
  /**
   * For the log file (and stderr) only, not shown on the desk: a library's
   * own warnings (sip.js deprecations) are for IT, not the agent.
   */
  quietly(level: LogLevel, message: string): void {
    this.logger.write(level, this.name, message, true);
  }
  /** A caller's number (or SIP URI) as the log may name it: a pseudonym. */
  pseudonym(number: string): string {
    return this.logger.pseudonyms.of(number);
  }
  /** Text from outside the engine (reports, warnings, foreign errors) without numbers or names. */
  scrub(text: string): string {
    return this.logger.pseudonyms.scrub(text);
  }
}
