/**
 * Owns the speech models on this desk: <dataDir>/models/<modelId>/, plus
 * <dataDir>/models/active.json naming the one the speech engine loads.
 *
 * The rule everything here serves: a caseworker's working model is never put
 * at risk by getting a new one. A download that breaks off, a wrong file, a
 * hostile zip, a model for the wrong sample rate, a full disk or a cancel all
 * end the same way – a typed ModelError, nothing new installed, the previous
 * model still active and untouched, no half-written folders left behind.
 * That is achieved by doing all work next to the models, never in them:
 *
 *   download / copy ──> models/.partial/<id>-<random>.zip   (SHA-256 while streaming)
 *   unpack / copy   ──> models/.staging/install-<random>/   (zip checks, then validation)
 *   rename          ──> models/<id>/                        (one rename on the same file system)
 *   active.json     ──> written to a temp file, fsync'ed, renamed over the old one
 *
 * A model that replaces an installed one with the same id is first renamed
 * to models/.trash/ and only deleted after the new one is in place (and put
 * back if the rename fails). Leftovers of a crash in .partial/.staging/.trash
 * are removed when the manager starts (one engine per data folder).
 *
 * Unverified downloads are refused: a catalog model is checked against the
 * SHA-256 in catalog.ts; a catalog entry without a known hash, or a download
 * from any other URL, needs an explicit expected hash from the caller. Offline
 * imports (importZip / importFolder, for offices without internet) are
 * checked structurally; a zip is also hash-checked when the caller passes a
 * hash or when it carries the file name of a catalog download (it claims to be
 * that file, so it must be that file).
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ScopedLogger } from '../log/logger';
import { isActiveTempFile, readActiveId, writeActiveFile } from './active-model-file';
import { MODEL_CATALOG, type CatalogModel } from './catalog';
import { resolveDownload, type DownloadSpec } from './download-source';
import { downloadToFile, sha256OfFile, type DownloadProgress } from './download-to-file';
import {
  describeInstalled,
  writeModelMeta,
  type InstalledModel,
  type ModelMeta,
  type ModelSource,
} from './installed-model';
import { diskFullError, isDiskFull, ModelError } from './model-error';
import { aborted, copyTree, exists, isDirectory, randomSuffix } from './model-files';
import { measureFolder, validateModelFolder } from './model-folder';
import { checkId, checksumMismatch, ID_PATTERN, idFromName, normalizeSha256 } from './model-ids';
import { unzipSafely } from './safe-unzip';

export type { DownloadSpec } from './download-source';
export type { DownloadProgress } from './download-to-file';
export type { InstalledModel, ModelSource } from './installed-model';

export interface ModelLimits {
  /** Largest download accepted (vosk-model-de-0.21 is 2.03 GB). */
  maxDownloadBytes: number;
  /** Most files a zip or folder may hold. */
  maxEntries: number;
  /** Most bytes a model may have unpacked; catalog entries may set a lower bound. */
  maxUnpackedBytes: number;
  /** A download that receives nothing for this long is stopped. */
  idleTimeoutMs: number;
}

const GiB = 1024 * 1024 * 1024;

export const DEFAULT_MODEL_LIMITS: Readonly<ModelLimits> = {
  maxDownloadBytes: 4 * GiB,
  maxEntries: 10_000,
  maxUnpackedBytes: 8 * GiB,
  idleTimeoutMs: 60_000,
};

export interface ModelManagerOptions {
  dataDir: string;
  log: ScopedLogger;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  limits?: Partial<ModelLimits>;
}

export interface CatalogEntryView extends CatalogModel {
  installed: boolean;
  active: boolean;
}

/** What is installed and what the catalog offers (the engine turns it into the contract's ModelListing). */
export interface ModelInventory {
  installed: InstalledModel[];
  catalog: CatalogEntryView[];
}

export interface DownloadOptions {
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Expected SHA-256 that overrides (or, for sha256: null entries, supplies) the catalog's. */
  sha256?: string;
  /** Make the new model the active one (it always is when no model is active yet). */
  activate?: boolean;
}

export interface ImportOptions {
  /** Install under this id instead of the zip's top folder / the folder's name. */
  id?: string;
  /**
   * The zip's file name as the person chose it (importZip only), when the
   * file on disk has another one (an upload): it names the model when the
   * zip has no top folder and matches it to a catalog download.
   */
  name?: string;
  /** Expected SHA-256 of the zip (importZip only). */
  sha256?: string;
  activate?: boolean;
  signal?: AbortSignal;
}

