/** Account settings as loaded from and saved to the engine's settings store. */
import { problemOf, type EngineProblem } from '../bridge/engine-problem';
import { createStore } from 'zustand/vanilla';
import type { AccountInput, AccountView } from '../../electron/contract';
import type { EngineClient } from '../bridge/engine-client';

export interface SettingsState {
  account?: AccountView;
  loading: boolean;
  saving: boolean;
  error?: EngineProblem;
  load(): Promise<AccountView | undefined>;
  save(input: AccountInput): Promise<AccountView | undefined>;
}

export function createSettingsStore(client: EngineClient) {
  return createStore<SettingsState>()((set) => ({
    loading: false,
    saving: false,
    async load() {
      set({ loading: true });
      try {
        const account = await client.request('settings.getAccount', {});
        set({ account, loading: false, error: undefined });
        return account;
      } catch (error) {
        set({ loading: false, error: problemOf(error) });
        return undefined;
      }
    },
    async save(input) {
      set({ saving: true });
      try {
        const account = await client.request('settings.saveAccount', { account: input });
        set({ account, saving: false, error: undefined });
        return account;
      } catch (error) {
        set({ saving: false, error: problemOf(error) });
        return undefined;
      }
    },
  }));
}
