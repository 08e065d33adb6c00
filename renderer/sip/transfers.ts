/**
 * Call transfer (RFC 3515 REFER, RFC 5589). Blind: REFER the other party
 * of the foreground call to a number. Attended: a consultation call while
 * the first one is held, then REFER with Replaces (RFC 3891) so the two
 * talk to each other. Progress comes in NOTIFYs (message/sipfrag) and moves
 * the transfer machine (transferStep in renderer/phone/call-machine.ts); on
 * success our leg ends, on failure the call goes on and the agent reads
 * why. A REFER from the other side is followed (accept, call the target,
 * end the old call once the new one is up) unless the policy says no (603).
 */
import { SessionState, type Referral, type Session, type URI } from 'sip.js';
import {
  MAX_LINES,
  parseSipfrag,
  transferFailure,
  transferStep,
  type TransferEvent,
} from '../phone/call-machine';
import { phoneError, transferFailureText } from '../phone/phone-log-text';
import { failureOf, type CallEndReason, type ForwardRefusal } from '../phone/phone-reasons';
import type { PhoneStore } from '../phone/phone-store';
import { MEDIA, type CallControl } from './call-control';
import type { CallLines, Line } from './call-lines';
import type { PhoneReports } from './call-reports';
import type { CallSessions } from './call-sessions';
import type { RegistrationDriver } from './registration-driver';

/** A transfer without a final NOTIFY after this long counts as failed; the call goes on. */
export const TRANSFER_TIMEOUT_MS = 40_000;
/** After a completed attended transfer the target ends our consultation call; else we do. */
export const CONSULT_LINGER_MS = 4_000;

export class Transfers {
  constructor(
    private readonly deps: {
      store: PhoneStore;
      lines: CallLines;
      sessions: CallSessions;
      control: CallControl;
      reports: PhoneReports;
      registration: RegistrationDriver;
    },
  ) {}

  /**
   * Blind transfer: REFER the other party of the foreground call to
   * `target`. Progress shows on the call; on success our leg ends, on
   * failure the call goes on.
   */
  blind(target: string): void {
    const { lines, control } = this.deps;
    const line = lines.foreground();
    const info = line && lines.info(line);
    if (!line || info?.state !== 'connected' || line.session.state !== SessionState.Established)
      throw phoneError({ code: 'no-connected-call' });
    if (info.transfer && info.transfer.state !== 'done' && info.transfer.state !== 'failed')
      throw phoneError({ code: 'transfer-under-way' });
    const uri = control.requireUri(target);
    this.refer(line, uri, { kind: 'blind', target: target.trim() });
  }

  /**
   * Attended transfer, step 1: holds the foreground call and calls `target`
   * (the consultation call), which comes to the foreground.
   */
  async startConsult(target: string): Promise<void> {
    const { lines, control } = this.deps;
    control.requireRegistered();
    const original = lines.foreground();
    const info = original && lines.info(original);
    if (!original || info?.state !== 'connected') throw phoneError({ code: 'no-connected-call' });
    if (lines.has(original.consult)) throw phoneError({ code: 'consultation-active' });
    if (lines.live().length >= MAX_LINES) throw phoneError({ code: 'all-lines-busy' });
    const uri = control.requireUri(target);
    if (!info.held) await control.setHold(true, original.id);
    if (!lines.has(original)) throw phoneError({ code: 'call-ended' });
    original.consult = await control.placeCall(uri, target, { consultFor: original.id });
  }

  /**
   * Attended transfer, step 2 ("Verbinden"): REFER the held call's party to
   * the consulted party, with Replaces, so they talk to each other.
   */
  complete(): void {
    const pair = this.deps.lines.consultPair();
    if (!pair) throw phoneError({ code: 'no-consultation' });
    const { original, consult } = pair;
    if (
      original.session.state !== SessionState.Established ||
      consult.session.state !== SessionState.Established
    )
      throw phoneError({ code: 'consultation-not-connected' });
    const target = this.deps.lines.info(consult)?.remote ?? '';
    this.refer(original, consult.session, { kind: 'attended', target });
  }

  /** Ends the consultation call and resumes the held call ("Rückfrage beenden"). */
  async cancelConsult(): Promise<void> {
    const { lines, sessions, control } = this.deps;
    const pair = lines.consultPair();
    if (!pair) return;
    const { original, consult } = pair;
    const reason: CallEndReason = { code: 'consultation-ended' };
    consult.endLocally(reason);
    sessions.end(consult, reason);
    if (!lines.has(original)) return;
    this.deps.store.getState().setActive(original.id);
    await control.setHold(false, original.id);
  }

