/**
 * The phone's codes in the agent's words: how a call ended, why a caller
 * was refused, why a transfer or an action failed, why registration
 * failed, and the status line about other calls. The phone core keeps
 * only codes with their parameters (renderer/phone/phone-reasons.ts);
 * the German and English sentences are the feature's message tables.
 */
import { statusMeaning } from '../../phone/call-machine';
import type {
  CallEndReason,
  MissedReason,
  PhoneFailure,
  PhoneNoticeContent,
  SipStatus,
  TransferFailure,
} from '../../phone/phone-reasons';
import { failureOf } from '../../phone/phone-reasons';
import type { FailureCause } from '../../phone/registration-machine';
import type { Translate } from '../../i18n/define-messages';
import { formatCaller, formatPhoneNumber } from '../../i18n/phone-number';
import { useT, type PhoneMessageKey } from './phone-messages';

type T = Translate<PhoneMessageKey>;

function codeAndPhrase(status: SipStatus): string {
  return `${status.statusCode} ${status.reasonPhrase ?? ''}`.trim();
}

/** A final SIP status by what it means: "Besetzt (486)". */
export function wordStatus(t: T, status: SipStatus): string {
  return t(`status_${statusMeaning(status.statusCode)}`, {
    code: status.statusCode,
    status: codeAndPhrase(status),
  });
}

export function wordEndReason(t: T, reason: CallEndReason): string {
  switch (reason.code) {
    case 'rejected':
      return wordStatus(t, reason.status);
    case 'call-failed':
    case 'answer-failed':
      return t(`end_${reason.code}`, { detail: reason.detail });
    case 'no-common-codec':
      return t('end_no-common-codec', {
        offered:
          reason.offered.length === 0
            ? t('noAudioOffered')
            : t('codecsOffered', { codecs: reason.offered.join(', ') }),
      });
    case 'transferred':
    case 'forwarded':
      return t(`end_${reason.code}`, { target: reason.target });
    case 'replaced':
      return t('end_replaced', { by: reason.by });
    case 'connection-lost':
      return reason.statusCode
        ? t('end_connection-lost-status', { code: reason.statusCode })
        : t('end_connection-lost');
    default:
      return t(`end_${reason.code}`);
  }
}

export function wordMissedReason(t: T, reason: MissedReason): string {
  switch (reason.code) {
    case 'waiting-declined':
      return wordEndReason(t, reason);
    case 'waiting-ended':
      return t('missed_waiting-ended', { reason: wordEndReason(t, reason.reason) });
    default:
      return t(`missed_${reason.code}`);
  }
}

export function wordTransferFailure(t: T, failure: TransferFailure): string {
  switch (failure.code) {
    case 'transfer-unsupported':
      return t('transferFailure_transfer-unsupported', { code: failure.statusCode });
    case 'transfer-refused':
    case 'target-not-reached':
      return t(`transferFailure_${failure.code}`, {
        status: wordStatus(t, { statusCode: failure.statusCode }),
      });
    case 'transfer-timeout':
      return t('transferFailure_transfer-timeout');
  }
}

export function wordFailure(t: T, failure: PhoneFailure): string {
  switch (failure.code) {
    case 'invalid-number':
      return t('error_invalid-number', { target: failure.target });
    case 'hold-failed':
    case 'resume-failed':
      return t(`error_${failure.code}`, {
        why: failure.statusCode > 0 ? codeAndPhrase(failure) : (failure.detail ?? t('noAnswer')),
      });
    case 'invalid-dtmf':
      return t('error_invalid-dtmf', { tones: failure.tones });
    case 'dtmf-refused':
      return t('error_dtmf-refused', { status: codeAndPhrase(failure.status) });
    case 'unexpected':
      return failure.detail;
    default:
      return t(`error_${failure.code}`);
  }
}

/** Any error from the phone in the agent's words (a foreign error as it said). */
export function wordError(t: T, error: unknown): string {
  return wordFailure(t, failureOf(error));
}

export function wordNotice(t: T, notice: PhoneNoticeContent): string {
  switch (notice.kind) {
    case 'call-ended':
      return t('notice_call-ended', {
        who: formatCaller(notice.remote, notice.remoteName),
        reason: wordEndReason(t, notice.reason),
      });
    case 'transferred-to-you':
      return t('notice_transferred-to-you', {
        from: formatPhoneNumber(notice.from),
        party: formatPhoneNumber(notice.party),
      });
    case 'forwarding':
      return t('notice_forwarding', {
        from: formatPhoneNumber(notice.from),
        target: formatPhoneNumber(notice.target),
      });
    case 'forward-refused':
      return t('notice_forward-refused', {
        target: formatPhoneNumber(notice.target),
        why: t(`forwardRefused_${notice.why}`),
      });
    case 'forward-failed':
      return t('notice_forward-failed', { failure: wordFailure(t, notice.failure) });
  }
}

/**
 * Why registration failed (no retry countdown: the panel shows that apart).
 * The technical detail (the socket's close code, the library's words) is for
 * the log file (phone-log-text.ts), not the agent.
 */
export function wordCause(t: T, cause: FailureCause): string {
  switch (cause.kind) {
    case 'unreachable':
    case 'connection-lost':
    case 'configuration':
      return t(`cause_${cause.kind}`);
    case 'rejected':
      return t('cause_rejected', { status: `${cause.statusCode} ${cause.reasonPhrase}`.trim() });
    case 'timeout':
      return t('cause_timeout');
  }
}

/** The wording functions bound to the current language (React hook). */
export function usePhoneWords() {
  const t = useT();
  return {
    t,
    status: (status: SipStatus) => wordStatus(t, status),
    endReason: (reason: CallEndReason) => wordEndReason(t, reason),
    missedReason: (reason: MissedReason) => wordMissedReason(t, reason),
    transferFailure: (failure: TransferFailure) => wordTransferFailure(t, failure),
    failure: (failure: PhoneFailure) => wordFailure(t, failure),
    error: (error: unknown) => wordError(t, error),
    notice: (notice: PhoneNoticeContent) => wordNotice(t, notice),
    cause: (cause: FailureCause) => wordCause(t, cause),
  };
}
