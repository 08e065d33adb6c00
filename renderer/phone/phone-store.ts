/**
 * The phone's state: registration and the calls. Created with zustand's
 * vanilla createStore so it works (and is tested) without React; the SIP
 * adapter's delegates call these actions, the UI only reads and asks.
 * Transitions go through the state machines, which reject illegal moves.
 *
 * Several calls at once ("lines"): `lines` holds every call with a SIP
 * session, plus the foreground call after it ended until the agent closes
 * it; `activeId` names the foreground call the buttons act on, and `call`
 * is that call (or an idle one), so a screen that knows only one call keeps
 * working. When the foreground call ends while another one is still live,
 * the other one comes to the foreground (it stays held until the agent
 * resumes it) and `notice` says what ended and why.
 */
import { createStore } from 'zustand/vanilla';
import type { CallState, RegistrationState } from '../../electron/contract';
import {
  callTransition,
  IllegalCallTransitionError,
  isLive,
  type CallEvent,
  type TransferState,
} from './call-machine';
import { transition, type FailureCause, type RegistrationEvent } from './registration-machine';
import type {
  CallEndReason,
  MissedReason,
  PhoneNoticeContent,
  TransferFailure,
} from './phone-reasons';

export interface RegistrationInfo {
  state: RegistrationState;
  cause?: FailureCause;
  /** When the next automatic attempt is due (epoch ms), if one is scheduled. */
  nextRetryAt?: number;
  attempts: number;
  since: number;
}

/** A transfer of a call (REFER) that is under way, done or failed. */
export interface TransferInfo {
  /** blind: REFER to a number; attended: REFER with Replaces after a consultation call. */
  kind: 'blind' | 'attended';
  /** Who the caller is handed to (as typed, or the consulted party). */
  target: string;
  state: TransferState;
  /** The last status the other side reported (REFER response or NOTIFY sipfrag). */
  statusCode?: number;
  /** Why it failed. */
  failure?: TransferFailure;
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
  endReason?: CallEndReason;
  muted: boolean;
  /** On hold (re-INVITE accepted): no audio either way until resumed. */
  held: boolean;
  /** A hold or resume re-INVITE is in flight. */
  holdPending: boolean;
  /** DTMF digits sent in this call, in order. */
  dtmfSent: string;
  /** Rang in while another call was live: call-waiting tone, "Annehmen & Halten". */
  waiting?: boolean;
  /** This is the consultation call of an attended transfer of that call (id). */
  consultFor?: string;
  /** A transfer of this call. */
  transfer?: TransferInfo;
  /** Placed to follow a transfer (incoming REFER) from this party. */
  referredBy?: string;
  /** The server connection dropped during the call: it waits for it to come back. */
  reconnecting?: boolean;
  /**
   * One of the bot's lines: a call the bot took while the agent's audio path
   * was busy. It has audio of its own, never the agent's microphone, and
   * never comes to the foreground by itself: only when the bot hands it over
   * and the agent is free.
   */
  botLine?: boolean;
}

/** How incoming calls are treated; autoAnswer and doNotDisturb are persisted with the account. */
export interface CallPolicy {
  autoAnswer: boolean;
  doNotDisturb: boolean;
  /** Follow a transfer (REFER) the other party asks for; off: refused with 603. */
  followRefer: boolean;
  /** The voice bot answers every incoming call first. */
  botFirst: boolean;
  /**
   * Bot calls this desk takes at once (the first in the agent's audio path,
   * the others on bot lines of their own); above it a caller hears busy (486)
   * so the SIP server can try the next station.
   */
  botLines: number;
}

/** RFC 4733 telephone-events in the RTP stream, or SIP INFO (application/dtmf-relay). */
export type DtmfMethod = 'rfc4733' | 'info';

/** A call that was refused without ringing (do not disturb, busy) or not answered. */
export interface MissedCall {
  id: string;
  remote: string;
  remoteName?: string;
  at: number;
  reason: MissedReason;
}

