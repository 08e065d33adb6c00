/**
 * What a usable Vosk model folder is, checked before libvosk sees it.
 *
 * Why: libvosk answers a missing or damaged file with a C++ assertion that
 * aborts the process, or with a bare NULL, and in both cases says nothing a
 * caseworker or IT could act on (that is why it runs in a process of its own,
 * speech/speech-worker.ts). The common mistakes – the wrong folder picked, a
 * zip unpacked one level too deep, a file cut short, an 8 kHz telephone model –
 * become a ModelError here that names the file.
 *
 * One set of rules, two depths:
 *   - thorough, when a model is installed or activated (model-manager.ts):
 *     also proves that the OpenFst graphs are as long as their headers say
 *     and refuses symbolic links (they could point anywhere);
 *   - quick, every time the speech process loads a model (speech-service.ts,
 *     speech-worker.ts): the same files and headers, without reading the
 *     graph's length; what it lets through still reaches libvosk, in its own
 *     process.
 *
 * The files (what libvosk's Model constructor opens):
 *   am/final.mdl                     Kaldi acoustic model, starts with <TransitionModel>
 *   conf/model.conf, conf/mfcc.conf  decoder and feature options
 *   graph/HCLG.fst  or  graph/HCLr.fst + graph/Gr.fst   OpenFst binaries
 *   graph/words.txt                  the words the recogniser writes
 *   ivector/ (optional)              when final.ie is there, the files it needs
 * Every required file must be a regular, readable, non-empty file. The sample
 * rate comes from `--sample-frequency` in mfcc.conf (Kaldi's default, 16000,
 * when the line is missing) and must be 16000: Lotse resamples all telephone
 * audio to 16 kHz, and a model trained for 8 kHz audio would silently produce
 * garbage.
 */
import fs, { type Stats } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { ModelFileProblem } from '../../contract';
import { ModelError } from './model-error';

export const REQUIRED_SAMPLE_RATE = 16000;

/** Kaldi's default for --sample-frequency when mfcc.conf does not set it. */
const KALDI_DEFAULT_SAMPLE_RATE = 16000;
/** OpenFst's FstHeader magic number (fst/fst.h kFstMagicNumber). */
const OPENFST_MAGIC = 2125659606;
/** Smallest plausible size of am/final.mdl (a transition model alone is larger). */
const MIN_FINAL_MDL_BYTES = 200;

export interface ModelFolderInfo {
  /** Absolute path. */
  path: string;
  /** Which graph the model has: a fixed HCLG, or HCLr+Gr (supports runtime grammars). */
  graph: 'HCLG' | 'lookahead';
  /** Whether vosk_recognizer_new_grm can restrict this model to a phrase list. */
  grammarSupported: boolean;
  /** From conf/model.conf (Kaldi default 1). libvosk assumes 3 when it reports word times. */
  frameSubsamplingFactor: number;
  /** From conf/mfcc.conf: always REQUIRED_SAMPLE_RATE once the check passed. */
  sampleRate: number;
  hasIvector: boolean;
}

export interface ModelFolderCheck {
  /** Installing or activating: prove the graphs' length, refuse symbolic links. */
  thorough?: boolean;
}

/** Reads `--name=value` lines of a Kaldi config file (comments after '#'; the last occurrence wins). */
export function readKaldiConfig(text: string): Map<string, string> {
  const options = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    const match = /^--([\w.-]+)\s*=\s*(.*)$/.exec(line);
    if (match?.[1]) options.set(match[1], (match[2] ?? '').trim());
  }
  return options;
}

/** The sample rate a Kaldi feature config asks for; NaN when the value is not a positive number. */
export function parseSampleRate(mfccConf: string): number {
  const value = readKaldiConfig(mfccConf).get('sample-frequency');
  if (value === undefined) return KALDI_DEFAULT_SAMPLE_RATE;
  const rate = /^[0-9.eE+-]+$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(rate) && rate > 0 ? rate : NaN;
}

export async function readModelSampleRate(root: string): Promise<number> {
  return parseSampleRate(await fsp.readFile(path.join(root, 'conf/mfcc.conf'), 'utf8'));
}

/**
 * Throws ModelError ('invalid_model', 'wrong_sample_rate'; 'traversal' for a
 * symbolic link when thorough) unless `modelPath` is a usable 16 kHz Vosk
 * model. Synchronous: the speech service checks before it starts a worker.
 */
export function checkModelFolder(modelPath: string, check: ModelFolderCheck = {}): ModelFolderInfo {
  return new FolderCheck(path.resolve(modelPath), check.thorough === true).run();
}

