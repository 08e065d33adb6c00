/**
 * The calls besides the foreground one: a call that knocks ("Annehmen &
 * Halten" / "Ablehnen"), held calls ("Wechseln" brings one to the
 * foreground and holds the current one), a consultation call. Each entry
 * names its caller, so a screen reader says which call a button is for.
 */
import { formatCaller } from '../../i18n/phone-number';
import { useFrom, useServices } from '../../services/services-context';
import { useT } from './phone-messages';
import { usePhoneWords } from './phone-wording';
import { isLive } from '../../phone/call-machine';
import type { CallInfo } from '../../phone/phone-store';

function who(call: CallInfo): string {
  return formatCaller(call.remote, call.remoteName);
}

export function OtherCalls() {
  const { phone, phoneStore, engineStore } = useServices();
  const t = useT();
  const words = usePhoneWords();
  const lines = useFrom(phoneStore, (s) => s.lines);
  const activeId = useFrom(phoneStore, (s) => s.activeId);
  const others = lines.filter((l) => l.id !== activeId && isLive(l.state) && !l.botLine);
  if (others.length === 0) return null;
  const report = (error: unknown) =>
    engineStore.getState().addLocalLog('error', words.error(error));

  const status = (call: CallInfo) =>
    call.state === 'ringing'
      ? t('callWaiting')
      : call.state === 'dialing'
        ? t('call_dialing')
        : call.held
          ? t('onHold')
          : call.consultFor
            ? t('consultCall')
            : t('call_connected');

  return (
    <section aria-labelledby="other-calls-heading" className="other-calls">
      <h3 id="other-calls-heading">{t('otherCalls')}</h3>
      <ul data-testid="other-calls">
        {others.map((call) => (
          <li
            key={call.id}
            aria-label={`${status(call)}: ${who(call)}`}
            data-call-id={call.id}
            data-state={call.state}
            data-held={call.held}
            data-waiting={call.waiting === true}
          >
            <span className={`badge ${call.state === 'ringing' ? 'waiting' : 'held'}`}>
              {status(call)}
            </span>{' '}
            <strong data-testid="other-call-remote">{who(call)}</strong>{' '}
            {call.state === 'ringing' && (
              <>
                <button
                  type="button"
                  className="primary"
                  onClick={() => phone.answerWaiting(call.id).catch(report)}
                >
                  {t('answerHold')}
                </button>{' '}
                <button type="button" onClick={() => phone.decline(call.id)}>
                  {t('decline')}
                </button>
              </>
            )}
            {call.state === 'connected' && (
              <>
                <button
                  type="button"
                  disabled={call.holdPending}
                  onClick={() => phone.swap(call.id ?? '').catch(report)}
                >
                  {t('swap')}
                </button>{' '}
                <button type="button" className="danger" onClick={() => phone.hangup(call.id)}>
                  {t('hangup')}
                </button>
              </>
            )}
            {call.state === 'dialing' && (
              <button type="button" className="danger" onClick={() => phone.hangup(call.id)}>
                {t('hangup')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
