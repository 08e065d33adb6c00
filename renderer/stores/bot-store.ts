/**
 * The bot as the desk sees it: the state of the bot's current call (talking,
 * listening, wants a person), the day/night mode and the morning worklist.
 */
import type { EngineProblem } from '../bridge/engine-problem';
import { createStore } from 'zustand/vanilla';
import type { BotModeStatus, BotState, WorklistEntryView } from '../../electron/contract';

export interface BotDeskState {
  /** The bot's call in the agent's view (the latest state the engine reported), if any. */
  call?: BotState;
  /** The bot's lines (calls it takes while the agent's path is busy), by call id. */
  lines: Record<string, BotState>;
  mode?: BotModeStatus;
  worklist: WorklistEntryView[];
  worklistOpen: number;
  worklistError?: EngineProblem;
  /** A practice call in progress (no SIP). */
  practice?: {
    callId: string;
    script: 'microphone' | 'payment-date';
    /** The caller's speech is recognised; false: no speech model (the script's text is used). */
    recognition: boolean;
  };
  practiceError?: EngineProblem;
  applyState(state: BotState): void;
  setPractice(practice: BotDeskState['practice'], error?: EngineProblem): void;
  setMode(mode: BotModeStatus): void;
  setWorklist(items: WorklistEntryView[], open: number): void;
  setWorklistOpen(open: number): void;
  setWorklistError(problem: EngineProblem | undefined): void;
  clearCall(callId: string): void;
  /** A bot line's state (never shown as the agent's call until it comes to the foreground). */
  applyLineState(state: BotState): void;
  /** Bot line `callId` came to the agent's view: its state is the call shown from now on. */
  focusLine(callId: string): void;
}

export function createBotStore() {
  return createStore<BotDeskState>()((set, get) => ({
    worklist: [],
    worklistOpen: 0,
    lines: {},
    applyState(state) {
      const current = get().call;
      // A late event of an older call must not replace the current one.
      if (current && current.callId !== state.callId && current.phase !== 'ended') {
        if (state.phase === 'ended') return;
      }
      set({ call: state });
    },
    setMode: (mode) => set({ mode }),
    setPractice: (practice, practiceError) => set({ practice, practiceError }),
    setWorklist: (worklist, worklistOpen) =>
      set({ worklist, worklistOpen, worklistError: undefined }),
    setWorklistOpen: (worklistOpen) => set({ worklistOpen }),
    setWorklistError: (worklistError) => set({ worklistError }),
    clearCall(callId) {
      if (get().call?.callId === callId) set({ call: undefined });
      if (callId in get().lines) {
        const { [callId]: _gone, ...lines } = get().lines;
        set({ lines });
      }
    },
    applyLineState(state) {
      set({ lines: { ...get().lines, [state.callId]: state } });
    },
    focusLine(callId) {
      const { [callId]: state, ...lines } = get().lines;
      if (state) set({ call: state, lines });
    },
  }));
}