/** What the agent hears besides the call: the ringtone, or the call-waiting tone. */
export type PhoneAlert = 'none' | 'ringtone' | 'waiting';

/** Something that happened to a call outside the foreground, for the status line. */
export type PhoneNotice = PhoneNoticeContent & { at: number };

/** The newest missed calls kept on screen. */
export const MAX_MISSED_CALLS = 20;

export interface PhoneState {
  registration: RegistrationInfo;
  /** The foreground call (idle when there is none). */
  call: CallInfo;
  /** Every call with a SIP session, and the ended foreground call until it is closed. */
  lines: CallInfo[];
  activeId?: string;
  policy: CallPolicy;
  dtmfMethod: DtmfMethod;
  missed: MissedCall[];
  alert: PhoneAlert;
  notice?: PhoneNotice;
  registrationEvent(
    event: RegistrationEvent,
    extra?: { nextRetryAt?: number; attempts?: number },
  ): void;
  /**
   * A call event for line `id` (default: the foreground call). `incoming` and
   * `dial` add a new line (its id from `details.id`); it comes to the
   * foreground when no other call is live.
   */
  callEvent(event: CallEvent, details?: Partial<Omit<CallInfo, 'state'>>, id?: string): void;
  /** Brings a call to the foreground (an ended foreground call is dropped). */
  setActive(id: string): void;
  /** Changes what a line shows (waiting, consultation, transfer progress …). */
  updateCall(
    id: string,
    patch: Partial<
      Pick<
        CallInfo,
        'waiting' | 'consultFor' | 'transfer' | 'referredBy' | 'reconnecting' | 'botLine'
      >
    >,
  ): void;
  setMuted(muted: boolean, id?: string): void;
  setHold(hold: { held?: boolean; pending: boolean }, id?: string): void;
  addDtmf(tone: string, id?: string): void;
  setPolicy(policy: Partial<CallPolicy>): void;
  setDtmfMethod(method: DtmfMethod): void;
  addMissed(call: Omit<MissedCall, 'at'>): void;
  clearMissed(): void;
  setAlert(alert: PhoneAlert): void;
  setNotice(notice: PhoneNoticeContent | undefined): void;
}

const IDLE_CALL: CallInfo = {
  state: 'idle',
  muted: false,
  held: false,
  holdPending: false,
  dtmfSent: '',
};

/**
 * Which call comes to the foreground when the foreground one is gone: a
 * connected call that is not held, then a held one (newest first), then
 * anything still live.
 */
export function pickForeground(lines: readonly CallInfo[]): string | undefined {
  const live = lines.filter((l) => isLive(l.state) && !l.botLine).reverse();
  return (
    live.find((l) => l.state === 'connected' && !l.held) ??
    live.find((l) => l.state === 'connected') ??
    live.find((l) => !l.waiting) ??
    live[0]
  )?.id;
}

/**
 * Bot calls a desk takes at once unless configured: four per core (measured:
 * a bot call costs a few percent of one core), at least 2, at most 16.
 */
export function defaultBotLines(cores = globalThis.navigator?.hardwareConcurrency ?? 2): number {
  return Math.min(16, Math.max(2, Math.floor(cores) * 4));
}

export type PhoneStore = ReturnType<typeof createPhoneStore>;

