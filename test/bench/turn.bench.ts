/**
 * turn: how long a caller waits for the bot. From the end of the caller's
 * speech to the first bot audio heard at the caller, through the test bed:
 * a sip.js caller in its own Chromium calls Lotse (web mode, bot first, the
 * real speech process on the synthetic model, the Pico voice) through
 * Kamailio. Everything the delay is made of counts: the endpoint silence the
 * bot waits for (tuned per dialogue step), recognition, understanding, the
 * voice, the paced output, the renderer's play-out and WebRTC both ways.
 *
 * The caller's microphone is a WebAudio source the bench drives: it speaks a
 * German sentence (espeak-ng) when the bot is quiet, so the end of speech is
 * known to the sample; the caller page watches its remote audio every few ms
 * for the bot's answer. The synthetic model hears one word ("wort"), which the
 * bot does not understand: reprompt, keypad menu, handoff — three measured
 * turns per call, then the caller hangs up and calls again.
 *
 * Env: LOTSE_BENCH_TURNS (default 30).
 */
import { chromium } from '@playwright/test';
import { makeSpeechWav, SPEECH_SECONDS } from '../fixtures/speech-wav';
import { makeSyntheticVoskModel } from '../fixtures/synthetic-vosk-model';
import { makeToneSequenceWav } from '../fixtures/tone-sequence-wav';
import { LotsePage } from '../e2e/support/lotse-page';
import { startLotseWeb } from '../e2e/support/lotse-web';
import { chromiumLaunchOptions } from '../testbed/chromium';
import { startKamailio } from '../testbed/kamailio';
import { installScriptedMicrophone } from '../testbed/scripted-microphone';
import { TestCaller } from '../testbed/test-caller';
import { readWav } from '../testbed/wav-analysis';
import { progress, report } from './report';

const TURNS = Number(process.env.LOTSE_BENCH_TURNS ?? 30);
/** Remote audio louder than this is the bot talking. */
const HEARD_DBFS = -45;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? NaN;
}

/** The speech segment as floats, and where its voice really ends (s). */
function speechSegment(path: string): { samples: number[]; rate: number; voicedEndS: number } {
  const wav = readWav(path);
  const count = Math.round(SPEECH_SECONDS * wav.sampleRate);
  const samples = Array.from(wav.samples.subarray(0, count));
  const window = Math.round(wav.sampleRate / 100);
  let voicedEnd = 0;
  for (let start = 0; start + window <= samples.length; start += window) {
    let sum = 0;
    for (let i = start; i < start + window; i++) sum += samples[i]! ** 2;
    if (10 * Math.log10(sum / window + 1e-12) > -40) voicedEnd = start + window;
  }
  return { samples, rate: wav.sampleRate, voicedEndS: voicedEnd / wav.sampleRate };
}

export async function run(): Promise<void> {
  const [model, speechWav] = await Promise.all([makeSyntheticVoskModel(), makeSpeechWav()]);
  const speech = speechSegment(speechWav);
  const [kamailio, lotse] = await Promise.all([
    startKamailio(),
    startLotseWeb({ speechModel: model }),
  ]);
  const appBrowser = await chromium.launch(
    chromiumLaunchOptions({
      fakeAudioFile: makeToneSequenceWav([{ frequencyHz: null, seconds: 2 }]),
    }),
  );
  const caller = await TestCaller.start();
  const latencies: number[] = [];
  let missed = 0;
  try {
    const app = new LotsePage(await appBrowser.newPage());
    await app.open(lotse.url);
    await app.configureAccount({ serverUrl: kamailio.wsUrl, sipUri: 'sip:agent@127.0.0.1' });
    await app.page.getByTestId('bot-first').check();
    await app.page.getByLabel('Betriebsart des Bots', { exact: true }).selectOption('day');
    await app.register();
    await app.expectRegistration('registered');

    const microphone = await installScriptedMicrophone(caller);
    await microphone.load('sentence', speech.samples, speech.rate, speech.voicedEndS);
    await caller.register({ wsUrl: kamailio.wsUrl, user: 'anrufer', domain: '127.0.0.1' });
    progress(
      `${TURNS} turns: speech end → first bot audio at the caller (voiced end at ${speech.voicedEndS.toFixed(2)} s of the sentence)`,
    );
    let call = 0;
    // One call to warm up (JIT, the voice, the classifier's first use): not counted.
    let warmUp = true;
    while (latencies.length + missed < TURNS) {
      call++;
      if ((await app.callState.getAttribute('data-state')) === 'ended')
        await app.button('Schließen').click();
      await caller.call('agent');
      await caller.waitForCallState('established', 10_000);
      // The greeting (never interrupted), then three turns.
      for (let turn = 0; turn < 3 && (warmUp || latencies.length + missed < TURNS); turn++) {
        // The bot has said everything and listens (the engine reports it), and the line is quiet.
        await app.page
          .locator('[data-testid="bot-panel"][data-speaking="false"]:not([data-listening=""])')
          .waitFor({ timeout: 60_000 });
        const quiet = await microphone.quietFor(300, -50, 10_000);
        if (!quiet) throw new Error('the bot never fell silent');
        const ended = await microphone.speak('sentence');
        const heard = await microphone.heardAfter(ended, HEARD_DBFS, 6_000);
        if (warmUp) {
          progress(
            `warm-up turn: ${heard === null ? 'no answer' : `${(heard - ended).toFixed(0)} ms`}`,
          );
        } else if (heard === null) {
          missed++;
          progress(`call ${call} turn ${turn + 1}: no answer within 6 s`);
        } else {
          latencies.push(heard - ended);
          progress(`call ${call} turn ${turn + 1}: ${(heard - ended).toFixed(0)} ms`);
        }
      }
      await caller.hangup();
      await app.expectCall('ended');
      warmUp = false;
    }
  } finally {
    await caller.close();
    await appBrowser.close().catch(() => undefined);
    await lotse.stop();
    await kamailio.stop();
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  report('turn', 'turns_measured', latencies.length, 'turns');
  report('turn', 'turns_unanswered', missed, 'turns');
  report('turn', 'speech_end_to_bot_audio_median', percentile(sorted, 50), 'ms');
  report('turn', 'speech_end_to_bot_audio_p95', percentile(sorted, 95), 'ms');
  report('turn', 'speech_end_to_bot_audio_min', sorted[0] ?? NaN, 'ms');
  report('turn', 'speech_end_to_bot_audio_max', sorted.at(-1) ?? NaN, 'ms');
}
