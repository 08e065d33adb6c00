/**
 * The German voice: SVOX Pico compiled to WebAssembly, in-process, 16 kHz.
 *
 * Why Pico: it is the best German voice that can be shipped here (Apache-2.0
 * engine, redistributable lingware), needs no native code and speaks a
 * sentence in a few tens of milliseconds once warm.
 *
 * Life cycle: `PicoVoice.create()` loads the module, writes the two lingware
 * files into the module's in-memory file system, and runs Pico's set-up
 * (pico_initialize, loadResource ×2, createVoiceDefinition,
 * addResourceToVoiceDefinition ×2, newEngine) once; the engine is then reused
 * for every sentence. Creating it costs tens of milliseconds and ~3.5 MB of
 * WebAssembly memory, so make one per process and keep it.
 *
 * `speak()` is synchronous: Pico runs to the end of the text in one call. It
 * therefore never interleaves two texts, and the caller keeps each call short
 * (one sentence; see speech-synthesizer.ts) so the event loop is not blocked
 * for long.
 */
import fs from 'node:fs';
import { findGermanLingware, type PicoLingware } from './pico-lingware';
import { cleanSpeechText, isSpeakable, wrapInVolume } from './speech-text';
import { copyToHeap, loadWasmPackage, type EmscriptenModule } from './wasm-package';

/** Pico always synthesises at 16 kHz, mono, 16-bit. */
export const PICO_SAMPLE_RATE = 16_000;

/**
 * Pico's default volume (100) drives loud sentences into clipping (hundreds
 * of samples at ±32767 per sentence); 60 keeps the peaks at about -1 dBFS.
 */
export const DEFAULT_PICO_VOLUME = 60;

/** pico_getData: more data will follow / the engine is idle (text consumed). */
const PICO_STEP_BUSY = 201;
const PICO_STEP_IDLE = 200;
const PICO_OK = 0;
/** pico_resetEngine mode that also clears the engine's text buffers. */
const PICO_RESET_FULL = 0;
/** Working memory handed to pico_initialize (what pico2wave uses, rounded up). */
const PICO_MEMORY_BYTES = 2_500_000;
/** Output buffer for pico_getData; its size is a 16-bit number. */
const OUTPUT_BUFFER_BYTES = 4096;
/** pico_putTextUtf8 takes at most a 16-bit count of bytes per call. */
const MAX_PUT_BYTES = 32_767;
/** Pico's status strings are at most this long (PICO_RETSTRINGSIZE). */
const STATUS_MESSAGE_BYTES = 200;

/** The exports of @echogarden/svoxpico-wasm used here (picoapi.h). */
interface PicoModule extends EmscriptenModule {
  FS: { writeFile(path: string, data: Uint8Array): void; unlink(path: string): void };
  getValue(pointer: number, type: 'i8' | 'i16' | 'i32'): number;
  _pico_initialize(memory: number, size: number, outSystem: number): number;
  _pico_terminate(systemRef: number): number;
  _pico_getSystemStatusMessage(system: number, code: number, outMessage: number): number;
  _pico_loadResource(system: number, fileName: number, outResource: number): number;
  _pico_unloadResource(system: number, resourceRef: number): number;
  _pico_getResourceName(system: number, resource: number, outName: number): number;
  _pico_createVoiceDefinition(system: number, voiceName: number): number;
  _pico_addResourceToVoiceDefinition(system: number, voiceName: number, name: number): number;
  _pico_releaseVoiceDefinition(system: number, voiceName: number): number;
  _pico_newEngine(system: number, voiceName: number, outEngine: number): number;
  _pico_disposeEngine(system: number, engineRef: number): number;
  _pico_putTextUtf8(engine: number, text: number, size: number, outBytesPut: number): number;
  _pico_getData(
    engine: number,
    buffer: number,
    size: number,
    outBytesReceived: number,
    outDataType: number,
  ): number;
  _pico_resetEngine(engine: number, mode: number): number;
  _pico_getEngineStatusMessage(engine: number, code: number, outMessage: number): number;
}

export interface PicoVoiceOptions {
  /** Folder with de-DE_ta.bin and de-DE_gl0_sg.bin; default: see pico-lingware.ts. */
  lingwareDirectory?: string;
  /** Pico volume, 0–500; default 60 (see DEFAULT_PICO_VOLUME). */
  volume?: number;
  /**
   * Speak one short word during `create()`, so that the first real sentence
   * does not pay for Pico's first-use costs (~50 ms). Default true.
   */
  warmUp?: boolean;
  /** Receives the module's own diagnostic output. */
  log?: (line: string) => void;
}

