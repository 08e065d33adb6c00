/**
 * WebRTC's voice activity detector (libfvad compiled to WASM by
 * @echogarden/fvad-wasm): speech / no speech per 10, 20 or 30 ms frame.
 *
 * Why this one: it is the VAD telephony has used for a decade, it is made for
 * 8–16 kHz speech with line noise, it costs microseconds per frame, and as
 * WASM it cannot crash the process.
 *
 * The package has no type declarations and must stay outside the esbuild
 * bundle (it finds fvad.wasm next to itself through import.meta.url), hence
 * the dynamic import by a computed name and the small interface below.
 */

interface FvadModule {
  _fvad_new(): number;
  _fvad_free(handle: number): void;
  _fvad_set_mode(handle: number, mode: number): number;
  _fvad_set_sample_rate(handle: number, rate: number): number;
  _fvad_process(handle: number, frame: number, length: number): number;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  HEAP16: Int16Array;
}

const FVAD_PACKAGE = '@echogarden/fvad-wasm';
/** The longest frame libfvad takes: 30 ms at 16 kHz. */
const MAX_FRAME_SAMPLES = 480;

let modulePromise: Promise<FvadModule> | undefined;

async function loadModule(): Promise<FvadModule> {
  const imported = (await import(/* @vite-ignore */ FVAD_PACKAGE)) as {
    default: () => Promise<FvadModule>;
  };
  return imported.default();
}

/** Loads the WASM module once per process; create() needs it loaded. */
export async function loadVoiceActivityModule(): Promise<void> {
  modulePromise ??= loadModule();
  loaded = await modulePromise;
}

let loaded: FvadModule | undefined;

/** One detector per stream (it keeps state between frames); all share one WASM instance. */
export class VoiceActivityDetector {
  private constructor(
    private readonly fvad: FvadModule,
    private readonly handle: number,
    private readonly buffer: number,
  ) {}

  /** Synchronous, so a stream opens before its first audio message is handled. */
  static create(mode: 0 | 1 | 2 | 3, sampleRate = 16_000): VoiceActivityDetector {
    const fvad = loaded;
    if (!fvad) throw new Error('call loadVoiceActivityModule() first');
    const handle = fvad._fvad_new();
    if (!handle) throw new Error('fvad_new failed (out of WASM memory)');
    if (fvad._fvad_set_sample_rate(handle, sampleRate) !== 0) {
      fvad._fvad_free(handle);
      throw new Error(`WebRTC VAD does not support ${sampleRate} Hz`);
    }
    const detector = new VoiceActivityDetector(fvad, handle, fvad._malloc(MAX_FRAME_SAMPLES * 2));
    detector.setMode(mode);
    return detector;
  }
  setMode(mode: 0 | 1 | 2 | 3): void {
    if (this.fvad._fvad_set_mode(this.handle, mode) !== 0) throw new Error(`bad VAD mode ${mode}`);
  }

  /** `frame`: 10, 20 or 30 ms of 16 kHz audio. */
  isSpeech(frame: Int16Array): boolean {
    if (frame.length > MAX_FRAME_SAMPLES) throw new Error('VAD frame longer than 30 ms');
    // HEAP16 is re-read every call: WASM memory growth replaces the view.
    this.fvad.HEAP16.set(frame, this.buffer >> 1);
    const result = this.fvad._fvad_process(this.handle, this.buffer, frame.length);
    if (result < 0) throw new Error(`VAD rejected a frame of ${frame.length} samples`);
    return result === 1;
  }

  dispose(): void {
    this.fvad._free(this.buffer);
    this.fvad._fvad_free(this.handle);
  }
}
