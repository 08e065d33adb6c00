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
  /** On hold (re-INVITE accepted): no audio either way until resumed. */
  held: boolean;
  /** A hold or resume re-INVITE is in flight. */
  holdPending: boolean;
  /** DTMF digits sent in this call, in order. */
  dtmfSent: string;
}

/** How incoming calls are treated; persisted with the account in the engine. */
export interface CallPolicy {
  autoAnswer: boolean;
  doNotDisturb: boolean;
  /** The voice bot answers every incoming call first. */
  botFirst: boolean;
}

/** RFC 4733 telephone-events in the RTP stream, or SIP INFO (application/dtmf-relay). */
export type DtmfMethod = 'rfc4733' | 'info';

/** A call that was refused without ringing (do not disturb, busy) or not answered. */
export interface MissedCall {
  id: string;
  remote: string;
  remoteName?: string;
  at: number;
  reason: string;
}

/** The newest missed calls kept on screen. */
export const MAX_MISSED_CALLS = 20;

export interface PhoneState {
  registration: RegistrationInfo;
  call: CallInfo;
  policy: CallPolicy;
  dtmfMethod: DtmfMethod;
  missed: MissedCall[];
  registrationEvent(
    event: RegistrationEvent,
    extra?: { nextRetryAt?: number; attempts?: number },
  ): void;
  callEvent(event: CallEvent, details?: Partial<Omit<CallInfo, 'state'>>): void;
  setMuted(muted: boolean): void;
  setHold(hold: { held?: boolean; pending: boolean }): void;
  addDtmf(tone: string): void;
  setPolicy(policy: Partial<CallPolicy>): void;
  setDtmfMethod(method: DtmfMethod): void;
  addMissed(call: Omit<MissedCall, 'at'>): void;
  clearMissed(): void;
}

const IDLE_CALL: CallInfo = {
  state: 'idle',
  muted: false,
  held: false,
  holdPending: false,
  dtmfSent: '',
};

export type PhoneStore = ReturnType<typeof createPhoneStore>;

export function createPhoneStore(now: () => number = Date.now) {
  return createStore<PhoneState>()((set, get) => ({
    registration: { state: 'unregistered', attempts: 0, since: now() },
    call: IDLE_CALL,
    policy: { autoAnswer: false, doNotDisturb: false, botFirst: false },
    dtmfMethod: 'rfc4733',
    missed: [],
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
        set({ call: IDLE_CALL });
        return;
      }
      const next: CallInfo = { ...current, ...details, state };
      if (event.type === 'ended') {
        next.endReason = event.reason;
        next.endedAt = now();
        next.held = false;
        next.holdPending = false;
      }
      if (event.type === 'answered') next.connectedAt = now();
      if (event.type === 'incoming' || event.type === 'dial') {
        next.startedAt = now();
        delete next.connectedAt;
        delete next.endedAt;
        delete next.endReason;
        next.muted = false;
        next.held = false;
        next.holdPending = false;
        next.dtmfSent = '';
      }
      set({ call: next });
    },
    setMuted(muted) {
      set({ call: { ...get().call, muted } });
    },
    setHold({ held, pending }) {
      const call = get().call;
      // Hold only exists in a connected call; a late reply after hang-up is ignored.
      if (call.state !== 'connected') return;
      set({ call: { ...call, held: held ?? call.held, holdPending: pending } });
    },
    addDtmf(tone) {
      const call = get().call;
      if (call.state !== 'connected') return;
      set({ call: { ...call, dtmfSent: call.dtmfSent + tone } });
    },
    setPolicy(policy) {
      set({ policy: { ...get().policy, ...policy } });
    },
    setDtmfMethod(dtmfMethod) {
      set({ dtmfMethod });
    },
    addMissed(call) {
      set({ missed: [{ ...call, at: now() }, ...get().missed].slice(0, MAX_MISSED_CALLS) });
    },
    clearMissed() {
      set({ missed: [] });
    },
  }));
}
