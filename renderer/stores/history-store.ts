/**
 * The call history as the history panel shows it: the agent's filters, the
 * current page and its total. The engine keeps the history and searches it
 * (`history.list`); this store only asks, and asks again when the engine says
 * the history changed (`history.changed`) or the engine is back after a
 * restart. Replies to older questions are dropped, so fast typing in the
 * search box never shows a stale list.
 */
import { problemOf, type EngineProblem } from '../bridge/engine-problem';
import { createStore } from 'zustand/vanilla';
import type {
  CallDirection,
  CallHistoryEntry,
  CallOutcome,
  HandledBy,
  HistoryQuery,
} from '../../electron/contract';
import type { EngineClient } from '../bridge/engine-client';

export interface HistoryFilters {
  search: string;
  direction: CallDirection | '';
  outcome: CallOutcome | '';
  handledBy: HandledBy | '';
  /** First day shown, 'YYYY-MM-DD' in local time; '' = no limit. */
  fromDate: string;
  /** Last day shown (inclusive), 'YYYY-MM-DD' in local time; '' = no limit. */
  toDate: string;
}

export const NO_FILTERS: HistoryFilters = {
  search: '',
  direction: '',
  outcome: '',
  handledBy: '',
  fromDate: '',
  toDate: '',
};

export const HISTORY_PAGE_SIZE = 20;

export interface HistoryState {
  filters: HistoryFilters;
  offset: number;
  pageSize: number;
  entries: CallHistoryEntry[];
  total: number;
  loading: boolean;
  /** Why the last question failed (the engine's message), if it did. */
  error?: EngineProblem;
  /** Changes filters, goes back to the first page and asks the engine. */
  setFilters(patch: Partial<HistoryFilters>): Promise<void>;
  setOffset(offset: number): Promise<void>;
  refresh(): Promise<void>;
}

type HistoryClient = Pick<EngineClient, 'request'>;

/** A local calendar day as the instant it starts, ISO-8601 UTC. */
function startOfLocalDay(date: string, plusDays = 0): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  const day = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + plusDays);
  return Number.isNaN(day.getTime()) ? undefined : day.toISOString();
}

/** The filters as the contract's query (local days become instants). */
export function toQuery(filters: HistoryFilters, offset: number, limit: number): HistoryQuery {
  const from = startOfLocalDay(filters.fromDate);
  // The "to" day is included: the query ends where the next day starts.
  const to = startOfLocalDay(filters.toDate, 1);
  return {
    ...(filters.search.trim() ? { search: filters.search.trim() } : {}),
    ...(filters.direction ? { direction: filters.direction } : {}),
    ...(filters.outcome ? { outcome: filters.outcome } : {}),
    ...(filters.handledBy ? { handledBy: filters.handledBy } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    limit,
    offset,
  };
}

export function createHistoryStore(client: HistoryClient, pageSize = HISTORY_PAGE_SIZE) {
  let asked = 0;
  return createStore<HistoryState>()((set, get) => {
    const refresh = async (): Promise<void> => {
      const ticket = ++asked;
      const { filters, offset } = get();
      set({ loading: true });
      try {
        const page = await client.request('history.list', {
          query: toQuery(filters, offset, pageSize),
        });
        if (ticket !== asked) return;
        // A page beyond the end (calls were pruned, or filters narrowed): go to the last one.
        if (page.entries.length === 0 && page.total > 0 && offset > 0) {
          set({ offset: Math.floor((page.total - 1) / pageSize) * pageSize });
          await refresh();
          return;
        }
        set({ entries: page.entries, total: page.total, loading: false, error: undefined });
      } catch (error) {
        if (ticket !== asked) return;
        set({ loading: false, error: problemOf(error) });
      }
    };
    return {
      filters: NO_FILTERS,
      offset: 0,
      pageSize,
      entries: [],
      total: 0,
      loading: false,
      setFilters(patch) {
        set({ filters: { ...get().filters, ...patch }, offset: 0 });
        return refresh();
      },
      setOffset(offset) {
        set({ offset: Math.max(0, offset) });
        return refresh();
      },
      refresh,
    };
  });
}

export type HistoryStore = ReturnType<typeof createHistoryStore>;

/**
 * Keeps the store current: asks again when the engine reports a change to
 * the history and when the connection to the engine is back. Returns the
 * function that stops it.
 */
export function followHistory(
  store: HistoryStore,
  client: Pick<EngineClient, 'onEvent' | 'onStatus' | 'status'>,
): () => void {
  const offEvent = client.onEvent((event) => {
    if (event.event === 'history.changed') void store.getState().refresh();
  });
  const offStatus = client.onStatus((status) => {
    if (status === 'open') void store.getState().refresh();
  });
  if (client.status === 'open') void store.getState().refresh();
  return () => {
    offEvent();
    offStatus();
  };
}
