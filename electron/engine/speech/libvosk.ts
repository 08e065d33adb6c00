/**
 * The C API of libvosk, bound with koffi.
 *
 * Why koffi and not the `vosk` npm package's own binding: that one uses
 * ffi-napi, which crashes inside Electron ≥ 21. We still take the shared
 * library from the `vosk` package (it ships libvosk for Linux, Windows and
 * macOS), or from the packaged app's resources, where electron-builder puts it
 * outside the asar archive (a native library cannot be loaded from inside one).
 *
 * This module must only be loaded in the speech worker process: a libvosk
 * assertion (damaged model files) calls abort() and takes the whole process
 * with it.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import koffi, { type LibraryHandle } from 'koffi';

/** Opaque handles; only ever passed back to libvosk. */
export type ModelHandle = { readonly __brand: 'VoskModel' };
export type RecognizerHandle = { readonly __brand: 'VoskRecognizer' };

export interface LibVosk {
  /** The file that was loaded (for logs). */
  readonly libraryPath: string;
  /** -1 silences Kaldi's log, 0 = info (default), > 0 = more. */
  setLogLevel(level: number): void;
  /** null when libvosk could not load the folder (it may also abort the process). */
  modelNew(modelPath: string): ModelHandle | null;
  modelFree(model: ModelHandle): void;
  /** Word id in the model's vocabulary, or -1. */
  modelFindWord(model: ModelHandle, word: string): number;
  recognizerNew(model: ModelHandle, sampleRate: number): RecognizerHandle | null;
  /** `grammarJson`: a JSON array of phrases, e.g. `["ja", "nein", "[unk]"]`. */
  recognizerNewGrammar(
    model: ModelHandle,
    sampleRate: number,
    grammarJson: string,
  ): RecognizerHandle | null;
  recognizerFree(recognizer: RecognizerHandle): void;
  recognizerReset(recognizer: RecognizerHandle): void;
  /**
   * Feeds 16-bit little-endian PCM. Returns 1 when libvosk's own endpointer
   * ended an utterance (read it with `result`), 0 otherwise, -1 on error.
   */
  acceptWaveform(recognizer: RecognizerHandle, samples: Int16Array): number;
  result(recognizer: RecognizerHandle): string;
  partialResult(recognizer: RecognizerHandle): string;
  /** Flushes the decoder: the rest of the utterance as a final result. */
  finalResult(recognizer: RecognizerHandle): string;
  setWords(recognizer: RecognizerHandle, words: boolean): void;
  setPartialWords(recognizer: RecognizerHandle, words: boolean): void;
  setMaxAlternatives(recognizer: RecognizerHandle, max: number): void;
}

/** Folder name of each platform's libvosk inside the `vosk` npm package. */
function platformLibrary(): { dir: string; file: string } | undefined {
  if (process.platform === 'linux' && process.arch === 'x64')
    return { dir: 'linux-x86_64', file: 'libvosk.so' };
  if (process.platform === 'win32' && process.arch === 'x64')
    return { dir: 'win-x86_64', file: 'libvosk.dll' };
  if (process.platform === 'darwin') return { dir: 'osx-universal', file: 'libvosk.dylib' };
  return undefined;
}

/**
 * Where to look for libvosk, in order: LOTSE_LIBVOSK (a file), the packaged
 * app's resources/vosk/, the `vosk` npm package. Each entry says why it is
 * tried, so the error for "not found" can list them.
 */
export function libvoskCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const candidates: string[] = [];
  const platform = platformLibrary();
  const override = env.LOTSE_LIBVOSK;
  if (override) candidates.push(override);
  if (!platform) return candidates;
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(path.join(resourcesPath, 'vosk', platform.file));
  try {
    // Anchored at the running script, not at import.meta: this file is also
    // bundled into a CommonJS worker, where import.meta is empty.
    const anchor = process.argv[1] ? path.resolve(process.argv[1]) : path.join(process.cwd(), 'x');
    const voskPackage = createRequire(anchor).resolve('vosk/package.json');
    candidates.push(path.join(path.dirname(voskPackage), 'lib', platform.dir, platform.file));
  } catch {
    // No vosk package next to the script: fine when resources/ or the env has it.
  }
  try {
    candidates.push(
      path.join(process.cwd(), 'node_modules', 'vosk', 'lib', platform.dir, platform.file),
    );
  } catch {
    // cwd may be gone
  }
  return [...new Set(candidates)];
}

