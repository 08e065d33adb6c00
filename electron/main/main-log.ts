/**
 * The main process's log: one line per event on stderr (visible when started
 * from a terminal or by Playwright) and appended to <userData>/logs/main.log,
 * so a caseworker's "the phone was gone for a moment" can be matched with an
 * engine restart afterwards. Never log secrets here (no key, no password).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LogLevel } from '../contract';

let logFile: string | undefined;

/** Starts writing to <dir>/main.log as well (call once userData is settled). */
export function setLogDirectory(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    logFile = path.join(dir, 'main.log');
  } catch (error) {
    logFile = undefined;
    process.stderr.write(`[main] cannot create log directory ${dir}: ${describeError(error)}\n`);
  }
}

export function log(level: LogLevel, scope: string, message: string): void {
  const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${scope}] ${message}\n`;
  process.stderr.write(line);
  if (!logFile) return;
  try {
    fs.appendFileSync(logFile, line, { mode: 0o600 });
  } catch {
    // A full disk must not take the phone down; stderr still has the line.
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
