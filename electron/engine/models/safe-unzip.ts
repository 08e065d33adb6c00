/**
 * Unpacks a model zip into an empty folder without trusting the zip. Model
 * zips come from the internet or from a USB stick handed around an office;
 * whatever is inside must not be able to write outside the target folder or
 * fill the disk:
 *   - every name is checked *before* anything is written: no `..` segment, no
 *     absolute path, no drive letter or colon, no backslash, no control
 *     characters, no empty segment (yauzl's own check is bypassed on purpose
 *     so each case gets our 'traversal' error, and backslashes are not
 *     quietly turned into folders);
 *   - symbolic links and other special files are refused (a link could point
 *     anywhere, and libvosk would follow it);
 *   - the number of entries and the sum of the announced sizes are capped,
 *     and the bytes actually inflated are counted again while writing (a zip
 *     may lie about sizes; yauzl's validateEntrySizes catches that too);
 *   - files are created with 'wx', so a duplicate entry cannot overwrite an
 *     earlier one.
 * Many model zips hold one top folder (vosk-model-small-de-0.15/am/...): that
 * folder is stripped, so the target folder itself becomes the model root, and
 * its name is reported as the model's likely id.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { diskFullError, isDiskFull, ModelError } from './model-error';

export interface UnzipLimits {
  maxEntries: number;
  maxUnpackedBytes: number;
}

export interface UnzipOptions extends UnzipLimits {
  signal?: AbortSignal;
  /** Called with the announced unpacked size before anything is written (disk-space check). */
  beforeExtract?: (announcedBytes: number) => Promise<void> | void;
}

export interface UnzipResult {
  /** The single top folder that was stripped, or null when the zip has none. */
  topFolder: string | null;
  fileCount: number;
  unpackedBytes: number;
}

interface PlannedEntry {
  entry: yauzl.Entry;
  /** Path below the target folder, with '/' separators; '' for the stripped top folder. */
  relative: string;
  isDirectory: boolean;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const MADE_BY_UNIX = 3;

function traversal(name: string, why: string): ModelError {
  return new ModelError(
    'traversal',
    `The zip contains an unsafe entry "${name}" (${why}); nothing was installed.`,
    { params: { entry: name } },
  );
}

function invalidZip(en: string, cause?: unknown): ModelError {
  return new ModelError('invalid_zip', `The zip cannot be used: ${en}.`, { cause });
}

function tooLarge(en: string): ModelError {
  return new ModelError(
    'too_large',
    `The zip is larger than a speech model can be: ${en}; nothing was installed.`,
  );
}

function aborted(): ModelError {
  return new ModelError('aborted', 'Cancelled.');
}

/** Rejects every name that could land outside the target folder. Exported for tests. */
export function checkEntryName(name: string): void {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    throw traversal(name, 'control characters');
  }
  if (name.includes('\\')) throw traversal(name, 'backslash');
  if (name.startsWith('/')) throw traversal(name, 'absolute path');
  if (/^[a-zA-Z]:/.test(name)) throw traversal(name, 'drive letter');
  if (name.includes(':')) throw traversal(name, 'colon');
  const segments = name.replace(/\/$/, '').split('/');
  if (segments.includes('..')) throw traversal(name, 'parent folder ".."');
  if (segments.some((s) => s === '' || s === '.')) {
    throw traversal(name, 'empty or "." path segment');
  }
}

function unixFileType(entry: yauzl.Entry): number {
  if (entry.versionMadeBy >> 8 !== MADE_BY_UNIX) return 0;
  return (entry.externalFileAttributes >>> 16) & S_IFMT;
}

/** macOS Finder adds these to zips it makes; they are not part of any model. */
function isFinderJunk(name: string): boolean {
  return name.startsWith('__MACOSX/') || name === '.DS_Store' || name.endsWith('/.DS_Store');
}

async function openZip(zipPath: string): Promise<yauzl.ZipFile> {
  try {
    return await new Promise<yauzl.ZipFile>((resolve, reject) => {
      yauzl.open(
        zipPath,
        { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true },
        (error, zip) => (error ? reject(error) : resolve(zip)),
      );
    });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
      throw invalidZip(`${zipPath} does not exist`, cause);
    }
    // A local file header at the start but no central directory at the end:
    // the zip was cut short (interrupted copy or download).
    const head = Buffer.alloc(4);
    try {
      const handle = await fsp.open(zipPath, 'r');
      try {
        await handle.read(head, 0, 4, 0);
      } finally {
        await handle.close();
      }
    } catch {
      // unreadable: fall through to invalid_zip
    }
    if (head.readUInt32LE(0) === 0x04034b50) {
      throw new ModelError(
        'incomplete',
        'The zip is incomplete (its end is missing); copy or download it again.',
        { cause },
      );
    }
    throw invalidZip('it is not a zip archive', cause);
  }
}

