/**
 * AudioWorklet "lotse-tap": turns one leg of the call into 20 ms frames of
 * 16-bit PCM for the engine. It runs inside an AudioContext created at
 * 16 kHz, so the browser's own sinc resampler (with its anti-aliasing filter)
 * has already converted the 48 kHz WebRTC / microphone audio; the node is
 * created with channelCount 1 ("speakers" interpretation), so the down-mix to
 * mono is done by the audio graph too. What is left here is framing and
 * float → int16 conversion.
 */
const FRAME = 320;

class TapProcessor extends AudioWorkletProcessor {
  private frame = new Int16Array(FRAME);
  private fill = 0;
  private stopped = false;

  constructor() {
    super();
    // After "stop" the node may be collected: the next process() says
    // "stopped" and returns false (see retireWorklet in audio-graph.ts).
    this.port.onmessage = (event: MessageEvent<unknown>) => {
      if (event.data === 'stop') this.stopped = true;
    };
    if (sampleRate !== 16000) {
      this.port.postMessage({ error: `tap expects a 16 kHz context, got ${sampleRate} Hz` });
    }
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.stopped) {
      this.port.postMessage('stopped');
      this.port.close();
      return false;
    }
    const channel = inputs[0]?.[0];
    if (!channel) return true;
    for (let i = 0; i < channel.length; i++) {
      const s = Math.max(-1, Math.min(1, channel[i] ?? 0));
      this.frame[this.fill++] = s < 0 ? Math.round(s * 32768) : Math.round(s * 32767);
      if (this.fill === FRAME) {
        this.port.postMessage(this.frame.buffer, [this.frame.buffer]);
        this.frame = new Int16Array(FRAME);
        this.fill = 0;
      }
    }
    return true;
  }
}

registerProcessor('lotse-tap', TapProcessor);
