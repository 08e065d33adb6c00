/**
 * The speech models as the screen asks for them (models.list, .download,
 * .import, .activate): listings in the contract's shape, downloads announced
 * as models.progress events (at most four a second), failures with a reason
 * the screen can word.
 */
import type { EngineEvent, ModelListing, ModelProgress, Result } from '../../contract';
import type { ScopedLogger } from '../log/logger';
import { ModelError } from '../models/model-error';
import type { InstalledModel, ModelManager } from '../models/model-manager';
import { asRequestError, RequestError } from './request-error';

export interface ModelRequestsOptions {
  /** Absent: every model request answers 'unavailable'. */
  models?: ModelManager;
  log: ScopedLogger;
  broadcast(event: EngineEvent): void;
}

function installedView(model: InstalledModel): Result<'models.import'> {
  return {
    id: model.id,
    sizeBytes: model.sizeBytes,
    sampleRate: model.sampleRate,
    installedAt: model.installedAt,
    active: model.active,
    verified: model.verified,
  };
}

export class ModelRequests {
  /** Models being downloaded now (one download per model at a time). */
  private readonly downloads = new Set<string>();

  constructor(private readonly options: ModelRequestsOptions) {}

  async list(): Promise<ModelListing> {
    const listing = await this.requireModels().list();
    return {
      installed: listing.installed.map((m) => ({
        id: m.id,
        sizeBytes: m.sizeBytes,
        sampleRate: m.sampleRate,
        installedAt: m.installedAt,
        active: m.active,
        verified: m.verified,
      })),
      catalog: listing.catalog.map((c) => ({
        id: c.id,
        language: c.language,
        titleDe: c.titleDe,
        titleEn: c.titleEn,
        sizeBytes: c.sizeBytes,
        installed: c.installed,
        active: c.active,
        ...(c.wer ? { wer: { ...c.wer } } : {}),
      })),
    };
  }

  /** Starts a download (unless one of that model runs); its progress comes as events. */
  download(id: string): Result<'models.download'> {
    const models = this.requireModels();
    const downloads = this.downloads;
    if (downloads.has(id)) return { started: false };
    downloads.add(id);
    let lastEvent = 0;
    const progress = (data: Omit<ModelProgress, 'id'>): void =>
      this.options.broadcast({ event: 'models.progress', data: { id, ...data } });
    progress({ state: 'downloading', receivedBytes: 0, totalBytes: null });
    models
      .download(id, {
        onProgress: ({ receivedBytes, totalBytes }) => {
          const t = performance.now();
          if (t - lastEvent < 250) return;
          lastEvent = t;
          progress({ state: 'downloading', receivedBytes, totalBytes });
        },
      })
      .then((model) => {
        this.options.log.info(`model ${model.id} installed${model.active ? ' and active' : ''}`);
        progress({
          state: 'installed',
          receivedBytes: model.sizeBytes,
          totalBytes: model.sizeBytes,
        });
      })
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.options.log.error(`model download ${id} failed: ${message}`);
        progress({
          state: 'failed',
          receivedBytes: 0,
          totalBytes: null,
          message,
          ...(error instanceof ModelError
            ? { reason: error.code, ...(error.params ? { params: error.params } : {}) }
            : {}),
        });
      })
      .finally(() => downloads.delete(id));
    return { started: true };
  }

  /** Imports a model from a folder or a .zip file. */
  async import(path: string): Promise<Result<'models.import'>> {
    try {
      const model = path.toLowerCase().endsWith('.zip')
        ? await this.requireModels().importZip(path)
        : await this.requireModels().importFolder(path);
      this.options.log.info(`model ${model.id} imported from ${path}`);
      return installedView(model);
    } catch (error) {
      throw asRequestError('bad_request', error);
    }
  }

  /**
   * Imports a model zip that arrives as a stream (web mode's upload, see
   * web/model-upload.ts); `name` is the file's name on the person's PC.
   */
  async importUpload(
    body: AsyncIterable<Uint8Array>,
    upload: { name: string; sizeBytes?: number; signal?: AbortSignal },
  ): Promise<Result<'models.import'>> {
    const models = this.requireModels();
    try {
      const model = await models.importZipStream(body, upload);
      this.options.log.info(`model ${model.id} imported from an upload`);
      return installedView(model);
    } catch (error) {
      throw asRequestError('bad_request', error);
    }
  }

  /** The most bytes an upload may have (the largest download the manager takes). */
  get maxUploadBytes(): number {
    return this.requireModels().limits.maxDownloadBytes;
  }

  /** Makes a model the active one; answers with the listing after. */
  async activate(id: string): Promise<ModelListing> {
    try {
      await this.requireModels().setActive(id);
    } catch (error) {
      throw asRequestError('bad_request', error);
    }
    return this.list();
  }

  private requireModels(): ModelManager {
    if (!this.options.models)
      throw new RequestError('unavailable', 'model management is not available', {
        reason: 'no_model_manager',
      });
    return this.options.models;
  }
}
