/**
 * An INVITE outside any dialog: what it does is decided before anything
 * rings (decideIncoming in renderer/phone/call-machine.ts). Refused by the
 * call policy (do not disturb, every line in use: 486) it is listed as
 * missed; an offer without an audio codec we can use is refused with 488
 * instead of becoming a silent "connected" call; the bot's calls (bot first)
 * and, with auto-answer, the person's are answered at once; a call that comes in while another one is live knocks
 * (call-waiting tone, never auto-answered). An INVITE with Replaces for one
 * of our calls (RFC 3891: we are the target of an attended transfer) is
 * taken at once and takes that call's place.
 */
import { callOutcome } from '../phone/call-outcome';
import type { Invitation } from 'sip.js';
import { decideIncoming, isLive } from '../phone/call-machine';
import { endReasonText, missedReasonText } from '../phone/phone-log-text';
import type { CallEndReason, MissedReason } from '../phone/phone-reasons';
import type { CallInfo, PhoneStore } from '../phone/phone-store';
import type { CallControl } from './call-control';
import { callDetails, type CallLines } from './call-lines';
import type { PhoneReports } from './call-reports';
import type { CallSessions } from './call-sessions';
import type { CallTones } from './call-tones';
import { codecMismatch, supportedAudioCodecs } from './sdp-codecs';

export class IncomingCalls {
  constructor(
    private readonly deps: {
      store: PhoneStore;
      lines: CallLines;
      sessions: CallSessions;
      control: CallControl;
      tones: CallTones;
      reports: PhoneReports;
    },
  ) {}

  receive(invitation: Invitation): void {
    const { store, lines, sessions, control, tones, reports } = this.deps;
    const replaced = lines
      .all()
      .find(
        (line) => line.session === invitation.replacee && isLive(lines.info(line)?.state ?? 'idle'),
      );
    const policy = store.getState().policy;
    const decision = decideIncoming({
      policy,
      liveLines: lines.live().length,
      replacesOurCall: replaced !== undefined,
      botCalls: {
        inUse: lines.botLines().length + lines.live().filter((l) => l.handledBy === 'bot').length,
        max: policy.botLines,
      },
    });
    if (decision.kind === 'refuse') {
      this.refuse(invitation, decision.statusCode, decision.reason);
      return;
    }
    const remote = invitation.remoteIdentity.uri.toString();
    const details = callDetails(
      invitation,
      'incoming',
      invitation.remoteIdentity.uri.user ?? remote,
    );
    const offered = codecMismatch(
      invitation.body ?? '',
      supportedAudioCodecs(globalThis.RTCRtpReceiver?.getCapabilities?.('audio')),
    );
    if (offered) {
      void invitation
        .reject({ statusCode: 488, reasonPhrase: 'Not Acceptable Here' })
        .catch(() => undefined);
      const reason: CallEndReason = { code: 'no-common-codec', offered };
      store.getState().callEvent({ type: 'incoming' }, details);
      store.getState().callEvent({ type: 'ended', reason }, undefined, details.id);
      reports.call(
        { ...details, state: 'ended' } as CallInfo,
        'ended',
        endReasonText(reason),
        callOutcome({ direction: 'incoming', answered: false }, reason),
      );
      return;
    }
    const line = sessions.adopt(invitation);
    store.getState().callEvent(
      { type: 'incoming' },
      {
        ...details,
        ...(decision.kind === 'waiting' ? { waiting: true } : {}),
        ...(decision.kind === 'bot-line' ? { botLine: true } : {}),
      },
    );
    reports.call(lines.info(line), 'ringing');
    switch (decision.kind) {
      case 'replace': {
        // The transferred party takes the place of the call we had with the
        // transferring agent (sip.js ends that one once this one is answered).
        const old = replaced;
        if (!old) return;
        const oldRemote = lines.info(old)?.remote ?? '';
        old.endReason = { code: 'replaced', by: details.remote };
        if (store.getState().activeId === old.id) store.getState().setActive(line.id);
        store
          .getState()
          .setNotice({ kind: 'transferred-to-you', from: oldRemote, party: details.remote });
        void control.answer(line.id);
        return;
      }
      case 'auto-answer':
        // No ringing, answered at once: by the bot (bot first), or for the
        // person at the desk (auto-answer alone), who then talks with the caller.
        line.handledBy = decision.by;
        void control.answer(line.id);
        return;
      case 'bot-line':
        line.handledBy = 'bot';
        void control.answerBotLine(line.id);
        return;
      case 'ring':
      case 'waiting':
        tones.update();
        return;
    }
  }

  /** Refused before ringing: listed as missed, told to the engine. */
  private refuse(invitation: Invitation, statusCode: 480 | 486, reason: MissedReason): void {
    void invitation
      .reject({
        statusCode,
        reasonPhrase: statusCode === 486 ? 'Busy Here' : 'Temporarily Unavailable',
      })
      .catch(() => undefined);
    const details = callDetails(
      invitation,
      'incoming',
      invitation.remoteIdentity.uri.user ?? invitation.remoteIdentity.uri.toString(),
    );
    const { id, remote, remoteName } = details;
    this.deps.store
      .getState()
      .addMissed({ id, remote, reason, ...(remoteName ? { remoteName } : {}) });
    this.deps.reports.call(
      { ...details, state: 'ended' } as CallInfo,
      'ended',
      missedReasonText(reason),
      callOutcome({ direction: 'incoming', answered: false }, reason),
    );
  }
}
