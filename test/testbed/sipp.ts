/**
 * SIPp in the test bed: load-style calls with real G.711 media and
 * hand-made malformed requests, against Kamailio on 127.0.0.1.
 *
 * Why SIPp next to baresip and the sip.js test caller: it sends exactly the
 * bytes a scenario says, including what no well-behaved UA would send
 * (broken headers, broken SDP, codecs a browser lacks), and it measures per
 * call INVITE → 200 OK times. Every run happens in its own temp directory:
 * SIPp writes its trace files next to the scenario file, and the scenarios
 * in sipp/ are templates (placeholders like __PCAP__ are filled in here).
 *
 * What is parsed after a run:
 *   - `-trace_stat -stf`: the last statistics row → successful / failed calls;
 *   - `-trace_rtt -rtt_freq 1`: one row per call with the INVITE → 200 OK
 *     time (the scenarios mark it with start_rtd/rtd "invite");
 *   - `-trace_msg`: every message sent and received → the status codes the
 *     far side answered with (malformed scenarios have no other result).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeTcpUdpPort, udpPortIsFree } from './free-port';
import { installExitHook, live, liveDirs } from './exit-cleanup';
import { findBinary } from './find-binary';

export const SIPP_SCENARIO_DIR = fileURLToPath(new URL('./sipp/', import.meta.url));
export const G711A_PCAP = '/usr/share/sip-tester/g711a.pcap';

/** The malformed-request scenarios in sipp/, by name (file malformed-<name>.xml). */
export const MALFORMED_SCENARIOS = [
  'bad-content-length',
  'missing-cseq',
  'missing-call-id',
  'garbage-via',
  'garbage-contact',
  'broken-sdp',
  'no-common-codec',
] as const;
export type MalformedScenario = (typeof MALFORMED_SCENARIOS)[number];

const HOST = '127.0.0.1';
const MAX_LOG_CHARS = 1_000_000;

/** True when SIPp (Debian package sip-tester) and its G.711 pcap are installed. */
export function sippAvailable(): boolean {
  return findBinary('sipp') !== undefined && existsSync(G711A_PCAP);
}

export interface SippTarget {
  /** Kamailio's plain SIP address (UDP). */
  host: string;
  port: number;
}

export interface SippRunOptions {
  target: SippTarget;
  /** Scenario file: a name in sipp/ ('uac-pcap', 'malformed-broken-sdp', …) or a path. */
  scenario: string;
  /** User part of the Request-URI ([service]). */
  service: string;
  /** Placeholders to fill in the scenario template (key without underscores → value). */
  vars?: Record<string, string | number>;
  /** Number of calls (-m). Default 1. */
  calls?: number;
  /** Calls per second (-r). Default 1. */
  rate?: number;
  /** Max simultaneous calls (-l). Default = calls. */
  limit?: number;
  /** Hold time for an empty <pause/> (-d), ms. Default 2000. */
  holdMs?: number;
  /** Kill SIPp after this many seconds (-timeout, plus a hard kill). Default 60. */
  timeoutS?: number;
}

export interface SippMessage {
  direction: 'sent' | 'received';
  /** Request method or undefined for responses. */
  method?: string;
  /** Status code of a response. */
  status?: number;
  /** Method in the CSeq header (tells a 200 for INVITE from a 200 for CANCEL). */
  cseqMethod?: string;
  text: string;
}

export interface SippResult {
  /** SIPp's exit code: 0 all calls succeeded, 1 some failed, 99 no call processed, 255 fatal. */
  exitCode: number | null;
  successful: number;
  failed: number;
  /** One entry per answered call: ms from sending the INVITE to the 200 OK. */
  inviteTo200Ms: number[];
  /** Every SIP message SIPp sent or received, in order. */
  messages: SippMessage[];
  /** Status codes of all received responses, in order (retransmissions included). */
  responseCodes: number[];
  /** Status codes of received responses to the INVITE only (not CANCEL, BYE, ACK). */
  inviteResponseCodes: number[];
  /** Wall time of the run, ms. */
  durationMs: number;
  /** SIPp's stdout/stderr and its error log. */
  log: string;
}

export interface SippRun {
  /** Resolves when SIPp has exited and its traces are parsed. */
  readonly done: Promise<SippResult>;
  /** Stops SIPp early (SIGTERM, SIGKILL after 2 s); `done` still resolves. Safe twice. */
  stop(): Promise<void>;
}

function scenarioPath(scenario: string): string {
  if (scenario.endsWith('.xml')) return scenario;
  return join(SIPP_SCENARIO_DIR, `${scenario}.xml`);
}

