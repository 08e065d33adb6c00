/** Installed and available speech models, and running downloads. */
import { problemOf, type EngineProblem } from '../bridge/engine-problem';
import { createStore } from 'zustand/vanilla';
import type { ModelListing, ModelProgress } from '../../electron/contract';
import type { EngineClient } from '../bridge/engine-client';

export interface ModelsState {
  listing?: ModelListing;
  progress: Record<string, ModelProgress>;
  error?: EngineProblem;
  refresh(): Promise<void>;
  download(id: string): Promise<void>;
  importPath(path: string): Promise<boolean>;
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
  return createStore<ModelsState>()((set, get) => ({
    progress: {},
    refresh: async () => {
      await guard(set, async () => set({ listing: await client.request('models.list', {}) }));
    },
    download: async (id) => {
      await guard(set, async () => {
        await client.request('models.download', { id });
      });
    },
    importPath: (path) =>
      guard(set, async () => {
        await client.request('models.import', { path });
        await get().refresh();
      }),
    activate: async (id) => {
      await guard(set, async () =>
        set({ listing: await client.request('models.activate', { id }) }),
      );
    },
    applyProgress(progress) {
      set({ progress: { ...get().progress, [progress.id]: progress } });
      if (progress.state === 'installed') void get().refresh();
    },
  }));
}
