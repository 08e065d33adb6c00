/**
 * Starts a private userspace rtpengine (media relay) for one test file.
 *
 * Why: a browser speaks WebRTC (ICE, DTLS-SRTP, rtcp-mux) while desk phones,
 * baresip and SIPp speak plain RTP. Real deployments put rtpengine between the
 * two, driven by Kamailio; the test bed does the same so the app meets the
 * SDP a real PBX path produces (rewritten addresses, ICE-lite candidates,
 * rtpengine as DTLS peer). Each instance gets a free ng control port and its
 * own RTP port range so parallel runs never share media ports.
 *
 * Flags (TESTBED.md pitfall 6): `--table=-1` (no kernel module, userspace
 * forwarding), `--config-file=none` (ignore /etc/rtpengine), `--dtls-passive`
 * (else browser-offered calls hang in DTLS "connecting"), foreground with the
 * log on stderr, kept in memory for failure messages. Start it before
 * Kamailio: Kamailio's rtpengine module probes the ng socket at startup.
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { freeUdpPort, udpPortIsFree } from './free-port';
import { installExitHook, watchExit } from './exit-cleanup';
import { findBinary } from './find-binary';

export interface StartRtpengineOptions {
  /** UDP port of the ng control protocol on 127.0.0.1. Free port when omitted. */
  ngPort?: number;
  /** Lowest RTP port; a random 200-port block in 30000–59999 when omitted. */
  portMin?: number;
  /** Highest RTP port (inclusive). portMin + 199 when omitted. */
  portMax?: number;
}

