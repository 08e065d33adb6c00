/**
 * A baresip 1.0 user agent for the test bed: the "desk phone" on the plain
 * RTP side of rtpengine.
 *
 * Why baresip: it is a real, independent SIP stack (libre) that speaks plain
 * UDP RTP with G.711, registers like a hardware phone and records exactly
 * what it received. A call between it and the browser app proves the whole
 * WebRTC ↔ RTP path (Kamailio + rtpengine) end to end, in both directions,
 * by frequency: baresip sends a known tone (from a WAV via `aufile`) and the
 * `sndfile` module writes what it decoded to a WAV the test can analyse.
 *
 * Each instance gets its own config directory (config, accounts, contacts),
 * its own SIP, RTP and control ports, and is driven over `ctrl_tcp`
 * (netstring-framed JSON: commands `dial`, `hangup`, `accept`, … from the
 * `menu` module; asynchronous events such as REGISTER_OK, CALL_ESTABLISHED,
 * CALL_CLOSED, CALL_DTMF_START). TESTBED.md pitfall 8: `net_interface
 * 127.0.0.1` (not `lo`). The player is an audio bridge nobody listens on: it
 * consumes nothing and costs nothing (ALSA's `null` device, which that
 * pitfall suggested, is written to in a busy loop: a whole core per phone). What was
 * received is recorded by `sndfile` on the way in, player or not.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { freeTcpPort, freeTcpUdpPort, udpPortIsFree } from './free-port';
import { installExitHook, liveDirs, watchExit } from './exit-cleanup';
import { findBinary } from './find-binary';

export interface StartBaresipOptions {
  /** SIP user name, e.g. 'carol' → sip:carol@127.0.0.1. */
  user: string;
  /** Where to register (Kamailio's plain SIP UDP port); also the outbound proxy. */
  registrar: { host: string; port: number };
  /** WAV played as the microphone: 16-bit mono PCM at 8000 Hz (aufile needs the codec rate). */
  sourceWav: string;
  /** 'auto' answers incoming calls at once; 'manual' waits for `accept()`. */
  answerMode: 'auto' | 'manual';
  /** SIP domain of the account. Default 127.0.0.1. */
  domain?: string;
}

/** One event baresip reported over ctrl_tcp. */
export interface BaresipEvent {
  /** ms since the instance started (performance.now() based). */
  at: number;
  class?: string;
  type: string;
  peeruri?: string;
  param?: string;
  id?: string;
  direction?: string;
}

export interface Baresip {
  readonly user: string;
  readonly aor: string;
  readonly sipPort: number;
  readonly ctrlPort: number;
  /** ms from spawn until ctrl_tcp accepted a connection. */
  readonly startupMs: number;
  /** Calls `uri` (through the registrar as outbound proxy). */
  dial(uri: string): Promise<void>;
  /** Answers the ringing incoming call ('manual' answer mode). */
  accept(): Promise<void>;
  /** Hangs up the current call. */
  hangup(): Promise<void>;
  /**
   * Presses keys in the current call, one at a time with `gapMs` between
   * them, as a caller does: baresip 1.0 sends them as RFC 4733
   * telephone-events (it has no SIP INFO sending).
   */
  sendDtmf(keys: string, gapMs?: number): Promise<void>;
  /** Sends one ctrl_tcp command and returns baresip's response text. */
  command(command: string, params?: string): Promise<{ ok: boolean; data: string }>;
  /** Resolves on REGISTER_OK (at once if it already happened). Returns ms since start. */
  waitForRegistered(timeoutMs?: number): Promise<number>;
  /** Resolves on the next CALL_ESTABLISHED not yet consumed. */
  waitForCallEstablished(timeoutMs?: number): Promise<BaresipEvent>;
  /** Resolves on the next CALL_CLOSED not yet consumed. */
  waitForCallClosed(timeoutMs?: number): Promise<BaresipEvent>;
  /** Resolves on the next CALL_INCOMING not yet consumed. */
  waitForIncomingCall(timeoutMs?: number): Promise<BaresipEvent>;
  /** DTMF digits received so far (from CALL_DTMF_START events and the log). */
  receivedDtmf(): string;
  /**
   * The WAV sndfile wrote with what baresip decoded (heard) in the latest
   * call; complete only after the call closed (libsndfile fixes the header
   * on close). Throws when no call has been recorded yet.
   */
  recordingPath(): string;
  /** All recordings of what baresip heard, oldest first. */
  recordings(): string[];
  events(): readonly BaresipEvent[];
  log(): string;
  alive(): boolean;
  /** Quits baresip (SIGTERM, SIGKILL after 3 s) and removes its directory. Safe twice. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const MODULE_DIR = '/usr/lib/baresip/modules';
const READY_TIMEOUT_MS = 10_000;
const KILL_AFTER_MS = 3_000;
const MAX_LOG_CHARS = 2_000_000;

/** True when baresip and the modules this wrapper loads are installed. */
export function baresipAvailable(): boolean {
  return (
    findBinary('baresip') !== undefined &&
    ['ctrl_tcp', 'aufile', 'sndfile', 'g711', 'alsa', 'menu', 'account'].every((m) =>
      existsSync(join(MODULE_DIR, `${m}.so`)),
    )
  );
}

/** An even RTP port block, free for UDP at the moment we look. */
async function pickRtpPorts(size: number): Promise<[number, number]> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const min = 20_000 + 2 * Math.floor(Math.random() * 4_500);
    if ((await udpPortIsFree(min)) && (await udpPortIsFree(min + 1))) return [min, min + size - 1];
  }
  throw new Error('startBaresip: no free RTP ports');
}