export interface ActiveModel {
  id: string;
  path: string;
}

const PARTIAL = '.partial';
const STAGING = '.staging';
const TRASH = '.trash';

interface InstallFacts {
  source: ModelSource;
  origin: string | null;
  sha256: string | null;
  verified: boolean;
  activate: boolean;
  signal: AbortSignal | undefined;
}

export class ModelManager {
  readonly modelsDir: string;
  readonly limits: Readonly<ModelLimits>;
  private readonly log: ScopedLogger;
  private readonly fetchImpl: typeof fetch;
  /** Ids with an install or removal in progress. */
  private readonly busy = new Set<string>();
  private readonly listeners = new Set<(model: ActiveModel | null) => void>();

  constructor(options: ModelManagerOptions) {
    this.modelsDir = path.join(path.resolve(options.dataDir), 'models');
    this.log = options.log;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.limits = { ...DEFAULT_MODEL_LIMITS, ...options.limits };
    fs.mkdirSync(this.modelsDir, { recursive: true });
    this.removeLeftovers();
  }

  // ── reading ──────────────────────────────────────────────────────────────

  /** Installed models (sorted by id) and the catalog, each marked installed/active. */
  async list(): Promise<ModelInventory> {
    const activeId = this.activeId();
    const installed: InstalledModel[] = [];
    for (const entry of await fsp.readdir(this.modelsDir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !ID_PATTERN.test(entry.name)) continue;
      installed.push(await describeInstalled(this.modelPath(entry.name), entry.name, activeId));
    }
    installed.sort((a, b) => a.id.localeCompare(b.id));
    const catalog = MODEL_CATALOG.map((model) => ({
      ...model,
      installed: installed.some((m) => m.id === model.id),
      active: model.id === activeId,
    }));
    return { installed, catalog };
  }

  /** Id from active.json, or null when none is set or the file is unreadable. */
  activeId(): string | null {
    return readActiveId(this.modelsDir, this.log);
  }

  /**
   * Path of the active model folder, or null when none is active or its
   * folder is gone. Synchronous and cheap: the speech engine asks at start.
   */
  active(): string | null {
    const id = this.activeId();
    if (id === null) return null;
    const folder = this.modelPath(id);
    try {
      if (fs.statSync(folder).isDirectory()) return folder;
    } catch {
      // fall through
    }
    this.log.warn(`the active model ${id} is no longer installed`);
    return null;
  }

