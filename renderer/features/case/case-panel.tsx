/**
 * The caller's case: client, household, benefit period, next payment,
 * applications with missing documents, appointments, recent contacts, the
 * assigned caseworker. Locked until the bot verified the caller and the agent
 * took the call, or until the agent confirms identity here — a deliberate
 * action; every view is written to the audit log by the engine. A back
 * office that fails shows its message; the call goes on.
 */
import { useDescribeProblem } from '../../i18n/describe-problem';
import { useAssistDesk } from '../assist/assist-desk-context';
import { useState, type FormEvent } from 'react';
import type { CaseContextView } from '../../../electron/contract';
import type { CaseMessageKey } from './case-messages';
import { useFrom, useServices } from '../../services/services-context';
import { useT } from './case-messages';
import { useLocale } from '../../i18n/language';
import { formatDay, formatEuros, formatMonth } from '../../i18n/locale-format';
import { formatPhoneNumber } from '../../i18n/phone-number';

function IdentityForm() {
  const { assistStore } = useServices();
  const assist = useAssistDesk();
  const t = useT();
  const state = useFrom(assistStore, (s) => s.caseState);
  const [number, setNumber] = useState('');
  const [dateOfBirth, setDateOfBirth] = useState('');
  const [failed, setFailed] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFailed(false);
    void assist.verify(number, dateOfBirth || undefined).then((ok) => {
      setFailed(!ok && assistStore.getState().caseState !== 'error');
      if (ok) {
        setNumber('');
        setDateOfBirth('');
      }
    });
  };
  return (
    <form className="identity-form" onSubmit={submit} aria-labelledby="identity-title">
      <h3 id="identity-title">{t('confirmIdentity')}</h3>
      <label htmlFor="identity-number">{t('identityNumber')}</label>
      <input
        id="identity-number"
        autoComplete="off"
        value={number}
        onChange={(e) => setNumber(e.target.value)}
        aria-describedby="identity-hint"
        required
        data-testid="identity-number"
      />
      <label htmlFor="identity-dob">{t('dateOfBirth')}</label>
      <input
        id="identity-dob"
        type="date"
        value={dateOfBirth}
        onChange={(e) => setDateOfBirth(e.target.value)}
        data-testid="identity-dob"
      />
      <p id="identity-hint" className="detail">
        {t('identityHint')}
      </p>
      <button type="submit" disabled={state === 'verifying'} data-testid="identity-confirm">
        {t('confirmIdentityButton')}
      </button>
      {failed && (
        <p role="alert" className="warning" data-testid="identity-failed">
          {t('identityNotConfirmed')}
        </p>
      )}
    </form>
  );
}

