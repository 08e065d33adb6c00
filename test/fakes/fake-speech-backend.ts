/**
 * An in-process SpeechBackend fake: the test decides what is "recognised".
 * Used to test LiveTranscription's bookkeeping without a speech process;
 * the real recogniser is tested against libvosk elsewhere. Never used by the app.
 */
import type { RecognizedWord, SpeechStatus } from '../../electron/contract';
import type { SpeechBackend } from '../../electron/engine/transcript/live-transcription';

type Partial = { streamId: string; text: string; startMs: number; endMs: number };
type Final = Partial & { words: RecognizedWord[] };

export class FakeSpeechBackend implements SpeechBackend {
  status: SpeechStatus = { state: 'ready' };
  readonly open = new Set<string>();
  readonly pushed = new Map<string, number>();
  /** The options each stream was opened with (startMs after an engine restart). */
  readonly opened = new Map<string, { startMs?: number } | undefined>();
  /** Streams closed, in order. */
  readonly closed: string[] = [];
  /** The final a stream's close flushes (the turn still open when it closes). */
  readonly flushOnClose = new Map<string, Final>();
  /** Closes never finish: the speech process hangs. */
  hung = false;
  private readonly statusListeners = new Set<(s: SpeechStatus) => void>();
  private readonly partialListeners = new Set<(e: Partial) => void>();
  private readonly finalListeners = new Set<(e: Final) => void>();

  openStream(streamId: string, options?: { startMs?: number }): void {
    this.open.add(streamId);
    this.opened.set(streamId, options);
  }
  pushAudio(streamId: string, samples: Int16Array): void {
    if (!this.open.has(streamId)) throw new Error(`audio for closed stream ${streamId}`);
    this.pushed.set(streamId, (this.pushed.get(streamId) ?? 0) + samples.length);
  }
  /**
   * Ends the stream as the speech process does: what is in `flushOnClose`
   * for it arrives as a final, then the close resolves. With `hung` set, it
   * never resolves (a speech process that no longer answers).
   */
  closeStream(streamId: string): Promise<void> {
    this.open.delete(streamId);
    this.closed.push(streamId);
    if (this.hung) return new Promise<void>(() => {});
    const last = this.flushOnClose.get(streamId);
    this.flushOnClose.delete(streamId);
    // Asynchronously, like the worker's answer: after the caller has moved on.
    return Promise.resolve().then(() => {
      if (last) this.final(last);
    });
  }
  onStatus(listener: (status: SpeechStatus) => void) {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }
  onPartial(listener: (e: Partial) => void) {
    this.partialListeners.add(listener);
    return () => this.partialListeners.delete(listener);
  }
  onFinal(listener: (e: Final) => void) {
    this.finalListeners.add(listener);
    return () => this.finalListeners.delete(listener);
  }

  partial(e: Partial): void {
    this.partialListeners.forEach((l) => l(e));
  }
  final(e: Final): void {
    this.finalListeners.forEach((l) => l(e));
  }
}
