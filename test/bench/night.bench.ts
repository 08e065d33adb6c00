/**
 * night: a bot-only desk under load. Lotse (web mode, bot first, night
 * mode, the real speech process on the synthetic model, the Pico voice) is
 * called by 1, 4 and 8 desk phones at once: baresip instances on the plain
 * RTP side of rtpengine, through Kamailio, as a job centre's gateway would
 * deliver them. The first call takes the desk's own audio path, the others
 * get bot lines of their own.
 *
 * Every phone plays the same script (a WAV at 8 kHz): silence through the
 * greeting, then a sentence three times, each after the bot's previous
 * answer; the synthetic model hears one word the bot does not understand:
 * reprompt, keypad menu, callback offer — three measured turns per call.
 * baresip records what it sends and what it hears (sndfile); a turn's
 * latency is the time from the end of the caller's sentence (in the sent
 * recording) to the first bot audio heard (in the received one), both
 * counted from the start of the call's audio (aligned to within a packet).
 *
 * Per level: failed calls (not established, or ended early), unanswered
 * turns, turn latency median and p95, CPU (share of one core) and memory
 * per call of the desk (engine, speech process, the desk's Chromium), and
 * the play-out gaps the desk counted (Diagnose).
 *
 * Env: LOTSE_BENCH_NIGHT_LEVELS (default "1,4,8").
 */
import { chromium } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PHRASES } from '../../electron/engine/bot/phrases';
import { quantile } from '../../electron/engine/metrics/rolling-stats';
import { GermanSpeechSynthesizer } from '../../electron/engine/voice/speech-synthesizer';
import { LotsePage } from '../e2e/support/lotse-page';
import { startLotseWeb } from '../e2e/support/lotse-web';
import { speech } from '../fixtures/speech-pcm';
import { makeSyntheticVoskModel } from '../fixtures/synthetic-vosk-model';
import { encodeWav, makeToneSequenceWav } from '../fixtures/tone-sequence-wav';
import { startBaresip, type Baresip } from '../testbed/baresip';
import { chromiumLaunchOptions } from '../testbed/chromium';
import { startKamailio } from '../testbed/kamailio';
import { startRtpengine } from '../testbed/rtpengine';
import { readWav } from '../testbed/wav-analysis';
import { progress, report } from './report';

const LEVELS = (process.env.LOTSE_BENCH_NIGHT_LEVELS ?? '1,4,8').split(',').map(Number);
const RATE = 8_000;
/** The bot's audio is louder than this in what the caller hears. */
const HEARD_DBFS = -40;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Script {
  wav: string;
  /** When each sentence starts (s from the start of the call's audio). */
  starts: number[];
  seconds: number;
}

/**
 * The caller's script: each sentence 1.5 s after the bot's previous answer
 * ends (its length from the same voice; 0.6 s allowed for the bot to begin),
 * well inside the bot's 6 s silence timer.
 */
async function callerScript(): Promise<Script> {
  const voice = await GermanSpeechSynthesizer.create();
  const seconds = async (text: string) =>
    (await voice.synthesizeAll(text, { rate: 1 })).length / voice.sampleRate;
  const answers = [
    await seconds(`${PHRASES.greeting} ${PHRASES.openQuestion}`),
    await seconds(PHRASES.reprompt),
    await seconds(PHRASES.keypadMenu),
  ];
  const sentence16 = await speech('Ich habe eine Frage zu meinem Geld.');
  const sentence = new Int16Array(Math.floor(sentence16.length / 2));
  for (let i = 0; i < sentence.length; i++)
    sentence[i] = Math.round((sentence16[2 * i]! + sentence16[2 * i + 1]!) / 2);
  const sentenceS = sentence.length / RATE;
  const starts: number[] = [];
  let t = 1.0; // the bot answers the call and starts greeting
  for (const answer of answers) {
    t += answer + 1.5;
    starts.push(t);
    t += sentenceS + 0.6;
  }
  const total = t + 12; // the callback offer
  const pcm = new Int16Array(Math.ceil(total * RATE));
  for (const start of starts) pcm.set(sentence, Math.round(start * RATE));
  const wav = path.join(os.tmpdir(), `lotse-night-caller-${process.pid}.wav`);
  fs.writeFileSync(wav, encodeWav(pcm, RATE));
  return { wav, starts, seconds: total };
}

/** 10 ms RMS levels (dBFS) of a recording. */
function levels(file: string): { rate: number; dbfs: number[] } {
  const wav = readWav(file);
  const window = Math.round(wav.sampleRate / 100);
  const dbfs: number[] = [];
  for (let at = 0; at + window <= wav.samples.length; at += window) {
    let sum = 0;
    for (let i = at; i < at + window; i++) sum += wav.samples[i]! ** 2;
    dbfs.push(10 * Math.log10(sum / window + 1e-12));
  }
  return { rate: 100, dbfs };
}