export interface Rtpengine {
  /** What `startKamailio({ withRtpengine: { ngPort } })` needs. */
  readonly ngPort: number;
  readonly portMin: number;
  readonly portMax: number;
  /** Milliseconds from spawn until the ng socket answered a ping. */
  readonly startupMs: number;
  readonly pid: number;
  /** True while the process runs (a crash shows up here). */
  alive(): boolean;
  /** Sends one ng command (a flat dictionary) and returns the decoded reply. */
  ng(command: Record<string, string | string[]>): Promise<Record<string, unknown>>;
  /** Everything rtpengine logged so far. */
  log(): string;
  /** SIGTERM, SIGKILL after 3 s. Safe to call twice. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 10_000;
const KILL_AFTER_MS = 3_000;
const MAX_LOG_CHARS = 2_000_000;

/** True when the rtpengine daemon (Debian package rtpengine-daemon) is installed. */
export function rtpengineAvailable(): boolean {
  return findBinary('rtpengine') !== undefined;
}

/* Never outlive the test process, even when afterAll does not run. */

// ── a minimal bencode codec: the ng protocol is "<cookie> <bencoded dict>" ──

type Bencodable = string | number | Bencodable[] | { [key: string]: Bencodable };

export function bencode(value: Bencodable): string {
  if (typeof value === 'number') return `i${Math.trunc(value)}e`;
  if (typeof value === 'string') return `${Buffer.byteLength(value)}:${value}`;
  if (Array.isArray(value)) return `l${value.map(bencode).join('')}e`;
  const keys = Object.keys(value).sort();
  return `d${keys.map((k) => bencode(k) + bencode(value[k] as Bencodable)).join('')}e`;
}

export function bdecode(input: Buffer): unknown {
  let pos = 0;
  const parse = (): unknown => {
    const c = String.fromCharCode(input[pos] ?? 0);
    if (c === 'i') {
      const end = input.indexOf(0x65, pos);
      const n = Number(input.subarray(pos + 1, end).toString());
      pos = end + 1;
      return n;
    }
    if (c === 'l') {
      pos++;
      const list: unknown[] = [];
      while (input[pos] !== 0x65) list.push(parse());
      pos++;
      return list;
    }
    if (c === 'd') {
      pos++;
      const dict: Record<string, unknown> = {};
      while (input[pos] !== 0x65) {
        const key = parse() as string;
        dict[key] = parse();
      }
      pos++;
      return dict;
    }
    const colon = input.indexOf(0x3a, pos);
    if (colon < 0) throw new Error('bdecode: bad input');
    const len = Number(input.subarray(pos, colon).toString());
    const str = input.subarray(colon + 1, colon + 1 + len).toString();
    pos = colon + 1 + len;
    return str;
  };
  return parse();
}

/** One ng request/response over UDP; rejects after `timeoutMs`. */
function ngRequest(
  port: number,
  command: Record<string, string | string[]>,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const cookie = randomBytes(6).toString('hex');
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`rtpengine ng: no reply to '${command.command}' within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('message', (message) => {
      const space = message.indexOf(0x20);
      if (message.subarray(0, space).toString() !== cookie) return;
      clearTimeout(timer);
      socket.close();
      try {
        resolve(bdecode(message.subarray(space + 1)) as Record<string, unknown>);
      } catch (error) {
        reject(error as Error);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
    socket.send(`${cookie} ${bencode(command)}`, port, HOST);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A random block of RTP ports, so two test files never hand out the same media port. */
async function pickPortRange(size: number): Promise<[number, number]> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const min = 30_000 + 2 * Math.floor(Math.random() * ((29_000 - size) / 2));
    if ((await udpPortIsFree(min)) && (await udpPortIsFree(min + size - 1)))
      return [min, min + size - 1];
  }
  throw new Error('startRtpengine: no free RTP port block found');
}

export async function startRtpengine(options: StartRtpengineOptions = {}): Promise<Rtpengine> {
  const binary = findBinary('rtpengine');
  if (binary === undefined)
    throw new Error('startRtpengine: rtpengine not found (Debian package "rtpengine-daemon")');
  installExitHook();

  const ngPort = options.ngPort ?? (await freeUdpPort());
  let portMin: number;
  let portMax: number;
  if (options.portMin !== undefined) {
    portMin = options.portMin;
    portMax = options.portMax ?? portMin + 199;
  } else {
    [portMin, portMax] = await pickPortRange(200);
    if (options.portMax !== undefined) portMax = options.portMax;
  }
  if (!(await udpPortIsFree(ngPort)))
    throw new Error(`startRtpengine: ng port udp ${ngPort} is already in use`);

  const args = [
    '--table=-1',
    '--config-file=none',
    `--interface=${HOST}`,
    `--listen-ng=${HOST}:${ngPort}`,
    `--port-min=${portMin}`,
    `--port-max=${portMax}`,
    '--dtls-passive',
    '--foreground',
    '--log-stderr',
    '--log-level=6',
    // Forget a finished call at once: tests start many short calls.
    '--delete-delay=0',
    '--num-threads=2',
  ];

  let logText = '';
  const appendLog = (chunk: Buffer | string): void => {
    logText += chunk.toString();
    if (logText.length > MAX_LOG_CHARS) logText = logText.slice(logText.length - MAX_LOG_CHARS);
  };

  const t0 = performance.now();
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exit = watchExit(child);
  const exited = exit.exited;
  child.stdout?.on('data', appendLog);
  child.stderr?.on('data', appendLog);
  child.unref();

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (exit.info() !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    await exited;
    clearTimeout(timer);
  };

  // Ready = the ng socket answers a ping.
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exit.info() !== undefined)
      throw new Error(`rtpengine ended before it was ready (${exit.info()}). Log:\n${logText}`);
    // Ping only after the startup line: a ping sent before the socket is
    // bound is lost silently (UDP) and would cost a whole timeout.
    if (logText.includes('Startup complete')) {
      try {
        const reply = await ngRequest(ngPort, { command: 'ping' }, 300);
        if (reply.result === 'pong') break;
      } catch {
        // not listening yet
      }
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `rtpengine did not answer ng pings within ${READY_TIMEOUT_MS} ms:\n${logText}`,
      );
    }
    await sleep(20);
  }
  const startupMs = performance.now() - t0;

  return {
    ngPort,
    portMin,
    portMax,
    startupMs,
    pid: child.pid ?? -1,
    alive: () => exit.info() === undefined,
    ng: (command) => ngRequest(ngPort, command, 2_000),
    log: () => logText,
    stop,
  };
}