function ContextView({
  context,
  verifiedBy,
}: {
  context: CaseContextView;
  verifiedBy?: 'bot' | 'agent';
}) {
  const t = useT();
  const locale = useLocale();
  const day = (iso: string) => formatDay(iso, locale);
  const c = context;
  return (
    <div className="case-context" data-testid="case-context" data-case={c.caseId}>
      <p className="case-client" data-testid="case-client">
        <strong>
          {c.client.firstName} {c.client.lastName}
        </strong>{' '}
        ({t('born')} {day(c.client.dateOfBirth)})
        <br />
        <span className="detail">
          {c.client.customerNumber ? `${t('customerNumber')} ${c.client.customerNumber} · ` : ''}
          {t('bgNumber')} {c.bgNumber}
          {verifiedBy ? ` · ${t(verifiedBy === 'bot' ? 'verifiedByBot' : 'verifiedByAgent')}` : ''}
        </span>
      </p>
      <dl className="case-facts">
        <dt>{t('benefitPeriod')}</dt>
        <dd data-testid="case-benefit-period">
          {c.benefitPeriod ? `${day(c.benefitPeriod.start)} – ${day(c.benefitPeriod.end)}` : '–'}
        </dd>
        <dt>{t('nextPayment')}</dt>
        <dd data-testid="case-next-payment">
          {c.nextPayment
            ? `${day(c.nextPayment.date)}: ${formatEuros(c.nextPayment.amountCents, locale)} (${t('forMonth')} ${formatMonth(c.nextPayment.forMonth, locale)})`
            : '–'}
        </dd>
        <dt>{t('caseworker')}</dt>
        <dd data-testid="case-caseworker">
          {c.caseworker
            ? `${c.caseworker.name}, ${c.caseworker.team}, ${formatPhoneNumber(c.caseworker.phone)}`
            : '–'}
        </dd>
      </dl>
      <h3>{t('household')}</h3>
      <ul className="plain" data-testid="case-members">
        {c.members.map((m, i) => (
          <li key={i}>
            {m.firstName} {m.lastName}, {day(m.dateOfBirth)} –{' '}
            {t(`role_${m.role}` as CaseMessageKey)}
          </li>
        ))}
      </ul>
      <h3>{t('applications')}</h3>
      {c.applications.length === 0 ? (
        <p className="detail">{t('none')}</p>
      ) : (
        <ul className="plain" data-testid="case-applications">
          {c.applications.map((a, i) => (
            <li key={i} className={a.status === 'documents_missing' ? 'attention' : ''}>
              {t(`application_${a.type}` as CaseMessageKey)} {t('ofDate')} {day(a.receivedDate)}:{' '}
              {t(`status_${a.status}` as CaseMessageKey)}
              {a.missingDocuments.length > 0 && (
                <>
                  <br />
                  <strong>{t('missingDocuments')}:</strong> {a.missingDocuments.join(', ')}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <h3>{t('appointments')}</h3>
      {c.appointments.length === 0 ? (
        <p className="detail">{t('none')}</p>
      ) : (
        <ul className="plain" data-testid="case-appointments">
          {c.appointments.map((a, i) => (
            <li key={i}>
              {day(a.date)} {a.time} – {a.topic} (
              {a.kind === 'phone' ? t('byPhone') : (a.place ?? t('inPerson'))})
            </li>
          ))}
        </ul>
      )}
      <h3>{t('recentContacts')}</h3>
      {c.notes.length === 0 ? (
        <p className="detail">{t('none')}</p>
      ) : (
        <ul className="plain notes" data-testid="case-notes">
          {c.notes.map((n) => (
            <li key={n.id}>
              <span className="detail">
                {day(n.at)} · {n.author} · {t(`channel_${n.channel}` as CaseMessageKey)}
              </span>
              <br />
              {n.text}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function CasePanel() {
  const { assistStore } = useServices();
  const assist = useAssistDesk();
  const t = useT();
  const describe = useDescribeProblem();
  const callId = useFrom(assistStore, (s) => s.callId);
  const state = useFrom(assistStore, (s) => s.caseState);
  const context = useFrom(assistStore, (s) => s.context);
  const error = useFrom(assistStore, (s) => s.caseError);
  const verifiedBy = useFrom(assistStore, (s) => s.verifiedBy);
  return (
    <section
      className="panel case-panel"
      aria-labelledby="case-heading"
      data-testid="case-panel"
      data-state={state}
      aria-busy={state === 'loading' || state === 'verifying'}
    >
      <h2 id="case-heading" tabIndex={-1}>
        {t('caseContext')}
      </h2>
      {!callId ? (
        <p className="detail">{t('caseIdle')}</p>
      ) : (
        <>
          {state === 'loading' && <p role="status">{t('caseLoading')}</p>}
          {state === 'error' && error && (
            <div role="alert" className="warning" data-testid="case-error">
              <p>{describe(error)}</p>
              {verifiedBy && (
                <button type="button" onClick={() => void assist.loadContext('refresh')}>
                  {t('retry')}
                </button>
              )}
            </div>
          )}
          {state === 'shown' && context ? (
            <>
              <ContextView context={context} {...(verifiedBy ? { verifiedBy } : {})} />
              <button type="button" onClick={() => void assist.loadContext('refresh')}>
                {t('refresh')}
              </button>
            </>
          ) : (
            state !== 'loading' && (
              <>
                <p className="detail">{t('caseLocked')}</p>
                <IdentityForm />
              </>
            )
          )}
        </>
      )}
    </section>
  );
}
