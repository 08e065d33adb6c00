/**
 * The arrival of a call, the screen's main event: at the top of every view,
 * whatever is scrolled, it says who calls, why (the bot's intent, reason and
 * summary; emergency and crisis look different), whether the caller is
 * verified, and offers one big "Annehmen" or "Gespräch übernehmen" that has
 * the focus, so Enter takes the call. A second call while busy arrives the
 * same way ("Annehmen, aktuelles Gespräch halten"). After taking it the
 * desk says so, shows the workspace and puts the focus in the transcript.
 */
import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { languageStore } from '../../i18n/language';
import { useFrom, useServices } from '../../services/services-context';
import { shortcutAria } from '../../stores/call-shortcuts';
import { useBotDesk } from '../bot/bot-desk-context';
import { arrivalMessages, useT, type ArrivalMessageKey } from './arrival-messages';
import { currentArrival, urgency } from './arrival';
import { callerName, takeArrival } from './take-arrival';

export function CallArrival() {
  const services = useServices();
  const { botStore, phoneStore, phone, shortcutsStore } = services;
  const bot = useBotDesk();
  const t = useT();
  const language = useStore(languageStore, (s) => s.language);
  const botCall = useFrom(botStore, (s) => s.call);
  const practiceId = useFrom(botStore, (s) => s.practice?.callId);
  const call = useFrom(phoneStore, (s) => s.call);
  const lines = useFrom(phoneStore, (s) => s.lines);
  const keys = useFrom(shortcutsStore, (s) => s.keys);
  const arrival = currentArrival(botCall, practiceId, call, lines);
  const primary = useRef<HTMLButtonElement>(null);
  const arrivalKey = arrival ? `${arrival.kind}:${arrival.callId}` : '';

  // A new arrival takes the focus: Enter (or Space) takes the call.
  useEffect(() => {
    if (arrivalKey) primary.current?.focus();
  }, [arrivalKey]);

  if (!arrival) return null;
  const who = callerName(arrival);
  const take = () => takeArrival(services, bot, language, arrival);
  const decline = () => {
    if (arrival.kind !== 'handoff') phone.decline(arrival.callId);
  };
  const level = urgency(arrival);
  const handoff = arrival.kind === 'handoff' ? arrival : undefined;
  const title =
    arrival.kind === 'handoff'
      ? t(arrival.practice ? 'practiceHandoff' : 'handoff')
      : arrival.kind === 'waiting'
        ? t('waitingCall')
        : t('incoming');
  const intentKey = handoff?.intent ? `intent_${handoff.intent}` : '';
  const intent = arrivalMessages.has(intentKey) ? t(intentKey) : (handoff?.intent ?? undefined);
  return (
    <section
      className={`arrival arrival-${arrival.kind}${level ? ` arrival-${level}` : ''}${handoff?.handoff.priority ? ' arrival-priority' : ''}`}
      aria-labelledby="arrival-title"
      data-testid={handoff ? (handoff.practice ? 'practice-handoff' : 'handoff') : 'call-arrival'}
      data-kind={arrival.kind}
      data-urgency={level ?? ''}
      data-call-id={arrival.callId}
    >
      <div className="arrival-text">
        <h2 id="arrival-title" role="alert">
          {level && <strong className="badge arrival-badge">{t(level)}</strong>}
          {!level && handoff?.handoff.priority && (
            <strong className="badge arrival-badge">{t('priority')}</strong>
          )}{' '}
          {title}
          {who ? ': ' : ''}
          {who && <span data-testid="arrival-who">{who}</span>}
          {!who && !handoff?.practice && <span>: {t('unknownCaller')}</span>}
        </h2>
        {handoff ? (
          <dl className="arrival-facts">
            <div>
              <dt>{t('why')}</dt>
              <dd data-testid="arrival-intent">{intent ?? t('noIntent')}</dd>
            </div>
            <div>
              <dt>{t('reason')}</dt>
              <dd data-testid="handoff-reason">
                {t(`reason_${handoff.handoff.reason}` as ArrivalMessageKey)}
              </dd>
            </div>
            <div>
              <dd
                data-testid="arrival-verified"
                className={handoff.verified ? 'verified' : 'not-verified'}
              >
                {handoff.verified ? t('verified') : t('notVerified')}
              </dd>
            </div>
            <div className="arrival-summary">
              <dt>{t('summary')}</dt>
              <dd data-testid="handoff-summary">{handoff.handoff.summary}</dd>
            </div>
          </dl>
        ) : (
          <p className="arrival-facts">
            {arrival.line?.referredBy
              ? t('referredBy', { from: arrival.line.referredBy })
              : t('directCall')}
          </p>
        )}
      </div>
      <div className="arrival-actions">
        <button
          type="button"
          ref={primary}
          className="primary arrival-take"
          data-testid={handoff ? 'take-over' : 'arrival-answer'}
          aria-keyshortcuts={shortcutAria(keys.answer)}
          title={`${t('keysCombo', { key: keys.answer })}`}
          onClick={take}
        >
          {handoff ? t('takeOver') : arrival.kind === 'waiting' ? t('answerAndHold') : t('answer')}
        </button>
        {!handoff && (
          <button type="button" onClick={decline} aria-keyshortcuts={shortcutAria(keys.hangup)}>
            {t('decline')}
          </button>
        )}
      </div>
    </section>
  );
}