/** Where the sound that begins near `from` ends (s), in 10 ms levels. */
function voiceEnd(sent: number[], from: number): number | undefined {
  let i = Math.max(0, Math.round(from * 100) - 20);
  while (i < sent.length && sent[i]! < HEARD_DBFS) i++;
  if (i >= sent.length) return undefined;
  let quiet = 0;
  for (; i < sent.length; i++) {
    if (sent[i]! < HEARD_DBFS) quiet++;
    else quiet = 0;
    if (quiet >= 30) return (i - quiet + 1) / 100;
  }
  return undefined;
}

interface Turns {
  latencies: number[];
  unanswered: number;
  overlapped: number;
}

/** The turns of one call, from its sent and received recordings. */
function turnsOf(phone: Baresip, script: Script): Turns {
  const heard = phone.recordingPath();
  const sentFile = heard.replace(/-dec\.wav$/, '-enc.wav');
  const sent = levels(sentFile).dbfs;
  const got = levels(heard).dbfs;
  const result: Turns = { latencies: [], unanswered: 0, overlapped: 0 };
  for (const start of script.starts) {
    const end = voiceEnd(sent, start);
    if (end === undefined) {
      result.unanswered++;
      continue;
    }
    const e = Math.round(end * 100);
    // The bot still talking when the caller stops: not a clean turn.
    if (got.slice(Math.max(0, e - 20), e).some((d) => d > HEARD_DBFS)) {
      result.overlapped++;
      continue;
    }
    const onset = got.findIndex((d, i) => i >= e && d > HEARD_DBFS);
    if (onset < 0 || onset - e > 600) result.unanswered++;
    else result.latencies.push((onset - e) * 10);
  }
  return result;
}

/** Every process below (and including) the given ones. */
function tree(roots: number[]): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const all: number[] = [];
  const visit = (pid: number) => {
    all.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  roots.forEach(visit);
  return all;
}

/** CPU seconds of the desk's parts: the engine, its speech process, Chromium. */
function deskParts(pids: number[]): Record<string, number> {
  const parts: Record<string, number> = { engine: 0, speech: 0, chromium: 0 };
  for (const pid of pids) {
    try {
      const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const part = /speech-worker/.test(command)
        ? 'speech'
        : /chrom/i.test(command)
          ? 'chromium'
          : 'engine';
      parts[part]! += usage([pid]).cpuS;
    } catch {
      // gone meanwhile
    }
  }
  return parts;
}

/** CPU seconds (user + system) and resident MiB of these processes. */
function usage(pids: number[]): { cpuS: number; rssMiB: number } {
  let ticks = 0;
  let rssKiB = 0;
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
      rssKiB += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    } catch {
      // gone meanwhile
    }
  }
  return { cpuS: ticks / 100, rssMiB: rssKiB / 1024 };
}