/** Fills `__NAME__` placeholders; an unknown placeholder left over is an error. */
export function renderScenario(template: string, vars: Record<string, string | number>): string {
  let text = template;
  for (const [key, value] of Object.entries(vars))
    text = text.replaceAll(`__${key}__`, String(value));
  const left = /__[A-Z][A-Z0-9_]*__/.exec(text);
  if (left) throw new Error(`sipp scenario: placeholder ${left[0]} has no value`);
  return text;
}

/** Splits SIPp's -trace_msg log into messages. */
export function parseMessageLog(text: string): SippMessage[] {
  const out: SippMessage[] = [];
  // Each entry starts with a dashed line "----- <date>" then "UDP message sent/received ...".
  const parts = text.split(/\n-{20,}[^\n]*\n/);
  for (const part of parts) {
    const head = /(UDP|TCP) message (sent|received)[^\n]*\n\n?/.exec(part);
    if (!head) continue;
    const body = part.slice(head.index + head[0].length).replace(/^\s+/, '');
    const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
    const status = /^SIP\/2\.0 (\d{3})/.exec(firstLine);
    const request = /^([A-Z]+) \S+ SIP\/2\.0/.exec(firstLine);
    const message: SippMessage = {
      direction: head[2] === 'sent' ? 'sent' : 'received',
      text: body,
    };
    if (status?.[1]) message.status = Number(status[1]);
    const cseq = /^CSeq:\s*\d+\s+([A-Z]+)/im.exec(body);
    if (cseq?.[1]) message.cseqMethod = cseq[1];
    if (request?.[1]) message.method = request[1];
    out.push(message);
  }
  return out;
}

/** Last data row of the -trace_stat CSV → cumulative successful / failed calls. */
export function parseStatCsv(text: string): { successful: number; failed: number } {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines[0]?.split(';') ?? [];
  const last = lines[lines.length - 1]?.split(';') ?? [];
  if (lines.length < 2) return { successful: 0, failed: 0 };
  const field = (name: string): number => {
    const index = header.indexOf(name);
    return index < 0 ? 0 : Number(last[index] ?? 0) || 0;
  };
  return { successful: field('SuccessfulCall(C)'), failed: field('FailedCall(C)') };
}

/** -trace_rtt rows "date_ms;response_time_ms;rtd_name" → times of the 'invite' rtd. */
export function parseRttCsv(text: string, rtd = 'invite'): number[] {
  const times: number[] = [];
  for (const line of text.split('\n')) {
    const [, ms, name] = line.trim().split(';');
    if (name === undefined || ms === undefined) continue;
    if (name.trim() !== rtd && name.trim() !== '1') continue;
    const value = Number(ms);
    if (Number.isFinite(value)) times.push(value);
  }
  return times;
}

/** An even UDP port with its odd neighbour free: RTP + RTCP for SIPp's media. */
async function freeMediaPort(): Promise<number> {
  for (let attempt = 0; attempt < 30; attempt++) {
    const port = 10_000 + 2 * Math.floor(Math.random() * 4_900);
    if ((await udpPortIsFree(port)) && (await udpPortIsFree(port + 1))) return port;
  }
  throw new Error('sipp: no free media port');
}

/**
 * Starts SIPp as a UAC. Returns at once; `done` resolves with the parsed
 * result when SIPp exits (all calls finished, -timeout, or stop()).
 */
