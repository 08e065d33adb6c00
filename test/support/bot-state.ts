/** A bot state as the engine reports it: call c1, active, day, listening openly; `patch` changes what a test needs. */
import type { BotState } from '../../electron/contract';

export function botState(patch: Partial<BotState> = {}): BotState {
  return {
    callId: 'c1',
    phase: 'active',
    mode: 'day',
    speaking: false,
    listening: 'open',
    intent: null,
    verified: false,
    ...patch,
  };
}