/** The thorough check, with the folder's size and file count (installing). */
export async function validateModelFolder(
  root: string,
): Promise<ModelFolderInfo & { sizeBytes: number; fileCount: number }> {
  const info = checkModelFolder(root, { thorough: true });
  return { ...info, ...(await measureFolder(root)) };
}

/** Total size and count of regular files below `root`; a symbolic link is an error. */
export async function measureFolder(
  root: string,
): Promise<{ sizeBytes: number; fileCount: number }> {
  let sizeBytes = 0;
  let fileCount = 0;
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) throw symbolicLink(path.relative(root, full));
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        fileCount += 1;
        sizeBytes += (await fsp.stat(full)).size;
      }
    }
  };
  await walk(root);
  return { sizeBytes, fileCount };
}

function symbolicLink(rel: string): ModelError {
  return new ModelError('traversal', `The model contains a symbolic link (${rel}); refusing it.`, {
    params: { entry: rel },
  });
}

/** One check of one folder: the rules in the order a person would fix them. */
class FolderCheck {
  constructor(
    private readonly root: string,
    private readonly thorough: boolean,
  ) {}

  run(): ModelFolderInfo {
    const rootStat = this.stat(this.root);
    if (!rootStat?.isDirectory()) {
      throw new ModelError('invalid_model', `Speech model folder ${this.root} not found.`, {
        params: { file: this.root, problem: 'not_found' },
      });
    }
    this.acousticModel();
    this.file('conf/model.conf');
    this.file('conf/mfcc.conf');

    let graph: ModelFolderInfo['graph'];
    if (this.exists('graph/HCLG.fst')) {
      graph = 'HCLG';
      this.fst('graph/HCLG.fst');
    } else if (this.exists('graph/HCLr.fst') || this.exists('graph/Gr.fst')) {
      graph = 'lookahead';
      this.fst('graph/HCLr.fst');
      this.fst('graph/Gr.fst');
    } else {
      throw this.incomplete('graph/', 'has neither HCLG.fst nor HCLr.fst + Gr.fst', 'no_graph');
    }
    this.file('graph/words.txt');

    const hasIvector = this.stat(this.path('ivector'))?.isDirectory() === true;
    if (hasIvector && this.exists('ivector/final.ie')) {
      // The files libvosk opens when final.ie is present (vosk model.cc).
      for (const rel of ['final.ie', 'final.dubm', 'final.mat', 'global_cmvn.stats']) {
        this.file(`ivector/${rel}`);
      }
      for (const rel of ['splice.conf', 'online_cmvn.conf']) {
        this.file(`ivector/${rel}`, { allowEmpty: true });
      }
    }

    const sampleRate = parseSampleRate(this.read('conf/mfcc.conf'));
    if (sampleRate !== REQUIRED_SAMPLE_RATE) {
      const shown = Number.isNaN(sampleRate) ? 'an unreadable value' : `${sampleRate} Hz audio`;
      throw new ModelError(
        'wrong_sample_rate',
        `Speech model in ${this.root} is trained for ${shown} (conf/mfcc.conf), but Lotse feeds ` +
          `it ${REQUIRED_SAMPLE_RATE} Hz audio: use a ${REQUIRED_SAMPLE_RATE} Hz model.`,
        { params: { sampleRate: Number.isNaN(sampleRate) ? 'unreadable' : sampleRate } },
      );
    }
    const factor = Number(
      readKaldiConfig(this.read('conf/model.conf')).get('frame-subsampling-factor') ?? '1',
    );
    return {
      path: this.root,
      graph,
      grammarSupported: graph === 'lookahead',
      frameSubsamplingFactor: Number.isInteger(factor) && factor > 0 ? factor : 1,
      sampleRate,
      hasIvector,
    };
  }

  /** Kaldi model files start with "\0B" (binary) or directly with the token (text). */
  private acousticModel(): void {
    const rel = 'am/final.mdl';
    const size = this.file(rel);
    const head = this.head(rel, 64).toString('latin1');
    const body = head.startsWith('\0B') ? head.slice(2) : head;
    if (!body.trimStart().startsWith('<TransitionModel>')) {
      throw this.damaged(
        rel,
        'does not start like a Kaldi acoustic model (<TransitionModel>)',
        'not_kaldi',
      );
    }
    if (size < MIN_FINAL_MDL_BYTES) throw this.damaged(rel, `is only ${size} bytes`, 'too_small');
  }

