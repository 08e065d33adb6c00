/**
 * The end-to-end fixtures: the test bed on 127.0.0.1 (rtpengine, Kamailio,
 * baresip, SIPp), Lotse in web mode, the agent's desk in Debian's Chromium,
 * test callers, and the logs a failed test leaves behind. Specs import
 * `test` and `expect` from here and ask for what they use by name; nothing
 * they do not ask for is started.
 *
 * Lifecycle: one spec file, one test bed. Every spec sets its own `bed`
 * (`test.use({ bed: { … } })` at the top of the file). A worker-scoped
 * option value of its own gives the file a worker of its own, and Playwright
 * stops a worker (tearing down its worker fixtures) once its tests are done,
 * before it starts the next: so the servers, the desk and the callers live
 * exactly as long as one file's tests, and the serial specs keep their
 * state from test to test (the desk's page, the engine's history). Teardown
 * always runs: at the end of the file, and after a failed test (Playwright
 * then replaces the worker, and a spec that goes on gets a fresh bed).
 * `specBoundary` fails loudly should two files ever share a worker.
 */
import path from 'node:path';
import { chromium, expect, test as base, type Browser, type Page } from '@playwright/test';
import { makeSyntheticVoskModel } from '../../fixtures/synthetic-vosk-model';
import { makeToneSequenceWav } from '../../fixtures/tone-sequence-wav';
import { digitsModelPath } from '../../fixtures/digits-speech';
import { startBaresip, type Baresip } from '../../testbed/baresip';
import { chromiumLaunchOptions } from '../../testbed/chromium';
import { startKamailio, type Kamailio } from '../../testbed/kamailio';
import { startRtpengine, type Rtpengine } from '../../testbed/rtpengine';
import {
  startMalformedInvite,
  startSippCalls,
  type MalformedScenario,
  type SippRun,
} from '../../testbed/sipp';
import type { TestCaller } from '../../testbed/test-caller';
import { Callers, registerCaller, type CallerAccount, type Microphone } from './callers';
import { Evidence } from './evidence';
import { LotsePage } from './lotse-page';
import { formatEngineLog, startLotseWeb, type LotseWeb } from './lotse-web';
import { silentMicrophone } from './microphones';
import { PageErrors } from './page-errors';

export { expect };

/** What one spec file's test bed is; every field optional. */
export interface Bed {
  /** Media through rtpengine (WebRTC ↔ plain RTP), as in a job centre's PBX path. */
  relayMedia?: boolean;
  /** The engine's speech process: the synthetic one-word model or the digits model. */
  speechModel?: 'synthetic' | 'digits';
  /** The agent's microphone (Chromium's fake capture file, looped); Chromium's beep when omitted. */
  agentMicrophone?: Microphone;
  /** The `caller` fixture's microphone. */
  callerMicrophone?: Microphone;
  /** What the desk phone (baresip) says: a WAV at 8 kHz; a steady 600 Hz tone when omitted. */
  deskPhoneSource?: () => string;
  /** The `caller` fixture's account ("anrufer" when omitted). */
  callerAccount?: CallerAccount;
  /** The desk's window; 1366×768, the smallest desk screen, when omitted. */
  viewport?: { width: number; height: number };
  /** Permissions the desktop shell grants the app (notifications, clipboard). */
  permissions?: string[];
  /** Keep every level meter update in the page for `app.levels()` (default on). */
  recordLevels?: boolean;
  /** Keep every final transcript line as it appears, for `app.finals()`. */
  recordTranscript?: boolean;
  /** After every test: no uncaught error in the desk's pages so far. */
  noPageErrors?: boolean;
}

/**
 * The usual bed of a spec about speech: the synthetic speech model, every
 * final transcript line kept, and a desk whose agent stays silent (digital
 * silence); a spec adds its callers' microphones and what else it needs.
 */
export function speechBed(more: Bed = {}): Bed {
  return {
    speechModel: 'synthetic',
    recordTranscript: true,
    agentMicrophone: silentMicrophone,
    ...more,
  };
}

/** The desk phone at the far end of the PBX path: baresip as "carol", a 600 Hz tone as microphone. */
export const DESK_PHONE = { user: 'carol', toneHz: 600 } as const;

/** SIPp runs against the bed's Kamailio, stopped when the test ends. */
export interface Sipp {
  /** Calls `service` playing G.711 speech (see testbed/sipp.ts startSippCalls). */
  calls(options: Omit<Parameters<typeof startSippCalls>[0], 'target'>): Promise<SippRun>;
  /** Sends one malformed INVITE (see testbed/sipp.ts startMalformedInvite). */
  malformedInvite(options: {
    service: string;
    scenario: MalformedScenario;
    answerTimeoutMs?: number;
    timeoutS?: number;
  }): Promise<SippRun>;
}

