/**
 * What the agent hears: the app's remote <audio> element's stream through an
 * AnalyserNode in the page (headless Chromium gives WebAudio sound from a
 * remote WebRTC stream only while an element plays it, which the app does).
 * Returns the dominant frequency and the RMS level over `ms`.
 */
import type { Page } from '@playwright/test';

export interface HeardAudio {
  dominantFrequencyHz: number;
  rmsDbfs: number;
}

export function measureAppRemoteAudio(page: Page, ms: number): Promise<HeardAudio> {
  return page.evaluate(async (durationMs) => {
    const element = document.querySelector<HTMLAudioElement>('[data-testid="remote-audio"]');
    const stream = element?.srcObject;
    if (!(stream instanceof MediaStream) || stream.getAudioTracks().length === 0)
      throw new Error('no remote audio stream on the <audio> element');
    const ctx = new AudioContext();
    try {
      await ctx.resume();
      const source = ctx.createMediaStreamSource(stream);
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 8192;
      analyser.smoothingTimeConstant = 0;
      const sink = ctx.createGain();
      sink.gain.value = 0;
      source.connect(analyser);
      analyser.connect(sink);
      sink.connect(ctx.destination);
      const spectrum = new Float32Array(analyser.frequencyBinCount);
      const power = new Float64Array(analyser.frequencyBinCount);
      const samples = new Float32Array(analyser.fftSize);
      let sumSquares = 0;
      let count = 0;
      const end = performance.now() + durationMs;
      while (performance.now() < end) {
        await new Promise((r) => setTimeout(r, 50));
        analyser.getFloatFrequencyData(spectrum);
        analyser.getFloatTimeDomainData(samples);
        spectrum.forEach((db, i) => {
          if (Number.isFinite(db)) power[i] = (power[i] ?? 0) + 10 ** (db / 10);
        });
        for (const s of samples) sumSquares += s * s;
        count += samples.length;
      }
      let best = 1;
      for (let i = 1; i < power.length; i++) if ((power[i] ?? 0) > (power[best] ?? 0)) best = i;
      const rms = Math.sqrt(sumSquares / Math.max(1, count));
      return {
        dominantFrequencyHz: (best * ctx.sampleRate) / analyser.fftSize,
        rmsDbfs: rms > 0 ? 20 * Math.log10(rms) : -200,
      };
    } finally {
      await ctx.close();
    }
  }, ms);
}