  /**
   * The other party refers us elsewhere (incoming REFER): follow it unless
   * the policy says no; the old call ends once the new one is connected.
   */
  referred(line: Line, referral: Referral): void {
    const { lines, reports, control, registration } = this.deps;
    const store = this.deps.store.getState();
    const from = lines.info(line)?.remote ?? '';
    let target: string;
    try {
      // An attended transfer's Refer-To is a contact (random user part);
      // sip.js puts who it is ("user@host") into the display name.
      const referTo = referral.referTo;
      const named = referTo.displayName as string | undefined; // undefined without a name
      target = (named ?? '').replace(/@.*$/, '') || referTo.uri.user || referTo.uri.toString();
    } catch {
      void referral.reject({ statusCode: 400, reasonPhrase: 'Bad Refer-To' });
      return;
    }
    const refuse = (statusCode: number, reasonPhrase: string, why: ForwardRefusal) => {
      void referral.reject({ statusCode, reasonPhrase }).catch(() => undefined);
      store.setNotice({ kind: 'forward-refused', target, why, statusCode });
      reports.call(lines.info(line), 'connected', `REFER to ${target} refused (${statusCode})`);
    };
    if (!store.policy.followRefer) {
      refuse(603, 'Decline', 'policy');
      return;
    }
    if (!registration.registeredAgent) {
      refuse(503, 'Service Unavailable', 'not-registered');
      return;
    }
    if (lines.live().length >= MAX_LINES) {
      refuse(486, 'Busy Here', 'all-lines-busy');
      return;
    }
    void referral.accept().catch(() => undefined);
    store.setNotice({ kind: 'forwarding', from, target });
    const inviter = referral.makeInviter({ sessionDescriptionHandlerOptions: MEDIA });
    control
      .placeCall(inviter, target, { referredFrom: line })
      .catch((error: unknown) =>
        store.setNotice({ kind: 'forward-failed', failure: failureOf(error) }),
      );
  }

  /** Sends the REFER for call `line` and follows its progress. */
  private refer(
    line: Line,
    referTo: URI | Session,
    what: { kind: 'blind' | 'attended'; target: string },
  ): void {
    const { lines, reports } = this.deps;
    const store = () => this.deps.store.getState();
    store().updateCall(line.id, { transfer: { ...what, state: 'requested' } });
    reports.call(lines.info(line), 'connected', `transfer to ${what.target}`);
    const step = (event: TransferEvent) => {
      const current = lines.info(line)?.transfer;
      if (!lines.has(line) || !current) return;
      const state = transferStep(current.state, event);
      if (state === current.state && event.type !== 'notify') return;
      const statusCode =
        event.type === 'notify' || event.type === 'rejected'
          ? event.statusCode
          : current.statusCode;
      const failure = state === 'failed' ? transferFailure(event) : undefined;
      store().updateCall(line.id, {
        transfer: {
          ...current,
          state,
          ...(statusCode !== undefined ? { statusCode } : {}),
          ...(failure ? { failure } : {}),
        },
      });
      if (state === current.state) return;
      if (state === 'done') this.transferred(line, what.target);
      else if (state === 'failed') {
        if (line.transferTimer) clearTimeout(line.transferTimer);
        reports.call(
          lines.info(line),
          'connected',
          failure ? transferFailureText(failure) : undefined,
        );
      }
    };
    line.transferTimer = setTimeout(() => step({ type: 'timeout' }), TRANSFER_TIMEOUT_MS);
    line.session
      .refer(referTo, {
        requestDelegate: {
          onAccept: () => step({ type: 'accepted' }),
          onReject: (response) =>
            step({ type: 'rejected', statusCode: response.message.statusCode ?? 0 }),
        },
        onNotify: (notification) => {
          void notification.accept().catch(() => undefined);
          const frag = parseSipfrag(notification.request.body);
          if (frag) step({ type: 'notify', statusCode: frag.statusCode });
        },
      })
      .catch(() => step({ type: 'rejected', statusCode: 0 }));
  }

  /** The transfer of `line` succeeded: our leg (and a consultation call) end. */
  private transferred(line: Line, target: string): void {
    const { lines, sessions } = this.deps;
    const reason: CallEndReason = { code: 'transferred', target };
    const consult = line.consult;
    line.endLocally(reason);
    sessions.end(line, reason);
    if (lines.has(consult)) {
      // The target replaces this call with the transferred one and ends it; if not, we do.
      consult.endReason = reason;
      setTimeout(() => {
        if (!lines.has(consult)) return;
        consult.endLocally(reason);
        sessions.end(consult, reason);
      }, CONSULT_LINGER_MS);
    }
  }
}