/** Measured figures a spec prints at the end (nothing asserts them). */
export type Figures = Record<string, unknown>;

export interface WorkerFixtures {
  bed: Bed;
  evidence: Evidence;
  /** The spec file this worker runs (set by the first test). */
  specFile: { name?: string };
  figures: Figures;
  /** rtpengine when the bed relays media, else undefined. */
  rtpengine: Rtpengine | undefined;
  kamailio: Kamailio;
  /** Extra environment for the engine (a spec overrides it, e.g. with a case system's address). */
  lotseEnv: Record<string, string>;
  lotse: LotseWeb;
  appBrowser: Browser;
  pageErrors: PageErrors;
  /** The desk's page, before the app is loaded into it. */
  appPage: Page;
  /**
   * What a spec installs in the desk's page before the app loads (a fake
   * device, a spy, a routed socket): a spec overrides it with a fixture that
   * depends on what it installs. Nothing by default.
   */
  deskSetup: void;
  /** The desk: Lotse's renderer opened on the engine (speech ready, when the bed has a model). */
  app: LotsePage;
  /** The same desk, registered as sip:agent@127.0.0.1 at the bed's Kamailio. */
  agent: LotsePage;
  callers: Callers;
  /** A test caller registered at the bed's Kamailio (`bed.callerAccount`). */
  caller: TestCaller;
  /** baresip as the desk phone `DESK_PHONE`, registered, auto-answering. */
  baresip: Baresip;
}

export interface TestFixtures {
  sipp: Sipp;
  /**
   * Around every test: checks that the worker serves one spec file; after
   * it, attaches the evidence to a failed test and, with `bed.noPageErrors`,
   * fails a test after which the desk's pages have thrown.
   */
  specBoundary: void;
}

/** For worker-scoped fixtures, here and in the specs: they live as long as the spec file's tests. */
export const WORKER = { scope: 'worker', timeout: 120_000 } as const;

/** Hands `value` to the tests and stops it afterwards, also when a test failed. */
async function serve<T>(
  use: (value: T) => Promise<void>,
  value: T,
  stop: () => Promise<unknown>,
): Promise<void> {
  try {
    await use(value);
  } finally {
    await stop();
  }
}

