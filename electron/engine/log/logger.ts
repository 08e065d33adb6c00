/**
 * The engine's log: one JSON line per entry in <dataDir>/logs/engine.log (for
 * IT, greppable, rotated by size), a readable line on stderr (for whoever
 * started the engine), and an event to every connected renderer (so the UI can
 * show what went wrong without anyone opening a file).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LogEntry, LogLevel } from '../../contract';

export type { LogEntry, LogLevel };
export type LogSink = (entry: LogEntry) => void;

const MAX_LOG_BYTES = 5 * 1024 * 1024;

export class Logger {
  private readonly sinks = new Set<LogSink>();
  private readonly file: string | undefined;

  constructor(options: { logDir?: string; stderr?: boolean }) {
    if (options.logDir) {
      fs.mkdirSync(options.logDir, { recursive: true });
      this.file = path.join(options.logDir, 'engine.log');
      this.rotateIfLarge();
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

  write(level: LogLevel, scope: string, message: string): void {
    const entry: LogEntry = { time: new Date().toISOString(), level, scope, message };
    if (this.file) {
      try {
        fs.appendFileSync(this.file, JSON.stringify(entry) + '\n');
      } catch {
        // A full disk must not stop the phone; stderr and the UI still see it.
      }
    }
    for (const sink of this.sinks) {
      try {
        sink(entry);
      } catch {
        // A broken sink (closed socket) must not break logging for the others.
      }
    }
  }

  private rotateIfLarge(): void {
    if (!this.file) return;
    try {
      if (fs.statSync(this.file).size > MAX_LOG_BYTES) fs.renameSync(this.file, this.file + '.1');
    } catch {
      // no log yet
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
}