export async function run(): Promise<void> {
  const [model, script] = await Promise.all([makeSyntheticVoskModel(), callerScript()]);
  progress(
    `caller script: ${script.seconds.toFixed(0)} s, sentences at ${script.starts.map((s) => s.toFixed(1)).join(', ')} s`,
  );
  const rtpengine = await startRtpengine();
  const kamailio = await startKamailio({ withRtpengine: { ngPort: rtpengine.ngPort } });
  const lotse = await startLotseWeb({ speechModel: model });
  const browser = await chromium.launch(
    chromiumLaunchOptions({
      fakeAudioFile: makeToneSequenceWav([{ frequencyHz: null, seconds: 2 }]),
    }),
  );
  try {
    const app = new LotsePage(await browser.newPage());
    await app.open(lotse.url);
    await app.configureAccount({ serverUrl: kamailio.wsUrl, sipUri: 'sip:agent@127.0.0.1' });
    await app.page.getByTestId('bot-first').check();
    await app.page.getByLabel('Betriebsart des Bots', { exact: true }).selectOption('night');
    await app.register();
    await app.expectRegistration('registered');
    // The desk: the engine with its speech process, and the desk's Chromium
    // (not the phones, Kamailio or rtpengine, nor this bench).
    const desk = () =>
      tree([process.pid]).filter((pid) => {
        if (pid === process.pid) return false;
        try {
          const name = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
          return name === 'node' || /chrom/i.test(name);
        } catch {
          return false;
        }
      });

    const gapsNow = async () =>
      Number(await app.page.getByTestId('playout-gaps').getAttribute('data-count'));
    for (const level of LEVELS) {
      const gapsBefore = await gapsNow();
      const phones = await Promise.all(
        Array.from({ length: level }, (_, i) =>
          startBaresip({
            user: `nacht${level}x${i}`,
            registrar: { host: '127.0.0.1', port: kamailio.sipPort },
            sourceWav: script.wav,
            answerMode: 'manual',
          }),
        ),
      );
      try {
        await Promise.all(phones.map((p) => p.waitForRegistered()));
        await sleep(2000);
        const idle = usage(desk());
        const idleParts = deskParts(desk());
        const began = performance.now();
        const beganAt = Date.now();
        await Promise.all(phones.map((p) => p.dial('sip:agent@127.0.0.1')));
        const established = await Promise.allSettled(
          phones.map((p) => p.waitForCallEstablished(20_000)),
        );
        let peakRss = idle.rssMiB;
        const until = performance.now() + script.seconds * 1000 + 2000;
        while (performance.now() < until) {
          await sleep(2000);
          peakRss = Math.max(peakRss, usage(desk()).rssMiB);
        }
        const busy = usage(desk());
        const busyParts = deskParts(desk());
        const wallS = (performance.now() - began) / 1000;
        // A call that ended before its last turn was answered failed (the
        // bot's own goodbye after the callback offer is the script's end).
        const lastTurnMs = (script.starts.at(-1)! + 8) * 1000;
        const closedEarly = phones.filter((p) => {
          const up = p.events().find((e) => e.type === 'CALL_ESTABLISHED');
          const down = p.events().find((e) => e.type === 'CALL_CLOSED');
          return up !== undefined && down !== undefined && down.at - up.at < lastTurnMs;
        }).length;
        await Promise.all(phones.map((p) => p.hangup()));
        await Promise.all(phones.map((p) => p.waitForCallClosed(10_000).catch(() => undefined)));
        await sleep(500);
        const failed = established.filter((e) => e.status === 'rejected').length + closedEarly;
        const turns = phones.flatMap((p) => {
          try {
            return [turnsOf(p, script)];
          } catch (error) {
            progress(`${p.user}: ${(error as Error).message}`);
            return [];
          }
        });
        const latencies = turns.flatMap((t) => t.latencies).sort((a, b) => a - b);
        const unanswered = turns.reduce((n, t) => n + t.unanswered, 0);
        const overlapped = turns.reduce((n, t) => n + t.overlapped, 0);
        progress(
          `${level} call(s): ${latencies.length} turns measured (${latencies.map((l) => l.toFixed(0)).join(', ')} ms), ${unanswered} unanswered, ${overlapped} overlapped, ${failed} failed`,
        );
        report('night', `calls_${level}_failed`, failed, 'calls');
        report('night', `calls_${level}_turns_measured`, latencies.length, 'turns');
        report('night', `calls_${level}_turns_unanswered`, unanswered, 'turns');
        report('night', `calls_${level}_turn_median`, quantile(latencies, 0.5), 'ms');
        report('night', `calls_${level}_turn_p95`, quantile(latencies, 0.95), 'ms');
        report(
          'night',
          `calls_${level}_cpu_per_call`,
          (100 * (busy.cpuS - idle.cpuS)) / wallS / level,
          '% of a core',
        );
        report('night', `calls_${level}_memory_per_call`, (peakRss - idle.rssMiB) / level, 'MiB');
        report('night', `calls_${level}_playout_gaps`, (await gapsNow()) - gapsBefore, 'gaps');
        progress(
          `  CPU per part of the desk, % of a core: ${Object.entries(busyParts)
            .map(
              ([part, cpuS]) =>
                `${part} ${((100 * (cpuS - (idleParts[part] ?? 0))) / wallS).toFixed(0)}`,
            )
            .join(', ')}`,
        );
        // What went wrong in the engine meanwhile (stderr, for whoever reads the figures).
        const trouble = new Map<string, number>();
        for (const entry of lotse.engineLog()) {
          if (entry.level !== 'warn' && entry.level !== 'error') continue;
          if (Date.parse(entry.time) < beganAt) continue;
          const kind = `${entry.level} [${entry.scope}] ${entry.message.replace(/\d+/g, '#')}`;
          trouble.set(kind, (trouble.get(kind) ?? 0) + 1);
        }
        for (const [kind, count] of [...trouble].sort((a, b) => b[1] - a[1]).slice(0, 8))
          progress(`  ${count}× ${kind.slice(0, 200)}`);
      } finally {
        await Promise.all(phones.map((p) => p.stop()));
      }
    }
  } finally {
    await browser.close().catch(() => undefined);
    await lotse.stop();
    await kamailio.stop();
    await rtpengine.stop();
    fs.rmSync(script.wav, { force: true });
  }
}