  /** Called after the active model changed (or was replaced by a new copy of itself). */
  onActiveChange(listener: (model: ActiveModel | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ── installing ───────────────────────────────────────────────────────────

  /**
   * Downloads a catalog model by id, or any model given as {id, url, sha256},
   * checks size and SHA-256, unpacks, validates and installs it.
   */
  async download(
    source: string | DownloadSpec,
    options: DownloadOptions = {},
  ): Promise<InstalledModel> {
    const spec = resolveDownload(source, options.sha256, this.limits.maxUnpackedBytes);
    return this.withLock(spec.id, async () => {
      const zipPath = path.join(await this.tempDir(PARTIAL), `${spec.id}-${randomSuffix()}.zip`);
      let staging: string | null = null;
      try {
        if (spec.expectedBytes !== null) await this.ensureFreeSpace(spec.expectedBytes);
        this.log.info(`downloading ${spec.id} from ${spec.url}`);
        const { sha256, bytes } = await downloadToFile({
          url: spec.url,
          file: zipPath,
          fetch: this.fetchImpl,
          maxBytes: this.limits.maxDownloadBytes,
          expectedBytes: spec.expectedBytes,
          idleTimeoutMs: this.limits.idleTimeoutMs,
          signal: options.signal,
          onProgress: options.onProgress,
        });
        if (sha256 !== spec.sha256) throw checksumMismatch(sha256, spec.sha256);
        this.log.info(`downloaded ${spec.id}: ${bytes} bytes, SHA-256 verified`);
        staging = await this.newStaging();
        await this.unpack(zipPath, staging, spec.maxUnpackedBytes, options.signal);
        return await this.installStaged(staging, spec.id, {
          source: 'download',
          origin: spec.url,
          sha256,
          verified: true,
          activate: options.activate === true,
          signal: options.signal,
        });
      } catch (error) {
        throw this.failed(`download of ${spec.id}`, error);
      } finally {
        await fsp.rm(zipPath, { force: true });
        if (staging !== null) await fsp.rm(staging, { recursive: true, force: true });
        await this.tidy();
      }
    });
  }

  /**
   * Installs a model zip from disk (USB stick, network share). The id is
   * `options.id`, else the zip's top folder, else the zip's file name.
   */
  async importZip(zipPath: string, options: ImportOptions = {}): Promise<InstalledModel> {
    const file = path.resolve(zipPath);
    const fileName = path.basename(options.name ?? file);
    if (options.id !== undefined) checkId(options.id);
    let staging: string | null = null;
    try {
      const catalogByName = MODEL_CATALOG.find(
        (m) => path.posix.basename(new URL(m.url).pathname) === fileName,
      );
      const expected = normalizeSha256(options.sha256 ?? catalogByName?.sha256 ?? null);
      if (options.sha256 !== undefined && expected === null) {
        throw new ModelError('unverified', `"${options.sha256}" is not a SHA-256 value.`, {
          params: { sha256: options.sha256 },
        });
      }
      let sha256: string;
      try {
        sha256 = await sha256OfFile(file, options.signal);
      } catch (cause) {
        if (cause instanceof ModelError) throw cause;
        throw new ModelError(
          'invalid_zip',
          `The zip ${file} cannot be read (${(cause as Error).message}).`,
          { params: { file }, cause },
        );
      }
      if (expected !== null && sha256 !== expected) throw checksumMismatch(sha256, expected);

      staging = await this.newStaging();
      const maxUnpacked = Math.min(
        this.limits.maxUnpackedBytes,
        catalogByName?.maxUnpackedBytes ?? Number.POSITIVE_INFINITY,
      );
      const { topFolder } = await this.unpack(file, staging, maxUnpacked, options.signal);
      const id = options.id ?? idFromName(topFolder ?? fileName.replace(/\.zip$/i, ''));
      const from = staging;
      return await this.withLock(id, () =>
        this.installStaged(from, id, {
          source: 'zip',
          origin: options.name ?? file,
          sha256,
          verified: expected !== null,
          activate: options.activate === true,
          signal: options.signal,
        }),
      );
    } catch (error) {
      throw this.failed(`import of ${file}`, error);
    } finally {
      if (staging !== null) await fsp.rm(staging, { recursive: true, force: true });
      await this.tidy();
    }
  }

  /**
   * Installs a model zip that arrives as a stream: web mode's upload, where
   * the browser can hand over the file but not its path. The bytes go to
   * models/.partial/ first (owner-only, at most `maxDownloadBytes`, removed
   * afterwards whatever happens, and at the next start should the engine
   * die meanwhile), then on through importZip. `sizeBytes` is what the
   * sender announced: checked against the limit and the free space before
   * the first byte is written, and against what arrives.
   */
  async importZipStream(
    body: AsyncIterable<Uint8Array>,
    options: ImportOptions & { name: string; sizeBytes?: number },
  ): Promise<InstalledModel> {
    const maxBytes = this.limits.maxDownloadBytes;
    const tooLarge = () =>
      new ModelError('too_large', `The upload is larger than ${maxBytes} bytes; refused.`, {
        params: { maxMb: Math.floor(maxBytes / 1e6) },
      });
    const file = path.join(await this.tempDir(PARTIAL), `upload-${randomSuffix()}.zip`);
    try {
      try {
        if (options.sizeBytes !== undefined) {
          if (options.sizeBytes > maxBytes) throw tooLarge();
          await this.ensureFreeSpace(options.sizeBytes);
        }
        let received = 0;
        const counted = async function* () {
          for await (const chunk of body) {
            received += chunk.byteLength;
            if (received > maxBytes) throw tooLarge();
            if (options.signal?.aborted) throw aborted();
            yield chunk;
          }
        };
        await pipeline(counted, fs.createWriteStream(file, { mode: 0o600, flags: 'wx' }));
        if (options.sizeBytes !== undefined && received !== options.sizeBytes) {
          throw new ModelError(
            'incomplete',
            `The upload ended after ${received} of ${options.sizeBytes} bytes.`,
            {
              params: {
                receivedMb: Math.floor(received / 1e6),
                totalMb: Math.ceil(options.sizeBytes / 1e6),
              },
            },
          );
        }
      } catch (error) {
        throw this.failed(`upload of ${options.name}`, error);
      }
      return await this.importZip(file, { ...options, name: options.name });
    } finally {
      await fsp.rm(file, { force: true });
      await this.tidy();
    }
  }

  /**
   * Installs an unpacked model folder (copied, never moved: the source stays
   * as it was). Accepts the model folder itself or a folder holding exactly
   * one model folder.
   */
  async importFolder(folderPath: string, options: ImportOptions = {}): Promise<InstalledModel> {
    if (options.id !== undefined) checkId(options.id);
    let staging: string | null = null;
    try {
      const root = await this.findModelRoot(path.resolve(folderPath));
      // Fail on the source before copying gigabytes.
      await validateModelFolder(root);
      const { sizeBytes, fileCount } = await measureFolder(root);
      if (fileCount > this.limits.maxEntries || sizeBytes > this.limits.maxUnpackedBytes) {
        throw new ModelError(
          'too_large',
          `The folder holds ${fileCount} files / ${sizeBytes} bytes, more than a speech model can.`,
          { params: { fileCount, sizeMb: Math.ceil(sizeBytes / 1e6) } },
        );
      }
      const id = options.id ?? idFromName(path.basename(root));
      return await this.withLock(id, async () => {
        await this.ensureFreeSpace(sizeBytes);
        staging = await this.newStaging();
        await copyTree(root, staging, options.signal);
        return this.installStaged(staging, id, {
          source: 'folder',
          origin: root,
          sha256: null,
          verified: false,
          activate: options.activate === true,
          signal: options.signal,
        });
      });
    } catch (error) {
      throw this.failed(`import of ${folderPath}`, error);
    } finally {
      if (staging !== null) await fsp.rm(staging, { recursive: true, force: true });
      await this.tidy();
    }
  }

  // ── choosing and removing ────────────────────────────────────────────────

  /** Validates the installed model again (it may have been touched by hand) and makes it active. */
  async setActive(id: string): Promise<void> {
    checkId(id);
    const folder = this.modelPath(id);
    if (!(await isDirectory(folder))) throw notInstalled(id);
    try {
      await validateModelFolder(folder);
    } catch (error) {
      throw this.failed(`activating ${id}`, error);
    }
    await this.writeActive(id);
  }

  /** Deletes an installed model; the active one cannot be removed. */
  async remove(id: string): Promise<void> {
    checkId(id);
    if (this.activeId() === id) {
      throw new ModelError(
        'model_active',
        `${id} is the active model; activate another one before removing it.`,
        { params: { id } },
      );
    }
    await this.withLock(id, async () => {
      const folder = this.modelPath(id);
      if (!(await isDirectory(folder))) throw notInstalled(id);
      // Rename first: a removal that is interrupted never leaves a half model under models/<id>.
      const trashed = path.join(await this.tempDir(TRASH), `${id}-${randomSuffix()}`);
      await fsp.rename(folder, trashed);
      await fsp.rm(trashed, { recursive: true, force: true });
      await this.tidy();
      this.log.info(`removed model ${id}`);
    });
  }

  // ── internals ────────────────────────────────────────────────────────────

  private modelPath(id: string): string {
    return path.join(this.modelsDir, id);
  }

  private async unpack(
    zipPath: string,
    staging: string,
    maxUnpackedBytes: number,
    signal: AbortSignal | undefined,
  ): Promise<{ topFolder: string | null }> {
    return unzipSafely(zipPath, staging, {
      maxEntries: this.limits.maxEntries,
      maxUnpackedBytes,
      signal,
      beforeExtract: (bytes) => this.ensureFreeSpace(bytes),
    });
  }

  /** Validates the staged folder, records where it came from, and renames it into place. */
  private async installStaged(
    staging: string,
    id: string,
    facts: InstallFacts,
  ): Promise<InstalledModel> {
    checkId(id);
    const info = await validateModelFolder(staging);
    if (facts.signal?.aborted) throw aborted();
    const meta: ModelMeta = {
      version: 1,
      id,
      installedAt: new Date().toISOString(),
      source: facts.source,
      origin: facts.origin,
      sha256: facts.sha256,
      verified: facts.verified,
      sampleRate: info.sampleRate,
      sizeBytes: info.sizeBytes,
    };
    await writeModelMeta(staging, meta);

    const target = this.modelPath(id);
    let previous: string | null = null;
    if (await exists(target)) {
      previous = path.join(await this.tempDir(TRASH), `${id}-${randomSuffix()}`);
      await fsp.rename(target, previous);
    }
    try {
      await fsp.rename(staging, target);
    } catch (error) {
      if (previous !== null) await fsp.rename(previous, target);
      throw error;
    }
    if (previous !== null) {
      await fsp.rm(previous, { recursive: true, force: true }).catch((error: Error) => {
        this.log.warn(`could not delete the replaced copy of ${id}: ${error.message}`);
      });
    }
    this.log.info(
      `installed model ${id} (${info.sizeBytes} bytes, ${info.fileCount} files, ${info.graph} graph, from ${facts.source})`,
    );

    // With no usable active model (first install, or its folder was deleted
    // by hand), the new one is better than none.
    const activeId = this.activeId();
    if (facts.activate || this.active() === null) await this.writeActive(id);
    else if (activeId === id) this.emit({ id, path: target });
    return describeInstalled(this.modelPath(id), id, this.activeId());
  }

  private async writeActive(id: string): Promise<void> {
    await writeActiveFile(this.modelsDir, id);
    this.log.info(`active speech model: ${id}`);
    this.emit({ id, path: this.modelPath(id) });
  }

  private emit(model: ActiveModel | null): void {
    for (const listener of this.listeners) {
      try {
        listener(model);
      } catch (error) {
        this.log.error(`active-model listener failed: ${(error as Error).message}`);
      }
    }
  }

  private async findModelRoot(folder: string): Promise<string> {
    if (!(await isDirectory(folder))) {
      throw new ModelError('invalid_model', `${folder} is not a folder.`, {
        params: { file: folder, problem: 'not_found' },
      });
    }
    if (await exists(path.join(folder, 'am'))) return folder;
    const children = (await fsp.readdir(folder, { withFileTypes: true })).filter(
      (e) => !e.name.startsWith('.') && e.name !== '__MACOSX',
    );
    const [only] = children;
    if (children.length === 1 && only?.isDirectory()) return path.join(folder, only.name);
    return folder; // validation names what is missing
  }

  private async withLock<T>(id: string, work: () => Promise<T>): Promise<T> {
    if (this.busy.has(id)) {
      throw new ModelError('busy', `${id} is being installed or removed right now.`, {
        params: { id },
      });
    }
    this.busy.add(id);
    try {
      return await work();
    } finally {
      this.busy.delete(id);
    }
  }

  private async tempDir(kind: string): Promise<string> {
    const dir = path.join(this.modelsDir, kind);
    await fsp.mkdir(dir, { recursive: true });
    return dir;
  }

  private async newStaging(): Promise<string> {
    return fsp.mkdtemp(path.join(await this.tempDir(STAGING), 'install-'));
  }

  /** Removes the work folders when they are empty (another install may still use them). */
  private async tidy(): Promise<void> {
    for (const kind of [PARTIAL, STAGING, TRASH]) {
      await fsp.rmdir(path.join(this.modelsDir, kind)).catch(() => undefined);
    }
  }

  private removeLeftovers(): void {
    for (const kind of [PARTIAL, STAGING, TRASH]) {
      const dir = path.join(this.modelsDir, kind);
      if (fs.existsSync(dir)) {
        this.log.info(`removing leftovers of an interrupted model install in models/${kind}`);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    for (const name of fs.readdirSync(this.modelsDir)) {
      if (isActiveTempFile(name)) {
        fs.rmSync(path.join(this.modelsDir, name), { force: true });
      }
    }
  }

  private async ensureFreeSpace(bytes: number): Promise<void> {
    let available: number;
    try {
      const stats = await fsp.statfs(this.modelsDir);
      available = stats.bavail * stats.bsize;
    } catch {
      return; // statfs unsupported here: the write itself will report ENOSPC
    }
    if (available < bytes) {
      throw new ModelError(
        'disk_full',
        `The model needs ${bytes} bytes, but only ${available} are free in ${this.modelsDir}.`,
        { params: { neededMb: Math.ceil(bytes / 1e6), freeMb: Math.floor(available / 1e6) } },
      );
    }
  }

  /** Logs a failed operation once and turns stray Node errors into ModelErrors where they have a meaning. */
  private failed(what: string, error: unknown): unknown {
    const mapped = isDiskFull(error) ? diskFullError(error) : error;
    if (mapped instanceof ModelError) {
      this.log.warn(`${what} failed (${mapped.code}): ${mapped.message}`);
    } else {
      this.log.error(`${what} failed: ${(mapped as Error).message ?? String(mapped)}`);
    }
    return mapped;
  }
}

function notInstalled(id: string): ModelError {
  return new ModelError('not_installed', `${id} is not installed.`, { params: { id } });
}