async function readEntries(zip: yauzl.ZipFile, limits: UnzipLimits): Promise<yauzl.Entry[]> {
  if (zip.entryCount > limits.maxEntries) {
    throw tooLarge(`${zip.entryCount} entries (limit ${limits.maxEntries})`);
  }
  return new Promise<yauzl.Entry[]>((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', (cause: Error) =>
      reject(
        new ModelError('incomplete', `The zip's table of contents is damaged (${cause.message}).`, {
          cause,
        }),
      ),
    );
    zip.readEntry();
  });
}

function plan(
  entries: yauzl.Entry[],
  limits: UnzipLimits,
): { planned: PlannedEntry[]; top: string | null; announced: number } {
  const named: { entry: yauzl.Entry; name: string; isDirectory: boolean }[] = [];
  let announced = 0;
  for (const entry of entries) {
    // Strict decoding: backslashes stay backslashes so checkEntryName sees them.
    const name = yauzl.getFileNameLowLevel(
      entry.generalPurposeBitFlag,
      entry.fileNameRaw,
      entry.extraFields,
      true,
    );
    checkEntryName(name);
    if (isFinderJunk(name)) continue;
    const type = unixFileType(entry);
    if (type === S_IFLNK) {
      throw traversal(name, 'symbolic link');
    }
    const isDirectory = name.endsWith('/') || type === S_IFDIR;
    if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) {
      throw traversal(name, 'special file');
    }
    if (entry.isEncrypted()) {
      throw invalidZip(`"${name}" is encrypted`);
    }
    if (!isDirectory && entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
      throw invalidZip(
        `"${name}" uses an unsupported compression method ${entry.compressionMethod}`,
      );
    }
    announced += entry.uncompressedSize;
    if (announced > limits.maxUnpackedBytes) {
      throw tooLarge(`more than ${limits.maxUnpackedBytes} bytes unpacked`);
    }
    named.push({ entry, name: name.replace(/\/$/, ''), isDirectory });
  }

  // One top folder = every entry is that folder or below it, and there is
  // something below it.
  const firstSegments = new Set(named.map((n) => n.name.split('/')[0]));
  let top: string | null = null;
  if (firstSegments.size === 1) {
    const [candidate] = firstSegments;
    const onlyFolder = named.every((n) => n.name !== candidate || n.isDirectory);
    if (candidate !== undefined && onlyFolder && named.some((n) => n.name.includes('/'))) {
      top = candidate;
    }
  }
  const planned = named.map((n) => ({
    entry: n.entry,
    relative: top === null ? n.name : n.name.slice(top.length + 1),
    isDirectory: n.isDirectory,
  }));
  return { planned, top, announced };
}

function openEntryStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream)));
  });
}

function mapExtractError(cause: unknown, name: string): ModelError {
  if (cause instanceof ModelError) return cause;
  if (isDiskFull(cause)) return diskFullError(cause);
  const error = cause as NodeJS.ErrnoException;
  if (error.code === 'EEXIST') {
    return invalidZip(`"${name}" appears twice`, cause);
  }
  if (
    error.code === 'Z_BUF_ERROR' ||
    /unexpected end|not enough bytes|too many bytes/i.test(error.message ?? '')
  ) {
    return new ModelError(
      'incomplete',
      `The zip is damaged or incomplete at "${name}" (${error.message}).`,
      { params: { entry: name }, cause },
    );
  }
  return invalidZip(`"${name}" cannot be unpacked (${error.message})`, cause);
}

export async function unzipSafely(
  zipPath: string,
  target: string,
  options: UnzipOptions,
): Promise<UnzipResult> {
  const zip = await openZip(zipPath);
  try {
    const entries = await readEntries(zip, options);
    const { planned, top, announced } = plan(entries, options);
    await options.beforeExtract?.(announced);

    const root = path.resolve(target);
    await fsp.mkdir(root, { recursive: true });
    let unpackedBytes = 0;
    let fileCount = 0;
    for (const item of planned) {
      if (options.signal?.aborted) throw aborted();
      if (item.relative === '') continue;
      const destination = path.resolve(root, ...item.relative.split('/'));
      // Belt and braces: the name checks above already make this impossible.
      if (!destination.startsWith(root + path.sep)) {
        throw traversal(item.relative, 'outside the target folder');
      }
      if (item.isDirectory) {
        await fsp.mkdir(destination, { recursive: true });
        continue;
      }
      await fsp.mkdir(path.dirname(destination), { recursive: true });
      try {
        const source = await openEntryStream(zip, item.entry);
        const counter = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            if (options.signal?.aborted) return callback(aborted());
            unpackedBytes += chunk.length;
            if (unpackedBytes > options.maxUnpackedBytes) {
              return callback(tooLarge(`more than ${options.maxUnpackedBytes} bytes unpacked`));
            }
            callback(null, chunk);
          },
        });
        await pipeline(source, counter, fs.createWriteStream(destination, { flags: 'wx' }));
      } catch (cause) {
        throw mapExtractError(cause, item.relative);
      }
      fileCount += 1;
    }
    return { topFolder: top, fileCount, unpackedBytes };
  } finally {
    zip.close();
  }
}
