/**
 * The bot's call at the desk: what the bot is doing, and — when it wants a
 * person — the handoff card with the reason, the bot's summary and the button
 * that takes the call over. The button gets the focus when a handoff arrives,
 * so Enter or Space takes the call.
 */
import { useBotDesk } from './bot-desk-context';
import { useEffect, useRef } from 'react';
import { useFrom, useServices } from '../../services/services-context';
import { useT } from './bot-messages';
import type { BotMessageKey } from './bot-messages';

export function BotPanel() {
  const { botStore, phoneStore } = useServices();
  const bot = useBotDesk();
  const t = useT();
  const state = useFrom(botStore, (s) => s.call);
  const callId = useFrom(phoneStore, (s) => s.call.id);
  const callState = useFrom(phoneStore, (s) => s.call.state);
  const takeOverRef = useRef<HTMLButtonElement>(null);
  const handoff = state?.phase === 'handoff';
  useEffect(() => {
    if (handoff) takeOverRef.current?.focus();
  }, [handoff]);

  if (!state || state.callId !== callId || callState !== 'connected') return null;
  const intent = state.intent
    ? (t(`intent_${state.intent}` as BotMessageKey) as string | undefined) || state.intent
    : '–';
  return (
    <section
      className={`panel bot-panel bot-${state.phase}${state.handoff?.priority ? ' priority' : ''}`}
      aria-labelledby="bot-panel-title"
      data-testid="bot-panel"
      data-phase={state.phase}
      data-speaking={state.speaking}
      data-listening={state.listening ?? ''}
    >
      <h2 id="bot-panel-title">{t('bot')}</h2>
      {handoff && state.handoff ? (
        <div role="alert" className="handoff" data-testid="handoff">
          <p className="handoff-title">
            {state.handoff.priority && <strong className="badge">{t('handoffPriority')}</strong>}{' '}
            {t('handoffTitle')}
          </p>
          <dl>
            <dt>{t('handoffReason')}</dt>
            <dd data-testid="handoff-reason">
              {t(`reason_${state.handoff.reason}` as BotMessageKey)}
            </dd>
            <dt>{t('handoffSummary')}</dt>
            <dd data-testid="handoff-summary">{state.handoff.summary}</dd>
          </dl>
        </div>
      ) : (
        <p role="status" data-testid="bot-status">
          {state.phase === 'taken-over'
            ? t('botTakenOver')
            : state.phase === 'hangup'
              ? t('botHangingUp')
              : state.speaking
                ? t('botTalking')
                : t('botListening')}
        </p>
      )}
      <dl className="bot-facts">
        <dt>{t('botIntent')}</dt>
        <dd data-testid="bot-intent">{intent}</dd>
        <dt>{t('botMode')}</dt>
        <dd>{t(`mode_${state.mode}`)}</dd>
        <dd data-testid="bot-verified">
          {state.verified ? t('botVerified') : t('botNotVerified')}
        </dd>
      </dl>
      {state.phase !== 'taken-over' && state.phase !== 'hangup' && (
        <>
          {!handoff && <p className="detail">{t('botMicOff')}</p>}
          <button
            type="button"
            ref={takeOverRef}
            className={handoff ? 'primary' : ''}
            data-testid="take-over"
            onClick={() => void bot.takeOver()}
          >
            {t('takeOver')}
          </button>
        </>
      )}
    </section>
  );
}