/** How long set-up took, for the engine's metrics. */
export interface PicoStartupTimes {
  /** Loading and compiling the WebAssembly module. */
  moduleMs: number;
  /** Reading the lingware and Pico's own set-up (resources, voice, engine). */
  voiceMs: number;
  /** The warm-up sentence (0 when skipped). */
  warmUpMs: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class PicoVoice {
  readonly sampleRate = PICO_SAMPLE_RATE;
  private disposed = false;

  private constructor(
    private readonly module: PicoModule,
    private readonly system: number,
    private readonly engine: number,
    /** Pointers that belong to the voice and are freed by dispose(). */
    private readonly owned: {
      memory: number;
      systemRef: number;
      engineRef: number;
      voiceName: number;
      resourceRefs: number[];
      scratch: number;
    },
    private readonly volume: number,
    readonly startup: PicoStartupTimes,
  ) {}

  /** Loads Pico and the German voice; rejects with a message that says which step failed. */
  static async create(options: PicoVoiceOptions = {}): Promise<PicoVoice> {
    const volume = options.volume ?? DEFAULT_PICO_VOLUME;
    if (!Number.isFinite(volume) || volume < 0 || volume > 500) {
      throw new RangeError(`Pico volume must be 0–500, got ${volume}`);
    }
    const lingware = findGermanLingware(options.lingwareDirectory);
    const started = performance.now();
    const module = await loadWasmPackage<PicoModule>(
      '@echogarden/svoxpico-wasm',
      'svoxpico.js',
      'svoxpico.wasm',
      options.log,
    );
    const moduleLoaded = performance.now();
    const voice = await PicoVoice.open(module, lingware, volume, moduleLoaded - started);
    if (options.warmUp ?? true) {
      const warmStart = performance.now();
      voice.speak('Guten Tag. Ihre Zahlung von 563 Euro kommt am 30. November.');
      voice.startup.warmUpMs = performance.now() - warmStart;
    }
    return voice;
  }

  private static async open(
    module: PicoModule,
    lingware: PicoLingware,
    volume: number,
    moduleMs: number,
  ): Promise<PicoVoice> {
    const started = performance.now();
    const [textAnalysis, signalGeneration] = await Promise.all([
      readLingware(lingware.textAnalysisFile),
      readLingware(lingware.signalGenerationFile),
    ]);
    const files = [
      { path: '/de-DE_ta.bin', bytes: textAnalysis },
      { path: '/de-DE_gl0_sg.bin', bytes: signalGeneration },
    ];
    for (const file of files) module.FS.writeFile(file.path, file.bytes);

    const memory = module._malloc(PICO_MEMORY_BYTES);
    const systemRef = module._malloc(4);
    // Pointer-sized outputs and a shared buffer for names and status messages.
    const scratch = module._malloc(STATUS_MESSAGE_BYTES);
    if (memory === 0 || systemRef === 0 || scratch === 0) {
      throw new Error('Pico: out of WebAssembly memory during set-up');
    }
    const failed = (step: string, code: number, system: number): Error =>
      new Error(`Pico: ${step} failed (${code}: ${systemMessage(module, system, code, scratch)})`);

    let code = module._pico_initialize(memory, PICO_MEMORY_BYTES, systemRef);
    if (code !== PICO_OK) throw failed('pico_initialize', code, 0);
    const system = module.getValue(systemRef, 'i32');

    const resourceRefs: number[] = [];
    const resourceNames: number[] = [];
    for (const file of files) {
      const fileName = copyToHeap(module, encoder.encode(`${file.path}\0`));
      const resourceRef = module._malloc(4);
      code = module._pico_loadResource(system, fileName, resourceRef);
      module._free(fileName);
      if (code !== PICO_OK) throw failed(`loading ${file.path.slice(1)}`, code, system);
      resourceRefs.push(resourceRef);
      const name = module._malloc(64);
      code = module._pico_getResourceName(system, module.getValue(resourceRef, 'i32'), name);
      if (code !== PICO_OK) throw failed('pico_getResourceName', code, system);
      resourceNames.push(name);
    }
    // Resource data now lives in Pico's memory; the file copies are not needed.
    for (const file of files) module.FS.unlink(file.path);

    const voiceName = copyToHeap(module, encoder.encode('Lotse-de-DE\0'));
    code = module._pico_createVoiceDefinition(system, voiceName);
    if (code !== PICO_OK) throw failed('pico_createVoiceDefinition', code, system);
    for (const name of resourceNames) {
      code = module._pico_addResourceToVoiceDefinition(system, voiceName, name);
      module._free(name);
      if (code !== PICO_OK) throw failed('pico_addResourceToVoiceDefinition', code, system);
    }
    const engineRef = module._malloc(4);
    code = module._pico_newEngine(system, voiceName, engineRef);
    if (code !== PICO_OK) throw failed('pico_newEngine', code, system);
    const engine = module.getValue(engineRef, 'i32');

    return new PicoVoice(
      module,
      system,
      engine,
      { memory, systemRef, engineRef, voiceName, resourceRefs, scratch },
      volume,
      { moduleMs, voiceMs: performance.now() - started, warmUpMs: 0 },
    );
  }

  /**
   * Speaks `text` (plain text, typically one sentence) and returns its 16 kHz
   * PCM. The text is cleaned first (no Pico markup can get through); text with
   * nothing to say gives an empty array.
   */
  speak(text: string): Int16Array {
    if (this.disposed) throw new Error('Pico: the voice has been disposed');
    const cleaned = cleanSpeechText(text);
    if (!cleaned || !isSpeakable(cleaned)) return new Int16Array(0);
    return this.render(wrapInVolume(cleaned, this.volume));
  }

  /** Feeds `markup` to the engine and drains its audio; resets the engine on any error. */
  private render(markup: string): Int16Array {
    const m = this.module;
    // The terminating NUL tells Pico the text is complete, so it flushes.
    const bytes = encoder.encode(`${markup}\0`);
    const text = copyToHeap(m, bytes);
    const output = m._malloc(OUTPUT_BUFFER_BYTES);
    const counters = m._malloc(8); // bytesPut / bytesReceived (int16), dataType (int16)
    const chunks: Int16Array[] = [];
    let total = 0;
    try {
      for (let offset = 0; offset < bytes.length;) {
        const size = Math.min(MAX_PUT_BYTES, bytes.length - offset);
        const code = m._pico_putTextUtf8(this.engine, text + offset, size, counters);
        if (code !== PICO_OK) throw this.engineError('pico_putTextUtf8', code);
        const put = m.getValue(counters, 'i16');
        offset += put;
        // Drain until idle: Pico only accepts more text once its buffers are empty.
        for (;;) {
          const status = m._pico_getData(
            this.engine,
            output,
            OUTPUT_BUFFER_BYTES,
            counters + 2,
            counters + 4,
          );
          if (status !== PICO_STEP_BUSY && status !== PICO_STEP_IDLE) {
            throw this.engineError('pico_getData', status);
          }
          const received = m.getValue(counters + 2, 'i16');
          if (received > 0) {
            // Copy out: the heap view may be replaced when memory grows.
            const samples = new Int16Array(received >> 1);
            samples.set(m.HEAP16.subarray(output >> 1, (output >> 1) + samples.length));
            chunks.push(samples);
            total += samples.length;
          }
          if (status === PICO_STEP_IDLE) break;
        }
        if (put === 0 && offset < bytes.length) {
          throw new Error('Pico: the engine accepted no text (pico_putTextUtf8 put 0 bytes)');
        }
      }
    } catch (error) {
      m._pico_resetEngine(this.engine, PICO_RESET_FULL);
      throw error;
    } finally {
      m._free(text);
      m._free(output);
      m._free(counters);
    }
    const pcm = new Int16Array(total);
    let at = 0;
    for (const chunk of chunks) {
      pcm.set(chunk, at);
      at += chunk.length;
    }
    return pcm;
  }

  private engineError(step: string, code: number): Error {
    const m = this.module;
    m._pico_getEngineStatusMessage(this.engine, code, this.owned.scratch);
    return new Error(`Pico: ${step} failed (${code}: ${readCString(m, this.owned.scratch)})`);
  }

  /** Releases the engine, the voice and Pico's memory. The voice cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const m = this.module;
    const { memory, systemRef, engineRef, voiceName, resourceRefs, scratch } = this.owned;
    m._pico_disposeEngine(this.system, engineRef);
    m._pico_releaseVoiceDefinition(this.system, voiceName);
    for (const ref of resourceRefs) m._pico_unloadResource(this.system, ref);
    m._pico_terminate(systemRef);
    for (const pointer of [engineRef, voiceName, ...resourceRefs, scratch, systemRef, memory]) {
      m._free(pointer);
    }
  }
}

async function readLingware(file: string): Promise<Uint8Array> {
  try {
    return await fs.promises.readFile(file);
  } catch (error) {
    throw new Error(`Pico: cannot read the voice file ${file}: ${String(error)}`, {
      cause: error,
    });
  }
}

function systemMessage(module: PicoModule, system: number, code: number, buffer: number): string {
  if (system === 0) return 'no details';
  module._pico_getSystemStatusMessage(system, code, buffer);
  return readCString(module, buffer) || 'no details';
}

function readCString(module: EmscriptenModule, pointer: number): string {
  const heap = module.HEAPU8;
  let end = pointer;
  while (end < heap.length && heap[end] !== 0) end++;
  return decoder.decode(heap.subarray(pointer, end));
}
