/**
 * The morning worklist: callbacks and messages the bot took at night, urgent
 * ones first. One click calls back; "Erledigt" records who finished it.
 */
import { useDescribeProblem } from '../../i18n/describe-problem';
import { useBotDesk } from './bot-desk-context';
import { useState } from 'react';
import { useLocale } from '../../i18n/language';
import { formatPhoneNumber } from '../../i18n/phone-number';
import { useFrom, useServices } from '../../services/services-context';
import { botMessages, useT } from './bot-messages';
import type { BotMessageKey } from './bot-messages';
import { usePhoneWords } from '../phone/phone-wording';

function formatTime(iso: string, locale: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' });
}

export function WorklistPanel() {
  const { botStore, phone, settingsStore, engineStore } = useServices();
  const bot = useBotDesk();
  const t = useT();
  const describe = useDescribeProblem();
  const phoneWords = usePhoneWords();
  const locale = useLocale();
  const items = useFrom(botStore, (s) => s.worklist);
  const open = useFrom(botStore, (s) => s.worklistOpen);
  const error = useFrom(botStore, (s) => s.worklistError);
  const [showDone, setShowDone] = useState(false);
  const who = () => {
    const account = settingsStore.getState().account;
    return account?.displayName || account?.sipUri || 'Arbeitsplatz';
  };
  const shown = showDone ? items : items.filter((i) => i.status === 'open');
  // A window the screen does not know (a newer engine) shows as it is.
  const windowLabel = (chosen: string) => {
    const key = `window_${chosen}`;
    return botMessages.has(key) ? t(key) : chosen;
  };
  const intentLabel = (topic: string) => {
    // Unknown topics (a newer engine) show as they are.
    return (t(`intent_${topic}` as BotMessageKey) as string | undefined) || topic;
  };
  return (
    <section className="panel worklist" aria-labelledby="worklist-title" data-testid="worklist">
      <h2 id="worklist-title">
        {t('worklist')}{' '}
        <span className="badge" data-testid="worklist-open">
          {open} {t('worklistOpen')}
        </span>
      </h2>
      <div className="row">
        <label className="check">
          <input
            type="checkbox"
            checked={showDone}
            onChange={(e) => setShowDone(e.target.checked)}
          />{' '}
          {t('showDone')}
        </label>
        <button type="button" onClick={() => void bot.refreshWorklist()}>
          {t('refresh')}
        </button>
      </div>
      {error && (
        <p role="alert" className="detail warn">
          {t('worklistFailed', { detail: describe(error) })}
        </p>
      )}
      {shown.length === 0 ? (
        <p className="detail">{t('worklistEmpty')}</p>
      ) : (
        <ul className="worklist-items">
          {shown.map((item) => (
            <li
              key={item.id}
              data-testid="worklist-item"
              data-status={item.status}
              className={`${item.urgent ? 'urgent' : ''} ${item.status}`}
            >
              <p>
                <strong>{item.type === 'callback' ? t('callbackItem') : t('messageItem')}</strong>
                {item.urgent && <span className="badge warn"> {t('urgent')}</span>} ·{' '}
                {intentLabel(item.topic)} · {formatTime(item.createdAt, locale)}
              </p>
              {item.type === 'callback' && (
                <p>
                  <span data-testid="worklist-number" data-number={item.number ?? undefined}>
                    {item.number ? formatPhoneNumber(item.number) : ''}
                  </span>{' '}
                  · {t('timeWindow')}: {item.window && windowLabel(item.window)}
                </p>
              )}
              {item.text && <p className="message-text">{t('quoted', { text: item.text })}</p>}
              <p className="detail">{item.summary}</p>
              {item.status === 'done' && (
                <p className="detail">
                  {t('doneBy')} {item.doneBy} · {item.doneAt ? formatTime(item.doneAt, locale) : ''}
                </p>
              )}
              <div className="row">
                {item.number && item.status === 'open' && (
                  <button
                    type="button"
                    aria-label={`${t('callBack')} ${formatPhoneNumber(item.number)}`}
                    onClick={() =>
                      phone
                        .dial(item.number!)
                        .catch((e: unknown) =>
                          engineStore.getState().addLocalLog('error', phoneWords.error(e)),
                        )
                    }
                  >
                    {t('callBack')}
                  </button>
                )}
                <button
                  type="button"
                  data-testid="worklist-toggle"
                  onClick={() =>
                    void bot.setWorklistStatus(
                      item.id,
                      item.status === 'open' ? 'done' : 'open',
                      who(),
                    )
                  }
                >
                  {item.status === 'open' ? t('markDone') : t('reopen')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
