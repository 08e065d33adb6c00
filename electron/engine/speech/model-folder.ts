/**
 * Checks a Vosk model folder before libvosk sees it.
 *
 * Why: libvosk answers a damaged model with an assertion that aborts the
 * process, or with a bare NULL, and in both cases says nothing a caseworker or
 * IT could act on. The common mistakes (wrong folder picked, a zip unpacked one
 * level too deep, a file cut short, an 8 kHz telephone model) are caught here
 * with a message that names the file. What this cannot see (a file damaged in
 * the middle) still reaches libvosk, which is why it runs in its own process.
 */
import fs from 'node:fs';
import path from 'node:path';

export type ModelProblemCode = 'invalid_model' | 'wrong_sample_rate';

export class ModelFolderError extends Error {
  override readonly name = 'ModelFolderError';
  constructor(
    readonly code: ModelProblemCode,
    message: string,
  ) {
    super(message);
  }
}

export interface ModelFolderInfo {
  /** Absolute path. */
  path: string;
  /** Which graph the model has: a fixed HCLG, or HCLr+Gr (supports runtime grammars). */
  graph: 'HCLG' | 'lookahead';
  /** Whether vosk_recognizer_new_grm can restrict this model to a phrase list. */
  grammarSupported: boolean;
  /** From conf/model.conf (Kaldi default 1). libvosk assumes 3 when it reports word times. */
  frameSubsamplingFactor: number;
}

/** Smallest plausible size of am/final.mdl (a transition model alone is larger). */
const MIN_FINAL_MDL_BYTES = 200;

function nonEmptyFile(file: string): boolean {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() && stat.size > 0;
  } catch {
    return false;
  }
}

/** Reads `--name=value` lines of a Kaldi config file (comments after '#'). */
export function readKaldiConfig(text: string): Map<string, string> {
  const options = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    const match = /^--([\w.-]+)=(.*)$/.exec(line);
    if (match?.[1]) options.set(match[1], (match[2] ?? '').trim());
  }
  return options;
}

/**
 * Throws ModelFolderError unless `modelPath` looks like a usable 16 kHz Vosk
 * model: am/final.mdl, conf/model.conf, graph/HCLG.fst or graph/HCLr.fst +
 * graph/Gr.fst, graph/words.txt, and a conf/mfcc.conf at 16000 Hz if present.
 */
export function checkModelFolder(modelPath: string): ModelFolderInfo {
  const abs = path.resolve(modelPath);
  const file = (rel: string): string => path.join(abs, rel);
  let isDir = false;
  try {
    isDir = fs.statSync(abs).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new ModelFolderError('invalid_model', `Speech model folder ${abs} not found`);

  const missing = (rel: string): ModelFolderError => {
    const nested = fs
      .readdirSync(abs, { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(abs, e.name, rel)));
    const hint = nested[0]
      ? ` (it is in the subfolder ${nested[0].name}: choose that folder instead)`
      : '';
    return new ModelFolderError(
      'invalid_model',
      `Speech model in ${abs} is incomplete: ${rel} is missing or empty${hint}`,
    );
  };

  if (!nonEmptyFile(file('am/final.mdl'))) throw missing('am/final.mdl');
  if (fs.statSync(file('am/final.mdl')).size < MIN_FINAL_MDL_BYTES)
    throw new ModelFolderError(
      'invalid_model',
      `Speech model in ${abs} is damaged: am/final.mdl is only ${fs.statSync(file('am/final.mdl')).size} bytes`,
    );
  if (!nonEmptyFile(file('conf/model.conf'))) throw missing('conf/model.conf');

  let graph: ModelFolderInfo['graph'];
  if (nonEmptyFile(file('graph/HCLG.fst'))) graph = 'HCLG';
  else if (nonEmptyFile(file('graph/HCLr.fst')) && nonEmptyFile(file('graph/Gr.fst')))
    graph = 'lookahead';
  else throw missing('graph/HCLG.fst (or graph/HCLr.fst with graph/Gr.fst)');
  if (!nonEmptyFile(file('graph/words.txt'))) throw missing('graph/words.txt');
  checkFstHeader(file(graph === 'HCLG' ? 'graph/HCLG.fst' : 'graph/HCLr.fst'), abs);

  const mfcc = file('conf/mfcc.conf');
  if (fs.existsSync(mfcc)) {
    const rate = readKaldiConfig(fs.readFileSync(mfcc, 'utf8')).get('sample-frequency');
    if (rate !== undefined && Number(rate) !== 16_000) {
      throw new ModelFolderError(
        'wrong_sample_rate',
        `Speech model in ${abs} is made for ${rate} Hz audio (conf/mfcc.conf); Lotse needs a 16000 Hz model`,
      );
    }
  }
  const modelConf = readKaldiConfig(fs.readFileSync(file('conf/model.conf'), 'utf8'));
  const factor = Number(modelConf.get('frame-subsampling-factor') ?? '1');
  return {
    path: abs,
    graph,
    grammarSupported: graph === 'lookahead',
    frameSubsamplingFactor: Number.isInteger(factor) && factor > 0 ? factor : 1,
  };
}

/** OpenFst's binary header starts with this magic number (little-endian int32). */
const FST_MAGIC = 2125659606;

function checkFstHeader(fstPath: string, modelPath: string): void {
  const header = Buffer.alloc(4);
  const fd = fs.openSync(fstPath, 'r');
  try {
    fs.readSync(fd, header, 0, 4, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (header.readInt32LE(0) !== FST_MAGIC) {
    throw new ModelFolderError(
      'invalid_model',
      `Speech model in ${modelPath} is damaged: ${path.relative(modelPath, fstPath)} is not an OpenFst file`,
    );
  }
}