export function createPhoneStore(now: () => number = Date.now) {
  let anonymous = 0;
  return createStore<PhoneState>()((set, get) => {
    /** Sets lines and the foreground together, so `call` always matches. */
    const commit = (lines: CallInfo[], activeId: string | undefined, extra = {}) => {
      const call = lines.find((l) => l.id === activeId);
      set({ lines, activeId: call ? activeId : undefined, call: call ?? IDLE_CALL, ...extra });
    };
    const patchLine = (
      id: string | undefined,
      change: (line: CallInfo) => CallInfo | undefined,
    ) => {
      const { lines, activeId } = get();
      const target = id ?? activeId;
      const index = lines.findIndex((l) => l.id === target);
      const line = lines[index];
      if (!line) return;
      const next = change(line);
      if (!next || next === line) return;
      commit(lines.with(index, next), activeId);
    };
    return {
      registration: { state: 'unregistered', attempts: 0, since: now() },
      call: IDLE_CALL,
      lines: [],
      policy: {
        autoAnswer: false,
        doNotDisturb: false,
        followRefer: true,
        botFirst: false,
        botLines: defaultBotLines(),
      },
      dtmfMethod: 'rfc4733',
      missed: [],
      alert: 'none',
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
      callEvent(event, details, id) {
        const { lines, activeId } = get();
        if (event.type === 'incoming' || event.type === 'dial') {
          // A new call: ended calls on screen make room for it.
          const live = lines.filter((l) => isLive(l.state));
          const lineId = details?.id ?? id ?? `call-${++anonymous}`;
          if (live.some((l) => l.id === lineId))
            throw new IllegalCallTransitionError('ringing', event.type);
          const line: CallInfo = {
            ...IDLE_CALL,
            ...details,
            id: lineId,
            state: callTransition('idle', event),
            startedAt: now(),
          };
          // A bot line never takes the foreground from the agent's calls.
          const foreground =
            live.some((l) => l.id === activeId) || details?.botLine ? activeId : lineId;
          commit([...live, line], foreground);
          return;
        }
        const target = id ?? activeId;
        const index = lines.findIndex((l) => l.id === target);
        const current = lines[index];
        if (!current) {
          if (event.type === 'reset') return;
          throw new IllegalCallTransitionError('idle', event.type);
        }
        const state = callTransition(current.state, event);
        const others = lines.filter((l) => l.id !== target);
        if (state === 'idle') {
          commit(others, target === activeId ? pickForeground(others) : activeId);
          return;
        }
        const next: CallInfo = { ...current, ...details, state };
        if (event.type === 'answered') {
          next.connectedAt = now();
          next.waiting = false;
        }
        if (event.type === 'ended') {
          next.endReason = event.reason;
          next.endedAt = now();
          next.held = false;
          next.holdPending = false;
          next.waiting = false;
          const stillLive = others.filter((l) => isLive(l.state));
          if (stillLive.length > 0 || target !== activeId) {
            // Another call goes on: this one leaves the screen, the status line says why.
            const notice: PhoneNotice = {
              kind: 'call-ended',
              remote: current.remote ?? '',
              ...(current.remoteName ? { remoteName: current.remoteName } : {}),
              reason: event.reason,
              at: now(),
            };
            const foreground = target === activeId ? pickForeground(stillLive) : activeId;
            commit(
              others.filter((l) => isLive(l.state) || l.id === foreground),
              foreground,
              { notice },
            );
            return;
          }
        }
        commit(lines.with(index, next), activeId);
      },
      setActive(id) {
        const { lines } = get();
        if (!lines.some((l) => l.id === id)) return;
        commit(
          lines.filter((l) => l.id === id || isLive(l.state)),
          id,
        );
      },
      updateCall(id, patch) {
        patchLine(id, (line) => ({ ...line, ...patch }));
      },
      setMuted(muted, id) {
        patchLine(id, (line) => ({ ...line, muted }));
      },
      setHold({ held, pending }, id) {
        // Hold only exists in a connected call; a late reply after hang-up is ignored.
        patchLine(id, (line) =>
          line.state === 'connected'
            ? { ...line, held: held ?? line.held, holdPending: pending }
            : undefined,
        );
      },
      addDtmf(tone, id) {
        patchLine(id, (line) =>
          line.state === 'connected' ? { ...line, dtmfSent: line.dtmfSent + tone } : undefined,
        );
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
      setAlert(alert) {
        if (get().alert !== alert) set({ alert });
      },
      setNotice(notice) {
        set({ notice: notice === undefined ? undefined : { ...notice, at: now() } });
      },
    };
  });
}
