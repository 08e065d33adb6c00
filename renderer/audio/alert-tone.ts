/**
 * The handoff alert at the desk: the normal ringtone for an ordinary handoff,
 * a distinct fast two-tone (like a priority line) for emergency and crisis, so
 * the agent hears the difference without looking. Plays on the ring device
 * (the system default unless a sink is set).
 *
 * The ring device: AudioContext.setSinkId where the browser has it (Chromium
 * 110+, so Electron); elsewhere the tone goes into a MediaStreamDestination
 * played by an <audio> element, whose setSinkId is older and more widely
 * supported.
 */

/** AudioContext.setSinkId is newer than TypeScript's DOM library. */
interface SinkableContext {
  setSinkId?(sinkId: string): Promise<void>;
}

/** The parts of the Web Audio API the alert uses (a fake in unit tests). */
export interface AlertAudio {
  createContext(): AudioContext;
  /** An element to play a stream through, for contexts without setSinkId. */
  createElement(): HTMLAudioElement;
}

const browserAudio: AlertAudio = {
  createContext: () => new AudioContext(),
  createElement: () => new Audio(),
};

export class AlertTone {
  private context?: AudioContext;
  /** Where the oscillators go: the context's own output, or a stream for the element. */
  private output?: AudioNode;
  private element?: HTMLAudioElement;
  private timer?: ReturnType<typeof setInterval>;
  private ringSink = '';

  constructor(
    private readonly ring: { start(): void; stop(): void },
    private readonly audio: AlertAudio = browserAudio,
  ) {}

  /** The ring device ('' = system default); applied now if the alert's context exists. */
  async setSinkId(sinkId: string): Promise<void> {
    this.ringSink = sinkId;
    const context = this.context as (AudioContext & SinkableContext) | undefined;
    if (!context) return;
    if (this.element) await this.element.setSinkId(sinkId);
    else await context.setSinkId?.(sinkId);
  }

  start(priority: boolean): void {
    this.stop();
    if (!priority) {
      this.ring.start();
      return;
    }
    const { context, output } = this.open();
    void context.resume().catch(() => undefined);
    if (this.element) void this.element.play().catch(() => undefined);
    const burst = () => {
      const t = context.currentTime;
      // 960 / 1400 Hz alternating, 4 × 120 ms, then a pause: unmistakably urgent.
      for (let i = 0; i < 4; i++) {
        const osc = context.createOscillator();
        const gain = context.createGain();
        osc.frequency.value = i % 2 === 0 ? 960 : 1400;
        gain.gain.setValueAtTime(0, t + i * 0.14);
        gain.gain.linearRampToValueAtTime(0.25, t + i * 0.14 + 0.01);
        gain.gain.setValueAtTime(0.25, t + i * 0.14 + 0.11);
        gain.gain.linearRampToValueAtTime(0, t + i * 0.14 + 0.12);
        osc.connect(gain).connect(output);
        osc.start(t + i * 0.14);
        osc.stop(t + i * 0.14 + 0.13);
      }
    };
    burst();
    this.timer = setInterval(burst, 1200);
  }

  stop(): void {
    this.ring.stop();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.element?.pause();
  }

  private open(): { context: AudioContext; output: AudioNode } {
    if (this.context && this.output) return { context: this.context, output: this.output };
    const context = this.audio.createContext();
    const sinkable = context as AudioContext & SinkableContext;
    let output: AudioNode = context.destination;
    if (typeof sinkable.setSinkId === 'function') {
      if (this.ringSink) void sinkable.setSinkId(this.ringSink).catch(() => undefined);
    } else {
      const stream = context.createMediaStreamDestination();
      const element = this.audio.createElement();
      element.srcObject = stream.stream;
      if (this.ringSink) void element.setSinkId?.(this.ringSink).catch(() => undefined);
      this.element = element;
      output = stream;
    }
    this.context = context;
    this.output = output;
    return { context, output };
  }
}
