/**
 * Launch options for Debian's Chromium in the test bed.
 *
 * No browser download works on the build machines, so Playwright drives
 * /usr/bin/chromium. The flags are the ones found to work as root, headless,
 * offline, with WebRTC on loopback (see TESTBED.md):
 * - --allow-loopback-in-peer-connection: without it ICE finds no candidates
 *   on 127.0.0.1 and calls "connect" with no media, silently.
 * - fake media flags: the microphone is a WAV file (fixed speech/tone) and
 *   no permission prompt appears.
 * - --autoplay-policy: remote audio plays without a user gesture.
 * - the networking flags keep Chromium from phoning home (no network here).
 * Playwright gives `chromium.launch` its own fresh temp --user-data-dir (and
 * refuses one in `args`), so none is passed here.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { LaunchOptions } from '@playwright/test';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_BASE_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--allow-loopback-in-peer-connection',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

export interface ChromiumExtra {
  /** WAV the fake microphone plays (looped by Chromium). Made absolute. */
  fakeAudioFile?: string;
  /** More command-line switches. */
  args?: string[];
}

export function chromiumLaunchOptions(extra: ChromiumExtra = {}): LaunchOptions {
  const args = [...CHROMIUM_BASE_ARGS];
  if (extra.fakeAudioFile !== undefined) {
    const file = isAbsolute(extra.fakeAudioFile)
      ? extra.fakeAudioFile
      : resolve(extra.fakeAudioFile);
    args.push(`--use-file-for-fake-audio-capture=${file}`);
  }
  if (extra.args) args.push(...extra.args);
  return {
    executablePath: CHROMIUM_PATH,
    // Playwright adds --headless itself when this is true.
    headless: true,
    args,
  };
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}