  /**
   * An OpenFst binary: the magic number always. Thorough: the header (magic,
   * fst type, arc type, version, flags, properties, start, #states, #arcs)
   * and, for the two layouts whose minimum size follows from the counts, that
   * the file is not cut short: a VectorFst stores 12 bytes per state (final
   * weight + arc count) and 16 per arc; a ConstFst at least as much. Other
   * types (ngram, lookahead) are only checked for the magic.
   */
  private fst(rel: string): void {
    const size = this.file(rel);
    const head = this.head(rel, 256);
    const bad = (): ModelError =>
      this.damaged(rel, 'is not an OpenFst file or is damaged', 'not_openfst');
    if (head.length < 4 || head.readInt32LE(0) !== OPENFST_MAGIC) throw bad();
    if (!this.thorough) return;
    let offset = 4;
    const readString = (): string => {
      if (offset + 4 > head.length) throw bad();
      const length = head.readInt32LE(offset);
      offset += 4;
      if (length < 0 || length > 64 || offset + length > head.length) throw bad();
      const value = head.toString('latin1', offset, offset + length);
      offset += length;
      return value;
    };
    const fstType = readString();
    readString(); // arc type
    if (offset + 4 + 4 + 8 + 8 + 8 + 8 > head.length) {
      if (size <= head.length) throw this.truncated(rel);
      throw bad();
    }
    offset += 4; // version
    const flags = head.readInt32LE(offset);
    offset += 4 + 8; // flags, properties
    offset += 8; // start
    const numStates = head.readBigInt64LE(offset);
    offset += 8;
    const numArcs = head.readBigInt64LE(offset);
    offset += 8;
    const hasSymbolTables = (flags & 0b11) !== 0;
    if ((fstType === 'vector' || fstType === 'const') && !hasSymbolTables) {
      if (numStates >= 0n && numArcs >= 0n) {
        const minimum = BigInt(offset) + numStates * 12n + numArcs * 16n;
        if (BigInt(size) < minimum) throw this.truncated(rel);
      }
    }
  }

  /** A required file: present, regular, readable, and not empty unless allowed. Returns its size. */
  private file(rel: string, options: { allowEmpty?: boolean } = {}): number {
    const stat = this.stat(this.path(rel));
    if (!stat) throw this.incomplete(rel, `is missing${this.nestedHint(rel)}`, 'missing');
    if (stat.isSymbolicLink()) throw symbolicLink(rel);
    if (!stat.isFile()) throw this.damaged(rel, 'is not a file', 'not_a_file');
    if (stat.size === 0 && !options.allowEmpty) throw this.incomplete(rel, 'is empty', 'empty');
    // Opening proves it is readable by us (permissions, locked files on Windows).
    this.head(rel, 1);
    return stat.size;
  }

  /** Thorough: lstat, so a symbolic link is seen as one; quick: stat, following it. */
  private stat(file: string): Stats | null {
    try {
      return this.thorough ? fs.lstatSync(file) : fs.statSync(file);
    } catch {
      return null;
    }
  }

  private exists(rel: string): boolean {
    return this.stat(this.path(rel)) !== null;
  }

  private path(rel: string): string {
    return path.join(this.root, rel);
  }

  private read(rel: string): string {
    return fs.readFileSync(this.path(rel), 'utf8');
  }

  /** The first `length` bytes; invalid_model when the file cannot be read. */
  private head(rel: string, length: number): Buffer {
    let fd: number | undefined;
    try {
      fd = fs.openSync(this.path(rel), 'r');
      const buffer = Buffer.alloc(length);
      const bytesRead = fs.readSync(fd, buffer, 0, length, 0);
      return buffer.subarray(0, bytesRead);
    } catch (cause) {
      throw new ModelError(
        'invalid_model',
        `Speech model in ${this.root} is damaged: ${rel} cannot be read (${(cause as Error).message}).`,
        { params: { file: rel, problem: 'unreadable' }, cause },
      );
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  /** " (it is in the subfolder X: choose that folder instead)" when a zip was unpacked one level too deep. */
  private nestedHint(rel: string): string {
    let nested: string | undefined;
    try {
      nested = fs
        .readdirSync(this.root, { withFileTypes: true })
        .find((e) => e.isDirectory() && fs.existsSync(path.join(this.root, e.name, rel)))?.name;
    } catch {
      nested = undefined;
    }
    return nested ? ` (it is in the subfolder ${nested}: choose that folder instead)` : '';
  }

  private incomplete(rel: string, what: string, problem: ModelFileProblem): ModelError {
    return new ModelError(
      'invalid_model',
      `Speech model in ${this.root} is incomplete: ${rel} ${what}.`,
      { params: { file: rel, problem } },
    );
  }

  private damaged(rel: string, what: string, problem: ModelFileProblem): ModelError {
    return new ModelError(
      'invalid_model',
      `Speech model in ${this.root} is damaged: ${rel} ${what}.`,
      {
        params: { file: rel, problem },
      },
    );
  }

  private truncated(rel: string): ModelError {
    return this.damaged(rel, 'is shorter than its header says (truncated copy?)', 'truncated');
  }
}
