/**
 * Model-shaped folders and zips for the model-manager tests. The files have
 * the structure the validator checks (Kaldi header, OpenFst header with
 * consistent sizes, conf files) but no working content: loading a real model
 * through libvosk is tested with the synthetic model elsewhere.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';

const OPENFST_MAGIC = 2125659606;

function fstString(value: string): Buffer {
  const length = Buffer.alloc(4);
  length.writeInt32LE(value.length);
  return Buffer.concat([length, Buffer.from(value, 'latin1')]);
}

/** A VectorFst-shaped OpenFst file: full header, then exactly the bytes the counts require. */
export function fstBytes(numStates: number, numArcs: number, type = 'vector'): Buffer {
  const magic = Buffer.alloc(4);
  magic.writeInt32LE(OPENFST_MAGIC);
  const tail = Buffer.alloc(4 + 4 + 8 + 8 + 8 + 8);
  tail.writeInt32LE(2, 0); // version
  tail.writeInt32LE(0, 4); // flags: no symbol tables
  tail.writeBigUInt64LE(0n, 8); // properties
  tail.writeBigInt64LE(0n, 16); // start
  tail.writeBigInt64LE(BigInt(numStates), 24);
  tail.writeBigInt64LE(BigInt(numArcs), 32);
  const body = crypto.randomBytes(numStates * 12 + numArcs * 16);
  return Buffer.concat([magic, fstString(type), fstString('standard'), tail, body]);
}

export interface ModelFolderOptions {
  sampleRate?: number | null;
  graph?: 'static' | 'lookahead';
  ivector?: boolean;
  /** Relative paths to leave out. */
  omit?: string[];
  /** Extra bytes in final.mdl, to tell two versions of a model apart. */
  marker?: string;
}

export function modelFiles(options: ModelFolderOptions = {}): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  files.set(
    'am/final.mdl',
    Buffer.concat([
      Buffer.from('\0B<TransitionModel> <Topology> ', 'latin1'),
      Buffer.from(options.marker ?? 'v1'),
      crypto.randomBytes(2048),
    ]),
  );
  files.set('conf/model.conf', Buffer.from('--min-active=200\n--endpoint.silence-phones=1\n'));
  const rate = options.sampleRate === undefined ? 16000 : options.sampleRate;
  files.set(
    'conf/mfcc.conf',
    Buffer.from(
      (rate === null ? '' : `--sample-frequency=${rate}\n`) + '--use-energy=false\n--num-ceps=13\n',
    ),
  );
  files.set('graph/words.txt', Buffer.from('<eps> 0\n[unk] 1\nja 2\nnein 3\n'));
  if ((options.graph ?? 'lookahead') === 'static') {
    files.set('graph/HCLG.fst', fstBytes(3, 4));
  } else {
    files.set('graph/HCLr.fst', fstBytes(40, 90));
    files.set('graph/Gr.fst', fstBytes(25, 60, 'const'));
    files.set('graph/disambig_tid.int', Buffer.from('1\n2\n'));
  }
  if (options.ivector) {
    for (const name of ['final.ie', 'final.dubm', 'final.mat', 'global_cmvn.stats']) {
      files.set(`ivector/${name}`, Buffer.concat([Buffer.from('\0B'), crypto.randomBytes(64)]));
    }
    files.set('ivector/splice.conf', Buffer.from('--left-context=3\n--right-context=3\n'));
    files.set('ivector/online_cmvn.conf', Buffer.alloc(0));
  }
  for (const rel of options.omit ?? []) files.delete(rel);
  return files;
}

export function writeModelFolder(dir: string, options: ModelFolderOptions = {}): string {
  for (const [rel, data] of modelFiles(options)) {
    const file = path.join(dir, ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data);
  }
  return dir;
}

export interface ZipEntry {
  name: string;
  data?: Buffer;
  /** Unix mode including the file type bits (e.g. 0o120777 for a symlink). */
  mode?: number;
  directory?: boolean;
}

/**
 * Builds a zip in memory. yazl refuses unsafe names itself, so `rename` maps
 * safe placeholder names to the hostile ones after the fact (same length,
 * patched in the local header and the central directory alike).
 */
export async function zipBuffer(
  entries: ZipEntry[],
  rename: Record<string, string> = {},
): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    if (entry.directory) zip.addEmptyDirectory(entry.name);
    else
      zip.addBuffer(
        entry.data ?? Buffer.alloc(0),
        entry.name,
        entry.mode ? { mode: entry.mode } : {},
      );
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  const buffer = Buffer.concat(chunks);
  for (const [from, to] of Object.entries(rename)) {
    if (from.length !== to.length)
      throw new Error('placeholder and real name must have equal length');
    const needle = Buffer.from(from);
    let at = buffer.indexOf(needle);
    let count = 0;
    while (at !== -1) {
      Buffer.from(to).copy(buffer, at);
      count += 1;
      at = buffer.indexOf(needle, at + needle.length);
    }
    if (count !== 2) throw new Error(`expected ${from} twice in the zip, found ${count}`);
  }
  return buffer;
}

/** A model zip; with `top` everything sits in that one folder, as in Alpha Cephei's zips. */
export async function modelZip(
  options: ModelFolderOptions & { top?: string | null } = {},
): Promise<Buffer> {
  const top = options.top === undefined ? 'vosk-model-test-0.1' : options.top;
  const entries: ZipEntry[] = [];
  if (top !== null) entries.push({ name: `${top}/`, directory: true });
  for (const [rel, data] of modelFiles(options)) {
    entries.push({ name: top === null ? rel : `${top}/${rel}`, data });
  }
  return zipBuffer(entries);
}

export function sha256(data: Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** Hash over every path and byte below `dir`: "still intact" in one comparison. */
export function treeHash(dir: string): string {
  const hash = crypto.createHash('sha256');
  const walk = (rel: string): void => {
    const full = path.join(dir, rel);
    for (const name of fs.readdirSync(full).sort()) {
      const childRel = path.join(rel, name);
      const stat = fs.lstatSync(path.join(dir, childRel));
      hash.update(childRel + '\0');
      if (stat.isDirectory()) walk(childRel);
      else hash.update(fs.readFileSync(path.join(dir, childRel)));
    }
  };
  walk('');
  return hash.digest('hex');
}
