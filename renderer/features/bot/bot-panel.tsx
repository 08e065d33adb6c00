/**
 * The bot's call at the desk: what the bot is doing, what it understood and
 * verified, and a button to take the call before the bot asks. When the bot
 * hands over, the call's arrival (features/arrival) at the top of the screen
 * carries the reason, the summary and the focused take-over button.
 */
import { useBotDesk } from './bot-desk-context';
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
  const handoff = state?.phase === 'handoff';

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
      <p role="status" data-testid="bot-status">
        {handoff
          ? t('handoffWaiting')
          : state.phase === 'taken-over'
            ? t('botTakenOver')
            : state.phase === 'hangup'
              ? t('botHangingUp')
              : state.speaking
                ? t('botTalking')
                : t('botListening')}
      </p>
      <dl className="bot-facts">
        <dt>{t('botIntent')}</dt>
        <dd data-testid="bot-intent">{intent}</dd>
        <dt>{t('botMode')}</dt>
        <dd>{t(`mode_${state.mode}`)}</dd>
        <dd data-testid="bot-verified">
          {state.verified ? t('botVerified') : t('botNotVerified')}
        </dd>
      </dl>
      {state.phase === 'active' && (
        <>
          <p className="detail">{t('botMicOff')}</p>
          <button type="button" data-testid="take-over" onClick={() => void bot.takeOver()}>
            {t('takeOverEarly')}
          </button>
        </>
      )}
    </section>
  );
}
