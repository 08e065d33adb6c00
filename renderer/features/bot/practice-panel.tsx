/**
 * The practice call (Übungsanruf): the bot answers on this desk without a
 * phone server. The user speaks as the caller, or a scripted caller plays the
 * part while the user listens; the transcript and the bot's state show what
 * happens, the keypad presses the caller's keys. Without a speech model it
 * says that the script's text stands in for recognition. When the bot hands
 * over, the user takes the call as an agent would, at the call's arrival on
 * top (its button gets the focus): the case, the suggestions and, after the
 * end, the wrap-up follow.
 */
import { useDescribeProblem } from '../../i18n/describe-problem';
import { useBotDesk } from './bot-desk-context';
import { useFrom, useServices } from '../../services/services-context';
import { useT, type BotMessageKey } from './bot-messages';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

export function PracticePanel() {
  const { botStore } = useServices();
  const bot = useBotDesk();
  const t = useT();
  const describe = useDescribeProblem();
  const practice = useFrom(botStore, (s) => s.practice);
  const error = useFrom(botStore, (s) => s.practiceError);
  const state = useFrom(botStore, (s) => s.call);
  const live = practice && state?.callId === practice.callId ? state : undefined;
  const handoff = live?.phase === 'handoff' ? live.handoff : undefined;
  return (
    <section
      className="panel practice"
      aria-labelledby="practice-title"
      data-testid="practice"
      data-state={practice ? 'running' : 'idle'}
      data-phase={live?.phase ?? ''}
      data-listening={live?.listening ?? ''}
    >
      <h2 id="practice-title">{t('practice')}</h2>
      {!practice ? (
        <>
          <p className="detail">{t('practiceIntro')}</p>
          <div className="row">
            <button type="button" onClick={() => void bot.startPractice('microphone')}>
              {t('practiceMic')}
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => void bot.startPractice('payment-date')}
            >
              {t('practiceScripted')}
            </button>
          </div>
        </>
      ) : (
        <>
          <p role="status" data-testid="practice-status">
            {t('practiceRunning')}:{' '}
            {live?.phase === 'handoff'
              ? t('handoffTitle')
              : live?.phase === 'taken-over'
                ? t('botTakenOver')
                : live?.speaking
                  ? t('botTalking')
                  : t('botListening')}
          </p>
          {!practice.recognition && (
            <p className="detail practice-no-speech" data-testid="practice-no-speech">
              {t(practice.script === 'microphone' ? 'practiceNoSpeechMic' : 'practiceNoSpeech')}
            </p>
          )}
          {handoff && (
            <p className="detail" data-testid="practice-hint">
              {t('handoffReason')}: {t(`reason_${handoff.reason}` as BotMessageKey)}.{' '}
              {t('practiceTakeOverHint')}
            </p>
          )}
          {live && (
            <p className="detail">
              {t('botIntent')}:{' '}
              {live.intent ? t(`intent_${live.intent}` as Parameters<typeof t>[0]) : '–'} ·{' '}
              {live.verified ? t('botVerified') : t('botNotVerified')}
            </p>
          )}
          <div className="keypad" role="group" aria-label={t('practiceKeypad')}>
            {KEYS.map((key) => (
              <button
                key={key}
                type="button"
                aria-label={`${t('practiceKey')} ${key}`}
                onClick={() => bot.practiceKey(key)}
              >
                {key}
              </button>
            ))}
          </div>
          <button type="button" className="danger" onClick={() => void bot.endPractice()}>
            {t('practiceEnd')}
          </button>
        </>
      )}
      {error && (
        <p role="alert" className="detail error">
          {t('practiceFailed', { detail: describe(error) })}
        </p>
      )}
    </section>
  );
}
