/**
 * The call-waiting tone (Anklopfton) the agent hears when a second call
 * knocks during a call: two short 425 Hz beeps (200 ms on, 200 ms off,
 * 200 ms on), then a 5 s pause, as German telephones play it. It is quiet
 * and short on purpose: the agent is talking to someone. Made with WebAudio
 * oscillators, so it needs no sound file; its own AudioContext, closed when
 * the knocking stops.
 */

export const CALL_WAITING_TONE = {
  frequencyHz: 425,
  beepMs: 200,
  gapMs: 200,
  pauseMs: 5000,
  /** Linear gain: about -20 dBFS, under the caller's voice. */
  gain: 0.1,
} as const;

export interface Tone {
  start(): void;
  stop(): void;
}

export class CallWaitingTone implements Tone {
  private context?: AudioContext;
  private timer?: ReturnType<typeof setInterval>;

  start(): void {
    if (this.timer !== undefined) return;
    try {
      this.context ??= new AudioContext({ latencyHint: 'interactive' });
    } catch {
      return; // No audio output (e.g. a test page): the screen still shows the knock.
    }
    void this.context.resume().catch(() => undefined);
    this.burst();
    const { beepMs, gapMs, pauseMs } = CALL_WAITING_TONE;
    this.timer = setInterval(() => this.burst(), 2 * beepMs + gapMs + pauseMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    const context = this.context;
    this.context = undefined;
    if (context) void context.close().catch(() => undefined);
  }

  private burst(): void {
    const context = this.context;
    if (!context) return;
    const { frequencyHz, beepMs, gapMs, gain } = CALL_WAITING_TONE;
    const start = context.currentTime + 0.02;
    for (const offset of [0, (beepMs + gapMs) / 1000]) {
      const oscillator = context.createOscillator();
      oscillator.frequency.value = frequencyHz;
      const level = context.createGain();
      const t0 = start + offset;
      const t1 = t0 + beepMs / 1000;
      // 5 ms ramps: no clicks.
      level.gain.setValueAtTime(0, t0);
      level.gain.linearRampToValueAtTime(gain, t0 + 0.005);
      level.gain.setValueAtTime(gain, t1 - 0.005);
      level.gain.linearRampToValueAtTime(0, t1);
      oscillator.connect(level).connect(context.destination);
      oscillator.onended = () => level.disconnect();
      oscillator.start(t0);
      oscillator.stop(t1);
    }
  }
}
