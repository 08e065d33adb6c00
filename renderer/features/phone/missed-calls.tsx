/** Calls refused without ringing (do not disturb, busy): who, when, why. */
import { useLocale } from '../../i18n/language';
import { formatCaller } from '../../i18n/phone-number';
import { useFrom, useServices } from '../../services/services-context';
import { useT } from './phone-messages';
import { usePhoneWords } from './phone-wording';

export function MissedCalls() {
  const { phoneStore } = useServices();
  const t = useT();
  const words = usePhoneWords();
  const missed = useFrom(phoneStore, (s) => s.missed);
  const locale = useLocale();
  if (missed.length === 0) return null;
  return (
    <section aria-labelledby="missed-heading" className="missed-calls">
      <h3 id="missed-heading">
        {t('missedCalls')} ({missed.length})
      </h3>
      <ul data-testid="missed-calls">
        {missed.map((call) => (
          <li key={`${call.id}-${call.at}`} data-remote={call.remote}>
            <time dateTime={new Date(call.at).toISOString()}>
              {new Date(call.at).toLocaleTimeString(locale, { timeStyle: 'short' })}
            </time>{' '}
            <strong>{formatCaller(call.remote, call.remoteName)}</strong>{' '}
            <span className="detail">{words.missedReason(call.reason)}</span>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => phoneStore.getState().clearMissed()}>
        {t('clearMissed')}
      </button>
    </section>
  );
}