/** Opens Lotse in `page` (see LotsePage.open) and readies what the bed asks for. */
export async function openDesk(page: Page, lotse: LotseWeb, bed: Bed): Promise<LotsePage> {
  const app = new LotsePage(page);
  await app.open(lotse.url, { recordLevels: bed.recordLevels ?? true });
  if (bed.speechModel) await app.expectSpeechReady();
  if (bed.recordTranscript) await app.installTranscriptRecorder();
  return app;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  bed: [{}, { scope: 'worker', option: true }],
  // eslint-disable-next-line no-empty-pattern
  evidence: [async ({}, use) => use(new Evidence()), WORKER],
  // eslint-disable-next-line no-empty-pattern
  specFile: [async ({}, use) => use({}), WORKER],
  // eslint-disable-next-line no-empty-pattern
  lotseEnv: [async ({}, use) => use({}), WORKER],
  // eslint-disable-next-line no-empty-pattern
  pageErrors: [async ({}, use) => use(new PageErrors()), WORKER],
  // eslint-disable-next-line no-empty-pattern
  deskSetup: [async ({}, use) => use(), WORKER],

  figures: [
    async ({ specFile }, use) => {
      const figures: Figures = {};
      await use(figures);
      if (Object.keys(figures).length)
        console.log(`[${specFile.name ?? 'spec'}] figures ${JSON.stringify(figures, null, 1)}`);
    },
    WORKER,
  ],

  rtpengine: [
    async ({ bed, evidence }, use) => {
      if (!bed.relayMedia) return use(undefined);
      const rtpengine = await startRtpengine();
      evidence.add('rtpengine.log', () => rtpengine.log());
      await serve(use, rtpengine, () => rtpengine.stop());
    },
    WORKER,
  ],

  kamailio: [
    // rtpengine first: Kamailio's rtpengine module probes it at startup.
    async ({ rtpengine, evidence }, use) => {
      const kamailio = await startKamailio(
        rtpengine ? { withRtpengine: { ngPort: rtpengine.ngPort } } : {},
      );
      evidence.add('kamailio.log', () => kamailio.log());
      await serve(use, kamailio, () => kamailio.stop());
    },
    WORKER,
  ],

  lotse: [
    async ({ bed, lotseEnv, evidence }, use) => {
      const models = { synthetic: makeSyntheticVoskModel, digits: digitsModelPath };
      const speechModel = bed.speechModel ? await models[bed.speechModel]() : undefined;
      const lotse = await startLotseWeb({ speechModel, env: lotseEnv });
      evidence.add('lotse.log', () => lotse.output());
      evidence.add('engine.log', () => formatEngineLog(lotse.engineLog()));
      await serve(use, lotse, () => lotse.stop());
    },
    WORKER,
  ],

  appBrowser: [
    async ({ bed }, use) => {
      const fakeAudioFile = await bed.agentMicrophone?.();
      const browser = await chromium.launch(
        chromiumLaunchOptions(fakeAudioFile ? { fakeAudioFile } : {}),
      );
      await serve(use, browser, () => browser.close());
    },
    WORKER,
  ],

  appPage: [
    async ({ appBrowser, bed, pageErrors }, use) => {
      const context = await appBrowser.newContext({
        viewport: bed.viewport ?? { width: 1366, height: 768 },
        ...(bed.permissions ? { permissions: bed.permissions } : {}),
      });
      const page = await context.newPage();
      pageErrors.watch(page);
      await serve(use, page, () => context.close());
    },
    WORKER,
  ],

  app: [
    async ({ appPage, lotse, bed, deskSetup, evidence }, use) => {
      void deskSetup; // installed before the app loads: that is all it is asked for
      const app = await openDesk(appPage, lotse, bed);
      if (bed.recordTranscript)
        evidence.add('transcript', async () =>
          (await app.finals()).map((f) => `${f.speaker}: ${f.text}`).join('\n'),
        );
      await use(app);
    },
    WORKER,
  ],

  agent: [
    async ({ app, kamailio }, use) => {
      await app.signIn(kamailio.wsUrl, 'agent');
      await use(app);
    },
    WORKER,
  ],

  callers: [
    async ({ evidence }, use) => {
      const callers = new Callers(evidence);
      await serve(use, callers, () => callers.closeAll());
    },
    WORKER,
  ],

  caller: [
    async ({ callers, kamailio, bed }, use) => {
      const caller = await callers.start({ name: 'caller', microphone: bed.callerMicrophone });
      await registerCaller(caller, kamailio, bed.callerAccount ?? { user: 'anrufer' });
      await use(caller);
    },
    WORKER,
  ],

  baresip: [
    async ({ kamailio, evidence, bed }, use) => {
      // baresip's aufile source must match the codec rate (8 kHz mono).
      const tone =
        bed.deskPhoneSource?.() ??
        makeToneSequenceWav([{ frequencyHz: DESK_PHONE.toneHz, seconds: 60 }], 8_000);
      const baresip = await startBaresip({
        user: DESK_PHONE.user,
        registrar: { host: '127.0.0.1', port: kamailio.sipPort },
        sourceWav: tone,
        answerMode: 'auto',
      });
      evidence.add('baresip.log', () => baresip.log());
      const registered = async (b: Baresip) => {
        await b.waitForRegistered();
        await use(b);
      };
      await serve(registered, baresip, () => baresip.stop());
    },
    WORKER,
  ],

  sipp: async ({ kamailio, evidence }, use) => {
    const target = { host: '127.0.0.1', port: kamailio.sipPort };
    const runs: SippRun[] = [];
    const track = (run: SippRun) => {
      runs.push(run);
      evidence.addForTest('sipp.log', async () =>
        (await Promise.allSettled(runs.map((r) => r.done)))
          .map((r) => (r.status === 'fulfilled' ? r.value.log : String(r.reason)))
          .join('\n\n'),
      );
      return run;
    };
    const sipp: Sipp = {
      calls: async (options) => track(await startSippCalls({ target, ...options })),
      malformedInvite: async (options) => track(await startMalformedInvite({ target, ...options })),
    };
    await serve(use, sipp, () => Promise.allSettled(runs.map((run) => run.stop())));
  },

  specBoundary: [
    async ({ specFile, evidence, bed, pageErrors }, use, testInfo) => {
      const name = path.basename(testInfo.file, '.spec.ts');
      specFile.name ??= name;
      if (specFile.name !== name)
        throw new Error(
          `${name} runs in the worker of ${specFile.name}: give every spec its own test.use({ bed })`,
        );
      await use();
      await evidence.attachIfFailed(testInfo);
      if (bed.noPageErrors) pageErrors.expectNone('uncaught errors in the app pages');
    },
    { auto: true },
  ],
});
