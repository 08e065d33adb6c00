/** Shows where the phone stands with the registrar, and why, in words. */
import { useEffect, useState } from 'react';
import { useFrom, useServices } from '../../services/services-context';
import { useT } from './phone-messages';
import { usePhoneWords } from './phone-wording';

export function RegistrationPanel() {
  const { phoneStore, phone } = useServices();
  const t = useT();
  const words = usePhoneWords();
  const registration = useFrom(phoneStore, (s) => s.registration);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (registration.nextRetryAt === undefined) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [registration.nextRetryAt]);

  const busy = registration.state === 'registering' || registration.state === 'registered';
  const detail =
    registration.state === 'failed' && registration.cause ? words.cause(registration.cause) : '';
  return (
    <section aria-labelledby="registration-heading" className="panel">
      <h2 id="registration-heading">{t('registration')}</h2>
      <p
        role="status"
        aria-live="polite"
        data-testid="registration-state"
        data-state={registration.state}
      >
        <span className={`badge badge-${registration.state}`}>
          {t(`reg_${registration.state}`)}
        </span>
        {detail && <span className="detail"> {detail}</span>}
      </p>
      {registration.state === 'failed' && (
        <p className="hint" data-testid="registration-retry">
          {registration.nextRetryAt !== undefined
            ? t('retryIn', { s: Math.max(0, Math.ceil((registration.nextRetryAt - now) / 1000)) })
            : t('noRetry')}
        </p>
      )}
      <div className="row">
        <button type="button" onClick={() => phone.register()} disabled={busy}>
          {t('register')}
        </button>
        <button
          type="button"
          onClick={() => void phone.unregister()}
          disabled={registration.state === 'unregistered'}
        >
          {t('unregister')}
        </button>
      </div>
    </section>
  );
}
