/**
 * Installed and available speech models, running downloads, and the import
 * of a model the person has on disk: picked in the desktop app's open dialog
 * (the engine imports the path), uploaded from the page in web mode, or a
 * path typed by hand (IT's fallback). An import's failure is kept apart from
 * the list's, so the screen says it at the import field.
 */
import { problemOf, type EngineProblem } from '../bridge/engine-problem';
import { createStore } from 'zustand/vanilla';
import type {
  ModelDialogRequest,
  ModelListing,
  ModelProgress,
  Result,
} from '../../electron/contract';
import type { EngineClient } from '../bridge/engine-client';

/** Unpacking and checking a 2 GB model takes minutes: an import is given this long. */
const IMPORT_TIMEOUT_MS = 30 * 60_000;

export interface ModelsState {
  listing?: ModelListing;
  progress: Record<string, ModelProgress>;
  error?: EngineProblem;
  /** How a model file reaches the engine here (see EngineClient.modelFileAccess). */
  fileAccess: 'dialog' | 'upload' | 'path';
  /** An import is running (one at a time). */
  importing: boolean;
  /** Why the last import failed. */
  importError?: EngineProblem;
  /** The model the last import installed. */
  imported?: string;
  refresh(): Promise<void>;
  download(id: string): Promise<void>;
  /** Imports a model zip or folder by its path on this computer. */
  importPath(path: string): Promise<boolean>;
  /** Desktop: the open dialog, then the import of what was chosen (false: cancelled or failed). */
  chooseAndImport(request: ModelDialogRequest): Promise<boolean>;
  /** Web mode: uploads the zip the person chose in the page. */
  importFile(file: File): Promise<boolean>;
  activate(id: string): Promise<void>;
  applyProgress(progress: ModelProgress): void;
}

export function createModelsStore(client: EngineClient) {
  const guard = async (
    set: (s: Partial<ModelsState>) => void,
    work: () => Promise<void>,
  ): Promise<boolean> => {
    try {
      await work();
      set({ error: undefined });
      return true;
    } catch (error) {
      set({ error: problemOf(error) });
      return false;
    }
  };
  return createStore<ModelsState>()((set, get) => {
    /** Runs one import: the field shows it running, then what was installed or why not. */
    const runImport = async (work: () => Promise<Result<'models.import'>>): Promise<boolean> => {
      if (get().importing) return false;
      set({ importing: true, importError: undefined, imported: undefined });
      try {
        const model = await work();
        set({ importing: false, imported: model.id });
        await get().refresh();
        return true;
      } catch (error) {
        set({ importing: false, importError: problemOf(error) });
        return false;
      }
    };
    return {
      progress: {},
      fileAccess: client.modelFileAccess,
      importing: false,
      refresh: async () => {
        await guard(set, async () => set({ listing: await client.request('models.list', {}) }));
      },
      download: async (id) => {
        await guard(set, async () => {
          await client.request('models.download', { id });
        });
      },
      importPath: (path) =>
        runImport(() => client.request('models.import', { path }, IMPORT_TIMEOUT_MS)),
      chooseAndImport: async (request) => {
        if (get().importing) return false;
        let path: string | null;
        try {
          path = await client.chooseModelPath(request);
        } catch (error) {
          set({ importError: problemOf(error) });
          return false;
        }
        return path === null ? false : get().importPath(path);
      },
      importFile: (file) => runImport(() => client.uploadModel(file, file.name)),
      activate: async (id) => {
        await guard(set, async () =>
          set({ listing: await client.request('models.activate', { id }) }),
        );
      },
      applyProgress(progress) {
        set({ progress: { ...get().progress, [progress.id]: progress } });
        if (progress.state === 'installed') void get().refresh();
      },
    };
  });
}
