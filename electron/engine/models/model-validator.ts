/**
 * Checks that a folder is a Vosk model libvosk can load, before it is installed
 * or activated. libvosk answers a missing or damaged file with an assertion
 * that kills the whole process (see TESTBED.md); the speech child process
 * survives that, but the caller would only learn "the recognizer died". Here
 * the same problems become a clear ModelError naming the file.
 *
 * What is checked (the files libvosk's Model constructor opens):
 *   am/final.mdl                     Kaldi acoustic model, starts with <TransitionModel>
 *   conf/model.conf, conf/mfcc.conf  decoder and feature options
 *   graph/HCLG.fst  or  graph/HCLr.fst + graph/Gr.fst   OpenFst binaries
 *   ivector/ (optional)              when final.ie is there, the files it needs
 * Every required file must be a regular, readable, non-empty file. OpenFst
 * files must start with the OpenFst magic, and "vector"/"const" FSTs must be
 * at least as long as their header says (a truncated copy is caught here, not
 * in libvosk). The sample rate comes from `--sample-frequency` in mfcc.conf
 * (Kaldi's default, 16000, when the line is missing) and must be 16000:
 * Lotse resamples all telephone audio to 16 kHz, and a model trained for 8 kHz
 * audio would silently produce garbage.
 */
import type { Stats } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ModelError } from './model-error';

export const REQUIRED_SAMPLE_RATE = 16000;

/** Kaldi's default for --sample-frequency when mfcc.conf does not set it. */
const KALDI_DEFAULT_SAMPLE_RATE = 16000;
/** OpenFst's FstHeader magic number (fst/fst.h kFstMagicNumber). */
const OPENFST_MAGIC = 2125659606;

export interface ModelFolderInfo {
  sampleRate: number;
  sizeBytes: number;
  fileCount: number;
  /** 'static' = HCLG.fst, 'lookahead' = HCLr.fst + Gr.fst (small models). */
  graph: 'static' | 'lookahead';
  hasIvector: boolean;
}

function invalid(file: string, en: string, de: string): ModelError {
  return new ModelError(
    'invalid_model',
    `Not a usable Vosk model: ${file} ${en}.`,
    `Kein brauchbares Vosk-Modell: ${file} ${de}.`,
  );
}

async function statOrNull(p: string): Promise<Stats | null> {
  try {
    return await fs.lstat(p);
  } catch {
    return null;
  }
}

/** Reads the first `length` bytes; throws invalid_model when the file cannot be read. */
async function readHead(root: string, rel: string, length: number): Promise<Buffer> {
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(path.join(root, rel), 'r');
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } catch (cause) {
    throw new ModelError(
      'invalid_model',
      `Not a usable Vosk model: ${rel} cannot be read (${(cause as Error).message}).`,
      `Kein brauchbares Vosk-Modell: ${rel} kann nicht gelesen werden.`,
      { cause },
    );
  } finally {
    await handle?.close();
  }
}

async function requireFile(
  root: string,
  rel: string,
  opts: { allowEmpty?: boolean } = {},
): Promise<number> {
  const stat = await statOrNull(path.join(root, rel));
  if (!stat) throw invalid(rel, 'is missing', 'fehlt');
  if (stat.isSymbolicLink()) throw invalid(rel, 'is a symbolic link', 'ist eine Verknüpfung');
  if (!stat.isFile()) throw invalid(rel, 'is not a file', 'ist keine Datei');
  if (stat.size === 0 && !opts.allowEmpty) throw invalid(rel, 'is empty', 'ist leer');
  // Opening proves it is readable by us (permissions, locked files on Windows).
  await readHead(root, rel, 1);
  return stat.size;
}

/** Kaldi model files start with "\0B" (binary) or directly with the token (text). */
async function checkAcousticModel(root: string): Promise<void> {
  const rel = 'am/final.mdl';
  await requireFile(root, rel);
  const head = (await readHead(root, rel, 64)).toString('latin1');
  const body = head.startsWith('\0B') ? head.slice(2) : head;
  if (!body.trimStart().startsWith('<TransitionModel>')) {
    throw invalid(
      rel,
      'does not start like a Kaldi acoustic model (<TransitionModel>)',
      'beginnt nicht wie ein Kaldi-Akustikmodell (<TransitionModel>)',
    );
  }
}

/**
 * Parses the OpenFst header (magic, fst type, arc type, version, flags,
 * properties, start, #states, #arcs) and, for the two layouts whose minimum
 * size follows from the counts, checks the file is not cut short: a
 * VectorFst stores 12 bytes per state (final weight + arc count) and 16 per
 * arc; a ConstFst stores at least as much. Other types (ngram, lookahead) are
 * only checked for the magic.
 */
