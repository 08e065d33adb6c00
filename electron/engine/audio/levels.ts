/**
 * Per-frame speech energy. The engine measures every frame it receives so
 * that tests and the UI can see the caller's audio arrive; this is a level
 * meter with an adaptive noise floor, not the voice activity detector the
 * speech engine will use for turn-taking.
 */
export function rmsDbfs(samples: Int16Array): number {
  if (samples.length === 0) return -100;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = (samples[i] ?? 0) / 32768;
    sum += s * s;
  }
  const rms = Math.sqrt(sum / samples.length);
  return rms > 0 ? Math.max(-100, 20 * Math.log10(rms)) : -100;
}

/**
 * Tracks the noise floor of one leg (fast down, slow up) and calls a frame
 * speech when it is clearly above it and above an absolute minimum.
 */
export class LevelTracker {
  private floorDbfs = -70;

  constructor(
    private readonly marginDb = 12,
    private readonly minSpeechDbfs = -50,
  ) {}

  update(dbfs: number): boolean {
    this.floorDbfs = dbfs < this.floorDbfs ? dbfs : this.floorDbfs + 0.2;
    this.floorDbfs = Math.max(-100, Math.min(this.floorDbfs, -20));
    return dbfs >= this.minSpeechDbfs && dbfs >= this.floorDbfs + this.marginDb;
  }

  get noiseFloorDbfs(): number {
    return this.floorDbfs;
  }
}
