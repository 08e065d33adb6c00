/**
 * Call state machine (one call at a time: a second caller gets 486 and is
 * listed as missed). Hold is not a state but a flag on `connected` (the
 * phone store's call.held / holdPending): the call stays connected, only
 * the media direction changes, and hang-up works the same held or not.
 *
 *          incoming            answer / remote-answered
 *   idle ────────────▶ ringing ──────────────────────────┐
 *     │                  │ decline / cancelled / failed  ▼
 *     │   dial           ▼                           connected
 *     └────────▶ dialing ──▶ ended ◀──── hangup / remote-bye / failed
 *                   │  remote-answered                   ▲
 *                   └────────────────────────────────────┘ (connected)
 *   ended ── reset ──▶ idle
 */
import type { CallState } from '../../electron/contract';

export type { CallState };

export type CallEvent =
  | { type: 'incoming' }
  | { type: 'dial' }
  | { type: 'answered' }
  | { type: 'ended'; reason: string }
  | { type: 'reset' };

const TABLE: Record<CallState, Partial<Record<CallEvent['type'], CallState>>> = {
  idle: { incoming: 'ringing', dial: 'dialing' },
  ringing: { answered: 'connected', ended: 'ended' },
  dialing: { answered: 'connected', ended: 'ended' },
  connected: { ended: 'ended' },
  ended: { reset: 'idle', ended: 'ended' },
};

export class IllegalCallTransitionError extends Error {
  override name = 'IllegalCallTransitionError';
  constructor(from: CallState, event: CallEvent['type']) {
    super(`call: "${event}" is not allowed in state "${from}"`);
  }
}

export function callTransition(from: CallState, event: CallEvent): CallState {
  const to = TABLE[from][event.type];
  if (!to) throw new IllegalCallTransitionError(from, event.type);
  return to;
}