async function checkFst(root: string, rel: string): Promise<void> {
  const size = await requireFile(root, rel);
  const head = await readHead(root, rel, 256);
  const bad = (): ModelError =>
    invalid(rel, 'is not an OpenFst file or is damaged', 'ist keine OpenFst-Datei oder beschädigt');
  if (head.length < 4 || head.readInt32LE(0) !== OPENFST_MAGIC) throw bad();
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
    if (size <= head.length) throw truncated(rel);
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
      if (BigInt(size) < minimum) throw truncated(rel);
    }
  }
}

function truncated(rel: string): ModelError {
  return new ModelError(
    'invalid_model',
    `Not a usable Vosk model: ${rel} is shorter than its header says (truncated copy?).`,
    `Kein brauchbares Vosk-Modell: ${rel} ist kürzer als angegeben (unvollständig kopiert?).`,
  );
}

/**
 * The sample rate a Kaldi feature config asks for. Options are one per line
 * (`--sample-frequency=8000`), `#` starts a comment, and as in Kaldi's option
 * parser the last occurrence wins.
 */
export function parseSampleRate(mfccConf: string): number {
  let rate = KALDI_DEFAULT_SAMPLE_RATE;
  for (const raw of mfccConf.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    const match = /^--sample-frequency\s*=\s*([0-9.eE+-]+)$/.exec(line);
    if (match?.[1] !== undefined) {
      const value = Number(match[1]);
      if (!Number.isFinite(value) || value <= 0) return NaN;
      rate = value;
    }
  }
  return rate;
}

export async function readModelSampleRate(root: string): Promise<number> {
  return parseSampleRate(await fs.readFile(path.join(root, 'conf/mfcc.conf'), 'utf8'));
}

/** Total size and count of regular files below `root`; symlinks are an error. */
export async function measureFolder(
  root: string,
): Promise<{ sizeBytes: number; fileCount: number }> {
  let sizeBytes = 0;
  let fileCount = 0;
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        throw new ModelError(
          'traversal',
          `The model contains a symbolic link (${path.relative(root, full)}); refusing it.`,
          `Das Modell enthält eine Verknüpfung (${path.relative(root, full)}); abgelehnt.`,
        );
      }
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        fileCount += 1;
        sizeBytes += (await fs.stat(full)).size;
      }
    }
  };
  await walk(root);
  return { sizeBytes, fileCount };
}

export async function validateModelFolder(root: string): Promise<ModelFolderInfo> {
  const rootStat = await statOrNull(root);
  if (!rootStat?.isDirectory()) {
    throw new ModelError(
      'invalid_model',
      `Not a usable Vosk model: ${root} is not a folder.`,
      `Kein brauchbares Vosk-Modell: ${root} ist kein Ordner.`,
    );
  }
  await checkAcousticModel(root);
  await requireFile(root, 'conf/model.conf');
  await requireFile(root, 'conf/mfcc.conf');

  let graph: ModelFolderInfo['graph'];
  if (await statOrNull(path.join(root, 'graph/HCLG.fst'))) {
    graph = 'static';
    await checkFst(root, 'graph/HCLG.fst');
  } else if (
    (await statOrNull(path.join(root, 'graph/HCLr.fst'))) ||
    (await statOrNull(path.join(root, 'graph/Gr.fst')))
  ) {
    graph = 'lookahead';
    await checkFst(root, 'graph/HCLr.fst');
    await checkFst(root, 'graph/Gr.fst');
  } else {
    throw invalid(
      'graph/',
      'has neither HCLG.fst nor HCLr.fst + Gr.fst',
      'enthält weder HCLG.fst noch HCLr.fst + Gr.fst',
    );
  }

  const ivector = await statOrNull(path.join(root, 'ivector'));
  const hasIvector = ivector?.isDirectory() === true;
  if (hasIvector && (await statOrNull(path.join(root, 'ivector/final.ie')))) {
    // The files libvosk opens when final.ie is present (vosk model.cc).
    for (const rel of ['final.ie', 'final.dubm', 'final.mat', 'global_cmvn.stats']) {
      await requireFile(root, `ivector/${rel}`);
    }
    for (const rel of ['splice.conf', 'online_cmvn.conf']) {
      await requireFile(root, `ivector/${rel}`, { allowEmpty: true });
    }
  }

  const sampleRate = await readModelSampleRate(root);
  if (sampleRate !== REQUIRED_SAMPLE_RATE) {
    const shown = Number.isNaN(sampleRate) ? 'an unreadable value' : `${sampleRate} Hz`;
    const shownDe = Number.isNaN(sampleRate) ? 'einen unlesbaren Wert' : `${sampleRate} Hz`;
    throw new ModelError(
      'wrong_sample_rate',
      `The model is trained for ${shown} (conf/mfcc.conf), but Lotse feeds it 16000 Hz audio; use a 16 kHz model.`,
      `Das Modell ist für ${shownDe} trainiert (conf/mfcc.conf), Lotse liefert aber 16000-Hz-Audio; bitte ein 16-kHz-Modell verwenden.`,
    );
  }

  const { sizeBytes, fileCount } = await measureFolder(root);
  return { sampleRate, sizeBytes, fileCount, graph, hasIvector };
}