/** baresip's config: only the modules the test bed needs, everything on 127.0.0.1. */
export function renderBaresipConfig(p: {
  sipPort: number;
  ctrlPort: number;
  rtpPorts: [number, number];
  sourceWav: string;
  recordDir: string;
}): string {
  return [
    'poll_method\t\tepoll',
    `sip_listen\t\t${HOST}:${p.sipPort}`,
    `net_interface\t\t${HOST}`,
    `rtp_ports\t\t${p.rtpPorts[0]}-${p.rtpPorts[1]}`,
    'rtp_timeout\t\t0',
    'audio_player\t\taubridge,lotse-sink',
    `audio_source\t\taufile,${p.sourceWav}`,
    'audio_alert\t\talsa,null',
    'audio_level\t\tno',
    `module_path\t\t${MODULE_DIR}`,
    'module\t\t\tg711.so',
    'module\t\t\taufile.so',
    'module\t\t\talsa.so',
    'module\t\t\taubridge.so',
    'module\t\t\tsndfile.so',
    'module_app\t\taccount.so',
    'module_app\t\tmenu.so',
    'module_app\t\tctrl_tcp.so',
    `ctrl_tcp_listen\t\t${HOST}:${p.ctrlPort}`,
    `snd_path\t\t${p.recordDir}`,
    // No ringback/bell sounds: alsa,null plays nothing anyway.
    'menu_bell\t\tno',
    '',
  ].join('\n');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Parses netstrings ("<len>:<payload>,") out of a growing buffer. */
class NetstringReader {
  private buffer = Buffer.alloc(0);
  push(chunk: Buffer): string[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const out: string[] = [];
    for (;;) {
      const colon = this.buffer.indexOf(0x3a);
      if (colon < 0) break;
      const len = Number(this.buffer.subarray(0, colon).toString());
      if (!Number.isInteger(len)) throw new Error('ctrl_tcp: bad netstring length');
      if (this.buffer.length < colon + 1 + len + 1) break;
      out.push(this.buffer.subarray(colon + 1, colon + 1 + len).toString());
      this.buffer = this.buffer.subarray(colon + 2 + len);
    }
    return out;
  }
}

export async function startBaresip(options: StartBaresipOptions): Promise<Baresip> {
  const binary = findBinary('baresip');
  if (binary === undefined)
    throw new Error('startBaresip: baresip not found (Debian package "baresip-core")');
  const sourceWav = resolvePath(options.sourceWav);
  if (!existsSync(sourceWav)) throw new Error(`startBaresip: ${sourceWav} does not exist`);
  installExitHook();

  const domain = options.domain ?? HOST;
  const sipPort = await freeTcpUdpPort();
  let ctrlPort = await freeTcpPort();
  while (ctrlPort === sipPort) ctrlPort = await freeTcpPort();
  const rtpPorts = await pickRtpPorts(20);

  const dir = mkdtempSync(join(tmpdir(), `lotse-baresip-${options.user}-`));
  liveDirs.add(dir);
  const recordDir = join(dir, 'recordings');
  mkdirSync(recordDir);
  writeFileSync(
    join(dir, 'config'),
    renderBaresipConfig({ sipPort, ctrlPort, rtpPorts, sourceWav, recordDir }),
  );
  const aor = `sip:${options.user}@${domain}`;
  const { host, port } = options.registrar;
  // outbound=: every request (REGISTER and INVITE) goes via Kamailio's port,
  // as a phone configured with an outbound proxy does.
  writeFileSync(
    join(dir, 'accounts'),
    `<${aor}>;outbound="sip:${host}:${port};transport=udp";regint=300;` +
      `answermode=${options.answerMode};audio_codecs=PCMU,PCMA\n`,
  );
  // Without these baresip writes its own defaults into the directory.
  writeFileSync(join(dir, 'contacts'), '');

  let logText = '';
  const appendLog = (chunk: Buffer | string): void => {
    logText += chunk.toString();
    if (logText.length > MAX_LOG_CHARS) logText = logText.slice(logText.length - MAX_LOG_CHARS);
  };

  const t0 = performance.now();
  const child = spawn(binary, ['-f', dir], {
    cwd: dir,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, HOME: dir },
  });
  const exit = watchExit(child);
  const exited = exit.exited;
  child.stdout?.on('data', appendLog);
  child.stderr?.on('data', appendLog);
  child.unref();

  const events: BaresipEvent[] = [];
  /** Per event type, how many of them waitFor… calls have consumed already. */
  const consumed = new Map<string, number>();
  const waiters = new Set<() => void>();
  let nextToken = 1;
  const pending = new Map<string, (response: { ok: boolean; data: string }) => void>();

  let socket: Socket | undefined;
  let stopped = false;
  const cleanup = (): void => {
    socket?.destroy();
    rmSync(dir, { recursive: true, force: true });
    liveDirs.delete(dir);
  };
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (exit.info() === undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
      await exited;
      clearTimeout(timer);
    }
    cleanup();
  };

  // ctrl_tcp comes up once the modules are loaded; connect when it accepts.
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exit.info() !== undefined) {
      cleanup();
      throw new Error(`baresip ended before it was ready (${exit.info()}). Log:\n${logText}`);
    }
    socket = await new Promise<Socket | undefined>((resolve) => {
      const s = connect({ host: HOST, port: ctrlPort });
      s.once('connect', () => {
        s.removeAllListeners('error');
        resolve(s);
      });
      s.once('error', () => {
        s.destroy();
        resolve(undefined);
      });
    });
    if (socket) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`baresip ctrl_tcp did not accept within ${READY_TIMEOUT_MS} ms:\n${logText}`);
    }
    await sleep(20);
  }
  const startupMs = performance.now() - t0;

  const reader = new NetstringReader();
  const ctrl = socket;
  ctrl.on('error', () => undefined);
  ctrl.on('data', (chunk: Buffer) => {
    for (const text of reader.push(chunk)) {
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(text) as Record<string, unknown>;
      } catch {
        appendLog(`[ctrl_tcp] unparsable: ${text}\n`);
        continue;
      }
      appendLog(`[ctrl_tcp] ${text}\n`);
      if (message.response === true) {
        const token = String(message.token ?? '');
        const resolve = pending.get(token);
        pending.delete(token);
        resolve?.({ ok: message.ok === true, data: String(message.data ?? '') });
      } else if (message.event === true) {
        const event: BaresipEvent = { at: performance.now() - t0, type: String(message.type) };
        for (const key of ['class', 'peeruri', 'param', 'id', 'direction'] as const) {
          if (typeof message[key] === 'string') event[key] = message[key];
        }
        events.push(event);
        for (const wake of [...waiters]) wake();
      }
    }
  });

  const command = (name: string, params?: string): Promise<{ ok: boolean; data: string }> => {
    if (exit.info() !== undefined)
      return Promise.reject(new Error(`baresip is gone (${exit.info()})`));
    const token = String(nextToken++);
    const json = JSON.stringify({ command: name, ...(params ? { params } : {}), token });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(token);
        reject(new Error(`baresip: no response to '${name}' within 5 s. Log:\n${logText}`));
      }, 5_000);
      pending.set(token, (response) => {
        clearTimeout(timer);
        resolve(response);
      });
      ctrl.write(`${Buffer.byteLength(json)}:${json},`);
    });
  };

  /** Waits for the next not yet consumed event of `type` (or any of `failTypes` → error). */
  const waitForEvent = (type: string, timeoutMs: number, consume = true): Promise<BaresipEvent> => {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const seen = consumed.get(type) ?? 0;
        const matching = events.filter((e) => e.type === type);
        const event = matching[seen];
        if (event) {
          if (consume) consumed.set(type, seen + 1);
          resolve(event);
          return true;
        }
        if (exit.info() !== undefined) {
          reject(new Error(`baresip exited (${exit.info()}) while waiting for ${type}`));
          return true;
        }
        return false;
      };
      if (check()) return;
      const wake = (): void => {
        if (check()) finish();
      };
      const timer = setTimeout(() => {
        finish();
        const seenTypes = events.map((e) => e.type).join(', ');
        reject(
          new Error(
            `baresip ${options.user}: no ${type} within ${timeoutMs} ms ` +
              `(events so far: ${seenTypes || 'none'}). Log tail:\n${logText.slice(-4000)}`,
          ),
        );
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        waiters.delete(wake);
      };
      waiters.add(wake);
    });
  };

  const recordings = (): string[] => {
    if (!existsSync(recordDir)) return [];
    return readdirSync(recordDir)
      .filter((f) => f.endsWith('-dec.wav'))
      .sort()
      .map((f) => join(recordDir, f));
  };

  return {
    user: options.user,
    aor,
    sipPort,
    ctrlPort,
    startupMs,
    async dial(uri) {
      const response = await command('dial', uri);
      if (!response.ok) throw new Error(`baresip dial ${uri} failed: ${response.data}`);
    },
    async accept() {
      const response = await command('accept');
      if (!response.ok) throw new Error(`baresip accept failed: ${response.data}`);
    },
    async hangup() {
      await command('hangup');
    },
    async sendDtmf(keys, gapMs = 250) {
      for (const [i, key] of [...keys].entries()) {
        // The caller's own pace between keys (what is simulated, not a wait
        // for something to happen: each key's arrival is checked by the test).
        if (i > 0) await sleep(gapMs);
        // `sndcode` presses the key and releases it; libre's telev keeps
        // each event going for its minimum duration.
        const response = await command('sndcode', key);
        if (!response.ok) throw new Error(`baresip sndcode ${key} failed: ${response.data}`);
      }
    },
    command,
    async waitForRegistered(timeoutMs = 10_000) {
      // The first REGISTER often completes before our ctrl_tcp connection is
      // up (its event is then lost), so ask `reginfo` as well.
      const until = Date.now() + timeoutMs;
      for (;;) {
        const event = events.find((e) => e.type === 'REGISTER_OK');
        if (event) return event.at;
        const info = await command('reginfo');
        // eslint-disable-next-line no-control-regex
        const plain = info.data.replace(/\x1b\[[0-9;]*m/g, '');
        const line = plain.split('\n').find((l) => l.includes(aor));
        if (line !== undefined && /\sOK\s/.test(line)) return performance.now() - t0;
        if (Date.now() > until)
          throw new Error(
            `baresip ${options.user}: not registered within ${timeoutMs} ms (${line?.trim() ?? 'no UA'}). ` +
              `Log tail:\n${logText.slice(-4000)}`,
          );
        await sleep(50);
      }
    },
    waitForCallEstablished: (timeoutMs = 10_000) => waitForEvent('CALL_ESTABLISHED', timeoutMs),
    waitForCallClosed: (timeoutMs = 10_000) => waitForEvent('CALL_CLOSED', timeoutMs),
    waitForIncomingCall: (timeoutMs = 10_000) => waitForEvent('CALL_INCOMING', timeoutMs),
    receivedDtmf() {
      const fromEvents = events
        .filter((e) => e.type === 'CALL_DTMF_START')
        .map((e) => e.param ?? '')
        .join('');
      if (fromEvents) return fromEvents;
      // Fallback: the menu module prints "received DTMF: X" style lines.
      return [...logText.matchAll(/received DTMF[^:]*:\s*'?([0-9A-D*#])/gi)]
        .map((m) => m[1])
        .join('');
    },
    recordingPath() {
      const all = recordings();
      const last = all[all.length - 1];
      if (last === undefined)
        throw new Error(`baresip ${options.user}: no recording in ${recordDir} yet`);
      return last;
    },
    recordings,
    events: () => events,
    log: () => logText,
    alive: () => exit.info() === undefined,
    stop,
  };
}
