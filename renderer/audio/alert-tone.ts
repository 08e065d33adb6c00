/**
 * The handoff alert at the desk: the normal ringtone for an ordinary handoff,
 * a distinct fast two-tone (like a priority line) for emergency and crisis, so
 * the agent hears the difference without looking. Plays on the ring device
 * (the system default unless a sink is set).
 */
export class AlertTone {
  private context?: AudioContext;
  private timer?: ReturnType<typeof setInterval>;

  constructor(private readonly ring: { start(): void; stop(): void }) {}

  start(priority: boolean): void {
    this.stop();
    if (!priority) {
      this.ring.start();
      return;
    }
    const context = (this.context ??= new AudioContext());
    void context.resume().catch(() => undefined);
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
        osc.connect(gain).connect(context.destination);
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
  }
}
