/**
 * A BotOutput fake that "plays" PCM on a virtual clock: queued audio counts as
 * played after its duration in real time. Records everything the bot did.
 * Never used by the app.
 */
import type { ListenExpectation, WorklistItem } from '../../electron/engine/bot/frames';
import type { BotOutput } from '../../electron/engine/bot/processors';

export class FakeBotOutput implements BotOutput {
  readonly played: Int16Array[] = [];
  readonly spoken: { text: string; source?: string; answer?: string }[] = [];
  readonly listens: ListenExpectation[] = [];
  readonly handoffs: { reason: string; priority: boolean; summary: string }[] = [];
  readonly filed: WorklistItem[] = [];
  stops = 0;
  hungUp = false;
  private playingUntil = 0;

  play(pcm: Int16Array): void {
    this.played.push(pcm);
    const start = Math.max(performance.now(), this.playingUntil);
    this.playingUntil = start + (pcm.length / 16_000) * 1000;
  }
  stopPlayback(): void {
    this.stops++;
    this.playingUntil = performance.now();
  }
  async drained(): Promise<void> {
    while (performance.now() < this.playingUntil) await new Promise((r) => setTimeout(r, 5));
  }
  said(text: string, source?: string, answer?: string): void {
    this.spoken.push({ text, ...(source ? { source } : {}), ...(answer ? { answer } : {}) });
  }
  listen(expect: ListenExpectation): void {
    this.listens.push(expect);
  }
  handoff(reason: string, priority: boolean, summary: string): void {
    this.handoffs.push({ reason, priority, summary });
  }
  file(item: WorklistItem): void {
    this.filed.push(item);
  }
  hangup(): void {
    this.hungUp = true;
  }
}
