/**
 * AudioWorklet "lotse-playout": plays the engine's PCM (16 kHz int16 frames)
 * into the outgoing call track. A small jitter buffer absorbs timing
 * differences between the engine's 20 ms sends and the audio clock: it starts
 * after 60 ms are queued and goes back to buffering after an underrun, so a
 * late frame causes one gap rather than crackling. `flush` drops everything
 * queued (the caller barged in). A gap — the buffer ran dry in the middle of
 * speech and the next audio came within 200 ms — is a stutter the caller
 * hears: each one is reported at once ({ type: 'gap' }). `stop` ends it for good: the next
 * process() answers "stopped" and returns false, so the node can be
 * collected once its context is closed.
 */
const CAPACITY = 16000 * 4; // 4 s
const PREBUFFER = 960; // 60 ms
/** Audio that resumes sooner than this after the buffer ran dry was late, not a pause. */
const GAP_SAMPLES = 3200; // 200 ms

class PlayoutProcessor extends AudioWorkletProcessor {
  private readonly ring = new Float32Array(CAPACITY);
  private read = 0;
  private write = 0;
  private queued = 0;
  private playing = false;
  private underruns = 0;
  private dropped = 0;
  private stopped = false;
  /** Samples played out so far, and where the buffer last ran dry (-1: not dry). */
  private played = 0;
  private dryAt = -1;

  constructor() {
    super();
    this.port.onmessage = (event: MessageEvent<unknown>) => {
      const data = event.data;
      if (data instanceof ArrayBuffer) this.push(new Int16Array(data));
      else if (data === 'flush') {
        this.read = this.write = this.queued = 0;
        this.playing = false;
      } else if (data === 'stop') {
        this.stopped = true;
      } else if (data === 'stats') {
        this.port.postMessage({
          queued: this.queued,
          underruns: this.underruns,
          dropped: this.dropped,
        });
      }
    };
  }

  private push(samples: Int16Array): void {
    if (this.dryAt >= 0) {
      if (this.played - this.dryAt < GAP_SAMPLES) this.port.postMessage({ type: 'gap' });
      this.dryAt = -1;
    }
    for (let i = 0; i < samples.length; i++) {
      if (this.queued === CAPACITY) {
        this.dropped++;
        return;
      }
      this.ring[this.write] = (samples[i] ?? 0) / 32768;
      this.write = (this.write + 1) % CAPACITY;
      this.queued++;
    }
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    if (this.stopped) {
      this.port.postMessage('stopped');
      this.port.close();
      return false;
    }
    const out = outputs[0]?.[0];
    if (!out) return true;
    if (!this.playing && this.queued >= PREBUFFER) this.playing = true;
    for (let i = 0; i < out.length; i++) {
      if (this.playing && this.queued > 0) {
        out[i] = this.ring[this.read] ?? 0;
        this.read = (this.read + 1) % CAPACITY;
        this.queued--;
      } else {
        if (this.playing) {
          this.playing = false;
          this.underruns++;
          this.dryAt = this.played + i;
        }
        out[i] = 0;
      }
    }
    this.played += out.length;
    return true;
  }
}

registerProcessor('lotse-playout', PlayoutProcessor);
