/**
 * Starts a private Kamailio (registrar + proxy, SIP over WebSocket) for one
 * test file.
 *
 * Why a real Kamailio instead of a fake registrar: the softphone must survive
 * what real SIP servers do (Record-Route, contact aliasing for RFC 7118
 * clients, 403 on REGISTER, restarts that forget registrations). Each call
 * gets its own temp dir, its own free ports and its own config rendered from
 * kamailio/kamailio.cfg, so runs never share state with each other or with a
 * system Kamailio. Kamailio runs in the foreground (-DD -E) in its own process
 * group: its log goes to stderr, which is kept in memory for error messages,
 * and the whole group (main process + forked workers) can be killed at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeTcpPort, freeTcpUdpPort, tcpPortIsFree, udpPortIsFree } from './free-port';
import { installExitHook, liveDirs, liveGroups } from './exit-cleanup';
import { findBinary } from './find-binary';

export interface StartKamailioOptions {
  /** Plain SIP port (udp + tcp). Free port when omitted. */
  sipPort?: number;
  /** SIP-over-WebSocket port. Free port when omitted. */
  wsPort?: number;
  /** Bridge media through an already running rtpengine (ng protocol on 127.0.0.1). */
  withRtpengine?: { ngPort: number };
}

export interface Kamailio {
  /** ws://127.0.0.1:PORT — what sip.js / Lotse use as server URL. */
  readonly wsUrl: string;
  readonly sipPort: number;
  readonly wsPort: number;
  /** SIP domain the test accounts live in. */
  readonly domain: '127.0.0.1';
  /** Milliseconds from spawn until the ports accepted connections, last (re)start. */
  readonly startupMs: number;
  /** SIGTERM, wait for exit, SIGKILL after 3 s. Safe to call twice. */
  stop(): Promise<void>;
  /**
   * A crash: SIGKILL to Kamailio and all its workers at once, no shutdown
   * (connections are cut by the kernel, nothing is said). restart() brings
   * it back on the same ports.
   */
  kill(): Promise<void>;
  /**
   * stop() then start again on the same ports; registrations are lost
   * (in-memory usrloc). Also works after stop(): "registrar down, then back".
   */
  restart(): Promise<void>;
  /** Everything Kamailio wrote to stderr/stdout so far, over all restarts. */
  log(): string;
}

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 10_000;
const KILL_AFTER_MS = 3_000;
/** Bound on the captured log so a chatty run cannot eat the test's memory. */
const MAX_LOG_CHARS = 4_000_000;
const MODULE_DIR = '/usr/lib/x86_64-linux-gnu/kamailio/modules';
const TEMPLATE_PATH = fileURLToPath(new URL('./kamailio/kamailio.cfg', import.meta.url));

/** Finds the kamailio binary; /usr/sbin is not on every user's PATH. */
function findKamailioBinary(): string | undefined {
  return findBinary('kamailio');
}

/**
 * True when Kamailio and its WebSocket module are installed, so specs can
 * skip with a clear reason instead of failing on machines without them.
 */
export function kamailioAvailable(): boolean {
  return findKamailioBinary() !== undefined && existsSync(join(MODULE_DIR, 'websocket.so'));
}

/** Renders the config template for the given ports. */
export function renderKamailioConfig(ports: {
  sipPort: number;
  wsPort: number;
  rtpengineNgPort?: number;
}): string {
  const template = readFileSync(TEMPLATE_PATH, 'utf8');
  return template
    .replaceAll('__SIP_PORT__', String(ports.sipPort))
    .replaceAll('__WS_PORT__', String(ports.wsPort))
    .replaceAll('__RTPENGINE_NG_PORT__', String(ports.rtpengineNgPort ?? 2223));
}

function tcpAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    const done = (ok: boolean): void => {
      socket.removeAllListeners();
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startKamailio(options: StartKamailioOptions = {}): Promise<Kamailio> {
  const binary = findKamailioBinary();
  if (binary === undefined)
    throw new Error('startKamailio: kamailio binary not found (Debian package "kamailio")');
  installExitHook();

  const sipPort = options.sipPort ?? (await freeTcpUdpPort());
  let wsPort = options.wsPort ?? (await freeTcpPort());
  while (wsPort === sipPort) wsPort = await freeTcpPort();
  const ngPort = options.withRtpengine?.ngPort;

  const dir = mkdtempSync(join(tmpdir(), 'lotse-kamailio-'));
  const cfgPath = join(dir, 'kamailio.cfg');
  const pidPath = join(dir, 'kamailio.pid');
  const config = renderKamailioConfig({ sipPort, wsPort, rtpengineNgPort: ngPort });

  let logText = '';
  const appendLog = (chunk: Buffer | string): void => {
    logText += chunk.toString();
    if (logText.length > MAX_LOG_CHARS) logText = logText.slice(logText.length - MAX_LOG_CHARS);
  };

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let startupMs = 0;

  /**
   * Another server on our ports would answer the readiness probe while our
   * Kamailio dies on "Address already in use": make sure they are free first
   * (briefly retried, as a just-stopped instance may still be releasing them).
   */
  const ensurePortsFree = async (): Promise<void> => {
    const deadline = Date.now() + 2_000;
    for (;;) {
      const busy: string[] = [];
      if (!(await tcpPortIsFree(sipPort))) busy.push(`tcp ${sipPort}`);
      if (!(await udpPortIsFree(sipPort))) busy.push(`udp ${sipPort}`);
      if (!(await tcpPortIsFree(wsPort))) busy.push(`tcp ${wsPort} (ws)`);
      if (busy.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(`startKamailio: port(s) already in use on ${HOST}: ${busy.join(', ')}`);
      }
      await sleep(50);
    }
  };

  const startOnce = async (): Promise<void> => {
    await ensurePortsFree();
    // stop() removes the dir; a later restart() brings it back.
    mkdirSync(dir, { recursive: true });
    liveDirs.add(dir);
    writeFileSync(cfgPath, config);
    const args = ['-DD', '-E', '-f', cfgPath, '-P', pidPath, '-w', dir, '-Y', dir];
    if (ngPort !== undefined) args.push('-A', 'WITH_RTPENGINE');
    const t0 = performance.now();
    const proc = spawn(binary, args, {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group: stop() and the exit hook kill the forked workers too.
      detached: true,
    });
    child = proc;
    proc.stdout?.on('data', appendLog);
    proc.stderr?.on('data', appendLog);
    let exitInfo: string | undefined;
    exited = new Promise<void>((resolve) => {
      proc.once('exit', (code, signal) => {
        exitInfo = `exit code ${code ?? '-'} signal ${signal ?? '-'}`;
        if (proc.pid !== undefined) liveGroups.delete(proc.pid);
        resolve();
      });
      proc.once('error', (err) => {
        exitInfo = `spawn error: ${err.message}`;
        resolve();
      });
    });
    if (proc.pid !== undefined) liveGroups.add(proc.pid);
    // Don't keep the test runner alive just because Kamailio runs.
    proc.unref();

    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (exitInfo !== undefined) {
        throw new Error(`Kamailio ended before it was ready (${exitInfo}). Log:\n${logText}`);
      }
      if ((await tcpAccepts(wsPort)) && (await tcpAccepts(sipPort)) && exitInfo === undefined)
        break;
      if (Date.now() > deadline) {
        await stopOnce();
        throw new Error(
          `Kamailio did not accept connections on ws port ${wsPort} / sip port ${sipPort} ` +
            `within ${READY_TIMEOUT_MS} ms. Log:\n${logText}`,
        );
      }
      await sleep(10);
    }
    startupMs = performance.now() - t0;
  };

  const stopOnce = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (proc === undefined || proc.pid === undefined) return;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const pid = proc.pid;
    const signalGroup = (signal: NodeJS.Signals): void => {
      try {
        process.kill(-pid, signal);
      } catch {
        // group already gone
      }
    };
    // SIGTERM to the main process only: it shuts its workers down itself.
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
    const killed = await Promise.race([
      exited.then(() => false),
      sleep(KILL_AFTER_MS).then(() => true),
    ]);
    if (killed) {
      signalGroup('SIGKILL');
      await exited;
    }
    // Workers may linger a moment after the main process; make sure none hold the ports.
    signalGroup('SIGKILL');
    liveGroups.delete(pid);
  };

  try {
    await startOnce();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    liveDirs.delete(dir);
    throw error;
  }

  const kamailio: Kamailio = {
    wsUrl: `ws://${HOST}:${wsPort}`,
    sipPort,
    wsPort,
    domain: HOST,
    get startupMs() {
      return startupMs;
    },
    async stop() {
      await stopOnce();
      rmSync(dir, { recursive: true, force: true });
      liveDirs.delete(dir);
    },
    async kill() {
      const proc = child;
      child = undefined;
      if (proc?.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
      try {
        process.kill(-proc.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
      liveGroups.delete(proc.pid);
      appendLog('\n----- lotse test bed: Kamailio killed (SIGKILL) -----\n');
    },
    async restart() {
      // Also allowed after stop(): tests simulate "registrar down, then back".
      await stopOnce();
      appendLog('\n----- lotse test bed: restarting Kamailio -----\n');
      await startOnce();
    },
    log() {
      return logText;
    },
  };
  return kamailio;
}
