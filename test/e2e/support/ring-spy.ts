/**
 * When the desk rang: a spy on the page's media elements, installed before
 * the app loads, that notes every play() and pause() of the ringtone (the
 * incoming-call ring and the ordinary handoff alert play the same sound
 * file) with its time (epoch ms). Headless Chromium plays nothing audible,
 * so this is how a test sees that a person is rung.
 */
import type { Page } from '@playwright/test';

export interface RingEvent {
  kind: 'play' | 'pause';
  /** performance.timeOrigin + performance.now() in the page: epoch ms. */
  at: number;
}

interface SpyWindow {
  __rings: RingEvent[];
}

/** Runs in the app page before its scripts: self-contained (it is serialised). */
function installRingSpy(): void {
  const w = window as unknown as SpyWindow;
  w.__rings = [];
  const proto = HTMLMediaElement.prototype;
  const play = proto.play;
  const pause = proto.pause;
  const isRing = (el: HTMLMediaElement) => /ringtone/.test(el.currentSrc || el.src);
  proto.play = function (this: HTMLMediaElement) {
    if (isRing(this))
      w.__rings.push({ kind: 'play', at: performance.timeOrigin + performance.now() });
    return play.call(this);
  };
  proto.pause = function (this: HTMLMediaElement) {
    if (isRing(this))
      w.__rings.push({ kind: 'pause', at: performance.timeOrigin + performance.now() });
    return pause.call(this);
  };
}

export class RingSpy {
  private constructor(private readonly page: Page) {}

  /** Call before the app loads. */
  static async install(page: Page): Promise<RingSpy> {
    await page.addInitScript(installRingSpy);
    return new RingSpy(page);
  }

  events(): Promise<RingEvent[]> {
    return this.page.evaluate(() => (window as unknown as SpyWindow).__rings);
  }

  /** When the ringtone started at or after `since` (epoch ms), if it did. */
  async rangAt(since: number): Promise<number | undefined> {
    return (await this.events()).find((e) => e.kind === 'play' && e.at >= since)?.at;
  }

  /** Whether the ringtone is playing now (its last event is a play). */
  async ringing(): Promise<boolean> {
    return (await this.events()).at(-1)?.kind === 'play';
  }
}
