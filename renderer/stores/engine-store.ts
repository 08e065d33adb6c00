/**
 * What the renderer knows about the engine: whether it is reachable, its
 * version, the latest audio levels per leg (measured by the engine), and its
 * recent log lines.
 */
import { createStore } from 'zustand/vanilla';
import type { CarrierStatus, EngineEvent, KeyProtection, Leg } from '../../electron/contract';

export type LogLine = Extract<EngineEvent, { event: 'engine.log' }>['data'];
export interface LevelReading {
  rmsDbfs: number;
  speech: boolean;
  seq: number;
  at: number;
}

export interface EngineState {
  status: CarrierStatus;
  version?: string;
  mode?: 'desktop' | 'web';
  /** How the engine's key is kept (the settings warn when weakly). */
  keyProtection?: KeyProtection;
  levels: Partial<Record<Leg, LevelReading>>;
  log: LogLine[];
  /** Stutters in the play-out of the engine's audio (any call, since start): late frames heard as gaps. */
  playoutGaps: number;
  countPlayoutGap(): void;
  setStatus(status: CarrierStatus): void;
  setInfo(info: { version: string; mode: 'desktop' | 'web'; keyProtection?: KeyProtection }): void;
  applyEvent(event: EngineEvent): void;
  addLocalLog(level: LogLine['level'], message: string): void;
}

const MAX_LOG = 200;

export function createEngineStore(now: () => number = Date.now) {
  return createStore<EngineState>()((set, get) => ({
    status: 'connecting',
    levels: {},
    log: [],
    playoutGaps: 0,
    countPlayoutGap: () => set({ playoutGaps: get().playoutGaps + 1 }),
    setStatus: (status) => set({ status }),
    setInfo: ({ version, mode, keyProtection }) => set({ version, mode, keyProtection }),
    applyEvent(event) {
      switch (event.event) {
        case 'audio.level': {
          const { leg, rmsDbfs, speech, seq } = event.data;
          set({ levels: { ...get().levels, [leg]: { rmsDbfs, speech, seq, at: now() } } });
          return;
        }
        case 'engine.log':
          set({ log: [...get().log, event.data].slice(-MAX_LOG) });
          return;
        case 'audio.playback':
          return;
      }
    },
    addLocalLog(level, message) {
      const line: LogLine = {
        time: new Date(now()).toISOString(),
        level,
        scope: 'renderer',
        message,
      };
      set({ log: [...get().log, line].slice(-MAX_LOG) });
    },
  }));
}