export async function startSipp(options: SippRunOptions): Promise<SippRun> {
  const binary = findBinary('sipp');
  if (binary === undefined) throw new Error('sipp not found (Debian package "sip-tester")');
  installExitHook();
  const template = readFileSync(scenarioPath(options.scenario), 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'lotse-sipp-'));
  liveDirs.add(dir);
  const name = basename(scenarioPath(options.scenario), '.xml');
  const scenarioFile = join(dir, `${name}.xml`);
  writeFileSync(
    scenarioFile,
    renderScenario(template, { PCAP: G711A_PCAP, ANSWER_TIMEOUT_MS: 30_000, ...options.vars }),
  );
  const calls = options.calls ?? 1;
  const timeoutS = options.timeoutS ?? 60;
  const localPort = await freeTcpUdpPort();
  const mediaPort = await freeMediaPort();
  const statFile = join(dir, 'stat.csv');
  const messageFile = join(dir, 'messages.log');
  const errorFile = join(dir, 'errors.log');
  const args = [
    `${options.target.host}:${options.target.port}`,
    '-sf',
    scenarioFile,
    '-s',
    options.service,
    '-m',
    String(calls),
    '-r',
    String(options.rate ?? 1),
    '-l',
    String(options.limit ?? calls),
    '-d',
    String(options.holdMs ?? 2_000),
    '-t',
    'u1',
    '-i',
    HOST,
    '-p',
    String(localPort),
    '-mi',
    HOST,
    '-mp',
    String(mediaPort),
    '-nostdin',
    '-timeout',
    `${timeoutS}s`,
    '-trace_stat',
    '-stf',
    statFile,
    '-fd',
    '1',
    '-trace_rtt',
    '-rtt_freq',
    '1',
    '-trace_msg',
    '-message_file',
    messageFile,
    '-trace_err',
    '-error_file',
    errorFile,
  ];
  let logText = '';
  const appendLog = (chunk: Buffer | string): void => {
    logText += chunk.toString();
    if (logText.length > MAX_LOG_CHARS) logText = logText.slice(logText.length - MAX_LOG_CHARS);
  };
  const t0 = performance.now();
  const child = spawn(binary, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.stdout?.on('data', appendLog);
  child.stderr?.on('data', appendLog);
  const hardKill = setTimeout(() => child.kill('SIGKILL'), (timeoutS + 3) * 1000);

  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(hardKill);
      live.delete(child);
      resolve(code);
    });
    child.once('error', (error) => {
      clearTimeout(hardKill);
      live.delete(child);
      appendLog(`spawn error: ${error.message}\n`);
      resolve(null);
    });
  });

  const read = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  const done = exited.then((exitCode): SippResult => {
    const rttFile = readdirSync(dir).find((f) => f.endsWith('_rtt.csv'));
    const { successful, failed } = parseStatCsv(read(statFile));
    const messages = parseMessageLog(read(messageFile));
    const result: SippResult = {
      exitCode,
      successful,
      failed,
      inviteTo200Ms: rttFile ? parseRttCsv(read(join(dir, rttFile))) : [],
      messages,
      responseCodes: messages
        .filter((m) => m.direction === 'received' && m.status !== undefined)
        .map((m) => m.status as number),
      inviteResponseCodes: messages
        .filter((m) => m.direction === 'received' && m.status !== undefined)
        .filter((m) => m.cseqMethod === 'INVITE')
        .map((m) => m.status as number),
      durationMs: performance.now() - t0,
      log: `${logText}\n--- errors.log ---\n${read(errorFile)}`,
    };
    rmSync(dir, { recursive: true, force: true });
    liveDirs.delete(dir);
    return result;
  });

  let stopping: Promise<void> | undefined;
  return {
    done,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

/** startSipp and wait for the result. */
export async function runSipp(options: SippRunOptions): Promise<SippResult> {
  const run = await startSipp(options);
  return run.done;
}

/**
 * Calls `service` through Kamailio playing G.711 A-law speech from
 * /usr/share/sip-tester/g711a.pcap, `calls` times at `rate` per second,
 * holding each call `holdMs` before SIPp hangs up.
 */
export function startSippCalls(options: {
  target: SippTarget;
  service: string;
  calls?: number;
  rate?: number;
  holdMs?: number;
  /** How long the 200 OK may take (someone has to answer). Default 30 s. */
  answerTimeoutMs?: number;
  timeoutS?: number;
}): Promise<SippRun> {
  return startSipp({
    target: options.target,
    scenario: 'uac-pcap',
    service: options.service,
    calls: options.calls ?? 1,
    rate: options.rate ?? 1,
    holdMs: options.holdMs ?? 4_000,
    timeoutS: options.timeoutS ?? 60,
    vars: { ANSWER_TIMEOUT_MS: options.answerTimeoutMs ?? 30_000 },
  });
}

/**
 * Sends one malformed INVITE (scenario sipp/malformed-<name>.xml) to
 * `service` and reports what came back. The scenarios accept any common
 * final response, ACK it, and end; an answered call is ACKed and hung up
 * after `holdMs`; no answer at all ends after `answerTimeoutMs`.
 */
export function startMalformedInvite(options: {
  target: SippTarget;
  service: string;
  scenario: MalformedScenario;
  answerTimeoutMs?: number;
  holdMs?: number;
  timeoutS?: number;
}): Promise<SippRun> {
  return startSipp({
    target: options.target,
    scenario: `malformed-${options.scenario}`,
    service: options.service,
    holdMs: options.holdMs ?? 500,
    timeoutS: options.timeoutS ?? 30,
    vars: { ANSWER_TIMEOUT_MS: options.answerTimeoutMs ?? 8_000 },
  });
}
