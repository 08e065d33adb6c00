/**
 * Starts Lotse in web mode (the built engine, `dist/electron/web.mjs`) as a
 * real Node process on a free loopback port with a fresh data folder, exactly
 * as `npm run web` does, and stops it at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const WEB_ENTRY = path.join(ROOT, 'dist/electron/web.mjs');

export interface LotseWeb {
  /** The printed address, token included. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly dataDir: string;
  readonly pid: number;
  output(): string;
  /** The engine's JSON-lines log file, parsed. */
  engineLog(): { time: string; level: string; scope: string; message: string }[];
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((child) => child.kill('SIGKILL')));

export async function startLotseWeb(
  options: {
    dataDir?: string;
    speechModel?: string;
    /** Extra environment, e.g. LOTSE_CASE_SYSTEM_URL for the HTTP connector. */
    env?: Record<string, string>;
  } = {},
): Promise<LotseWeb> {
  if (!fs.existsSync(WEB_ENTRY))
    throw new Error(`${WEB_ENTRY} is missing: run "npm run build" first`);
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-e2e-'));
  const args = [WEB_ENTRY, '--port', '0', '--data-dir', dataDir];
  if (options.speechModel) args.push('--speech-model', options.speechModel);
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  running.add(child);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`web mode did not start within 10 s:\n${output}`)),
      10_000,
    );
    const check = () => {
      const match = /LOTSE_URL=(\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web mode exited with ${code}:\n${output}`));
    });
  });
  const parsed = new URL(url);
  let stopped = false;
  return {
    url,
    origin: parsed.origin,
    token: /token=([0-9a-f]+)/.exec(parsed.hash)?.[1] ?? '',
    dataDir,
    pid: child.pid ?? -1,
    output: () => output,
    engineLog: () => {
      const file = path.join(dataDir, 'logs', 'engine.log');
      if (!fs.existsSync(file)) return [];
      return fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map(
          (line) =>
            JSON.parse(line) as { time: string; level: string; scope: string; message: string },
        );
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      running.delete(child);
    },
  };
}