/** Loads libvosk, or throws an Error that names every place it looked. */
export function loadLibVosk(env: NodeJS.ProcessEnv = process.env): LibVosk {
  const candidates = libvoskCandidates(env);
  if (env.LOTSE_LIBVOSK && !fs.existsSync(env.LOTSE_LIBVOSK)) {
    throw new Error(`LOTSE_LIBVOSK points to ${env.LOTSE_LIBVOSK}, which does not exist`);
  }
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) {
    const where = candidates.length > 0 ? candidates.join(', ') : '(no location known)';
    throw new Error(
      `libvosk for ${process.platform}-${process.arch} not found; looked in: ${where}. ` +
        'Set LOTSE_LIBVOSK to the library file or install the vosk npm package.',
    );
  }
  return bind(found);
}

function bind(libraryPath: string): LibVosk {
  let lib: LibraryHandle;
  try {
    lib = koffi.load(libraryPath);
  } catch (error) {
    throw new Error(`libvosk at ${libraryPath} could not be loaded: ${String(error)}`, {
      cause: error,
    });
  }
  // Distinct opaque pointer types, so a model can never be passed as a recognizer.
  // koffi registers type names globally: reuse them if bound twice in one process.
  declareOpaque('VoskModel');
  declareOpaque('VoskRecognizer');

  const setLogLevel = lib.func('void vosk_set_log_level(int level)');
  const modelNew = lib.func('VoskModel *vosk_model_new(const char *model_path)');
  const modelFree = lib.func('void vosk_model_free(VoskModel *model)');
  const modelFindWord = lib.func('int vosk_model_find_word(VoskModel *model, const char *word)');
  const recognizerNew = lib.func(
    'VoskRecognizer *vosk_recognizer_new(VoskModel *model, float sample_rate)',
  );
  const recognizerNewGrm = lib.func(
    'VoskRecognizer *vosk_recognizer_new_grm(VoskModel *model, float sample_rate, const char *grammar)',
  );
  const recognizerFree = lib.func('void vosk_recognizer_free(VoskRecognizer *recognizer)');
  const recognizerReset = lib.func('void vosk_recognizer_reset(VoskRecognizer *recognizer)');
  const acceptWaveform = lib.func(
    'int vosk_recognizer_accept_waveform(VoskRecognizer *recognizer, const void *data, int length)',
  );
  const result = lib.func('const char *vosk_recognizer_result(VoskRecognizer *recognizer)');
  const partialResult = lib.func(
    'const char *vosk_recognizer_partial_result(VoskRecognizer *recognizer)',
  );
  const finalResult = lib.func(
    'const char *vosk_recognizer_final_result(VoskRecognizer *recognizer)',
  );
  const setWords = lib.func(
    'void vosk_recognizer_set_words(VoskRecognizer *recognizer, int words)',
  );
  const setPartialWords = lib.func(
    'void vosk_recognizer_set_partial_words(VoskRecognizer *recognizer, int partial_words)',
  );
  const setMaxAlternatives = lib.func(
    'void vosk_recognizer_set_max_alternatives(VoskRecognizer *recognizer, int max_alternatives)',
  );

  return {
    libraryPath,
    setLogLevel: (level) => setLogLevel(level),
    modelNew: (modelPath) => (modelNew(modelPath) as ModelHandle | null) ?? null,
    modelFree: (model) => modelFree(model),
    modelFindWord: (model, word) => modelFindWord(model, word) as number,
    recognizerNew: (model, sampleRate) =>
      (recognizerNew(model, sampleRate) as RecognizerHandle | null) ?? null,
    recognizerNewGrammar: (model, sampleRate, grammarJson) =>
      (recognizerNewGrm(model, sampleRate, grammarJson) as RecognizerHandle | null) ?? null,
    recognizerFree: (recognizer) => recognizerFree(recognizer),
    recognizerReset: (recognizer) => recognizerReset(recognizer),
    acceptWaveform: (recognizer, samples) =>
      acceptWaveform(
        recognizer,
        // libvosk wants little-endian bytes: the platforms it ships for are all LE.
        new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength),
        samples.byteLength,
      ) as number,
    result: (recognizer) => result(recognizer) as string,
    partialResult: (recognizer) => partialResult(recognizer) as string,
    finalResult: (recognizer) => finalResult(recognizer) as string,
    setWords: (recognizer, words) => setWords(recognizer, words ? 1 : 0),
    setPartialWords: (recognizer, words) => setPartialWords(recognizer, words ? 1 : 0),
    setMaxAlternatives: (recognizer, max) => setMaxAlternatives(recognizer, max),
  };
}

function declareOpaque(name: string): void {
  try {
    koffi.type(name);
  } catch {
    koffi.opaque(name);
  }
}
