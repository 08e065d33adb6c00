/**
 * The phone's state: registration and the current call. Created with zustand's
 * vanilla createStore so it works (and is tested) without React; the SIP
 * adapter's delegates call these actions, the UI only reads and asks.
 * Transitions go through the state machines, which reject illegal moves.
 */
import { createStore } from 'zustand/vanilla';
import type { CallState, RegistrationState } from '../../electron/contract';
import { callTransition, type CallEvent } from '../sip/call-machine';
import { transition, type FailureCause, type RegistrationEvent } from '../sip/registration-machine';

export interface RegistrationInfo {
  state: RegistrationState;
  cause?: FailureCause;
  /** When the next automatic attempt is due (epoch ms), if one is scheduled. */
  nextRetryAt?: number;
  attempts: number;
  since: number;
}

export interface CallInfo {
  state: CallState;
  id?: string;
  direction?: 'incoming' | 'outgoing';
  remote?: string;
  remoteName?: string;
  startedAt?: number;
  connectedAt?: number;
  endedAt?: number;
  endReason?: string;
  muted: boolean;
}

export interface PhoneState {
  registration: RegistrationInfo;
  call: CallInfo;
  registrationEvent(
    event: RegistrationEvent,
    extra?: { nextRetryAt?: number; attempts?: number },
  ): void;
  callEvent(event: CallEvent, details?: Partial<Omit<CallInfo, 'state'>>): void;
  setMuted(muted: boolean): void;
}

export type PhoneStore = ReturnType<typeof createPhoneStore>;

export function createPhoneStore(now: () => number = Date.now) {
  return createStore<PhoneState>()((set, get) => ({
    registration: { state: 'unregistered', attempts: 0, since: now() },
    call: { state: 'idle', muted: false },
    registrationEvent(event, extra) {
      const current = get().registration;
      const state = transition(current.state, event);
      const next: RegistrationInfo = {
        state,
        attempts: extra?.attempts ?? (state === 'registered' ? 0 : current.attempts),
        since: state === current.state ? current.since : now(),
      };
      if (event.type === 'failed') next.cause = event.cause;
      if (extra?.nextRetryAt !== undefined) next.nextRetryAt = extra.nextRetryAt;
      set({ registration: next });
    },
    callEvent(event, details) {
      const current = get().call;
      const state = callTransition(current.state, event);
      if (state === 'idle') {
        set({ call: { state: 'idle', muted: false } });
        return;
      }
      const next: CallInfo = { ...current, ...details, state };
      if (event.type === 'ended') {
        next.endReason = event.reason;
        next.endedAt = now();
      }
      if (event.type === 'answered') next.connectedAt = now();
      if (event.type === 'incoming' || event.type === 'dial') {
        next.startedAt = now();
        delete next.connectedAt;
        delete next.endedAt;
        delete next.endReason;
        next.muted = false;
      }
      set({ call: next });
    },
    setMuted(muted) {
      set({ call: { ...get().call, muted } });
    },
  }));
}
