/**
 * The call history: search over number and name, filters (direction,
 * outcome, who handled it, days), a table of calls newest first, paged, and
 * "Zurückrufen" on every row, which dials that number through the phone
 * exactly as the dial pad does. The engine keeps and searches the history;
 * the panel follows its `history.changed` events, so a call shows up here as
 * it rings and is updated when it ends.
 */
import { useDescribeProblem } from '../../i18n/describe-problem';
import { useEffect, useId, useState } from 'react';
import { useStore } from 'zustand';
import type { CallHistoryEntry, CallOutcome } from '../../../electron/contract';
import { languageStore, localeOf } from '../../i18n/language';
import { formatCaller, formatPhoneNumber } from '../../i18n/phone-number';
import { useFrom, useServices } from '../../services/services-context';
import { useT } from './history-messages';
import { usePhoneWords } from '../phone/phone-wording';
import { createHistoryStore, followHistory, NO_FILTERS } from '../../stores/history-store';

const OUTCOMES: CallOutcome[] = [
  'answered',
  'missed',
  'declined',
  'busy',
  'cancelled',
  'failed',
  'transferred',
];

function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** Name and number as the staff read them (the number formatted; dialling uses it as stored). */
export function who(entry: Pick<CallHistoryEntry, 'displayName' | 'number'>): string {
  return formatCaller(entry.number, entry.displayName ?? undefined);
}

export function HistoryPanel() {
  const { client, phone, phoneStore, engineStore } = useServices();
  const t = useT();
  const describe = useDescribeProblem();
  const phoneWords = usePhoneWords();
  const language = useStore(languageStore, (s) => s.language);
  const [store] = useState(() => createHistoryStore(client));
  useEffect(() => followHistory(store, client), [store, client]);

  const filters = useStore(store, (s) => s.filters);
  const entries = useStore(store, (s) => s.entries);
  const total = useStore(store, (s) => s.total);
  const offset = useStore(store, (s) => s.offset);
  const pageSize = useStore(store, (s) => s.pageSize);
  const loading = useStore(store, (s) => s.loading);
  const error = useStore(store, (s) => s.error);
  const canDial = useFrom(
    phoneStore,
    (s) =>
      s.registration.state === 'registered' &&
      (s.call.state === 'idle' || s.call.state === 'ended'),
  );
  const [dialError, setDialError] = useState<string>();
  const ids = useId();
  const id = (name: string) => `${ids}-${name}`;

  const callBack = (entry: CallHistoryEntry) => {
    setDialError(undefined);
    phone.dial(entry.number).catch((failure: unknown) => {
      const message = phoneWords.error(failure);
      setDialError(message);
      engineStore.getState().addLocalLog('error', message);
    });
  };
  const setFilter = (patch: Partial<typeof filters>) => void store.getState().setFilters(patch);
  const locale = localeOf(language);
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);

  return (
    <section aria-labelledby={id('heading')} className="panel history" data-testid="history">
      <h2 id={id('heading')}>{t('history')}</h2>
      <form
        className="history-filters"
        role="search"
        aria-label={t('historyFilters')}
        onSubmit={(e) => e.preventDefault()}
      >
        <div className="history-field history-search">
          <label htmlFor={id('search')}>{t('historySearch')}</label>
          <input
            id={id('search')}
            type="search"
            value={filters.search}
            autoComplete="off"
            maxLength={200}
            onChange={(e) => setFilter({ search: e.target.value })}
          />
        </div>
        <div className="history-field">
          <label htmlFor={id('direction')}>{t('historyDirection')}</label>
          <select
            id={id('direction')}
            value={filters.direction}
            onChange={(e) =>
              setFilter({ direction: e.target.value as (typeof filters)['direction'] })
            }
          >
            <option value="">{t('historyAll')}</option>
            <option value="incoming">{t('direction_incoming')}</option>
            <option value="outgoing">{t('direction_outgoing')}</option>
          </select>
        </div>
        <div className="history-field">
          <label htmlFor={id('outcome')}>{t('historyOutcome')}</label>
          <select
            id={id('outcome')}
            value={filters.outcome}
            onChange={(e) => setFilter({ outcome: e.target.value as (typeof filters)['outcome'] })}
          >
            <option value="">{t('historyAll')}</option>
            {OUTCOMES.map((outcome) => (
              <option key={outcome} value={outcome}>
                {t(`outcome_${outcome}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="history-field">
          <label htmlFor={id('handled')}>{t('historyHandledBy')}</label>
          <select
            id={id('handled')}
            value={filters.handledBy}
            onChange={(e) =>
              setFilter({ handledBy: e.target.value as (typeof filters)['handledBy'] })
            }
          >
            <option value="">{t('historyAll')}</option>
            <option value="bot">{t('handledBy_bot')}</option>
            <option value="person">{t('handledBy_person')}</option>
          </select>
        </div>
        <div className="history-field">
          <label htmlFor={id('from')}>{t('historyFrom')}</label>
          <input
            id={id('from')}
            type="date"
            value={filters.fromDate}
            max={filters.toDate || undefined}
            onChange={(e) => setFilter({ fromDate: e.target.value })}
          />
        </div>
        <div className="history-field">
          <label htmlFor={id('to')}>{t('historyTo')}</label>
          <input
            id={id('to')}
            type="date"
            value={filters.toDate}
            min={filters.fromDate || undefined}
            onChange={(e) => setFilter({ toDate: e.target.value })}
          />
        </div>
        <button
          type="button"
          disabled={!filtered}
          onClick={() => void store.getState().setFilters(NO_FILTERS)}
        >
          {t('historyReset')}
        </button>
      </form>
      {error && (
        <p role="alert" className="error" data-testid="history-error">
          {describe(error)}
        </p>
      )}
      {dialError && (
        <p role="alert" className="error" data-testid="history-dial-error">
          {dialError}
        </p>
      )}
      {/* Scrolls sideways on a narrow column: focusable, so the keyboard can scroll it. */}
      <div className="history-table-wrap" role="region" aria-label={t('history')} tabIndex={0}>
        <table className="history-table" aria-describedby={id('range')} aria-busy={loading}>
          <caption className="visually-hidden">{t('history')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('historyWhen')}</th>
              <th scope="col">{t('historyParty')}</th>
              <th scope="col">{t('duration')}</th>
              <th scope="col">{t('historyResult')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('historyAction')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr
                key={entry.id}
                data-testid="history-row"
                data-call-id={entry.callId}
                data-number={entry.number}
                data-direction={entry.direction}
                data-outcome={entry.outcome ?? 'ongoing'}
                data-handled-by={entry.handledBy ?? ''}
              >
                <td>
                  <span className="history-direction">
                    <span aria-hidden="true">{entry.direction === 'incoming' ? '↙' : '↗'}</span>{' '}
                    {t(`direction_${entry.direction}`)}
                  </span>
                  <br />
                  <time dateTime={entry.startedAt} className="detail">
                    {new Date(entry.startedAt).toLocaleString(locale, {
                      dateStyle: 'short',
                      timeStyle: 'short',
                    })}
                  </time>
                </td>
                <th scope="row" className="history-party">
                  {entry.displayName ? (
                    <>
                      {entry.displayName}
                      <br />
                      <span className="detail">{formatPhoneNumber(entry.number)}</span>
                    </>
                  ) : (
                    formatPhoneNumber(entry.number)
                  )}
                </th>
                <td className="history-duration">{formatDuration(entry.durationMs)}</td>
                <td>
                  <span
                    className={`outcome outcome-${entry.outcome ?? 'ongoing'}`}
                    title={entry.reason ?? undefined}
                  >
                    {t(`outcome_${entry.outcome ?? 'ongoing'}`)}
                  </span>
                  {entry.handledBy && (
                    <>
                      <br />
                      <span className="detail">
                        <span className="visually-hidden">{t('historyHandledBy')}: </span>
                        {t(`handledBy_${entry.handledBy}`)}
                      </span>
                    </>
                  )}
                </td>
                <td>
                  <button
                    type="button"
                    aria-label={t('callBackTo', { who: who(entry) })}
                    title={canDial ? undefined : t('callBackUnavailable')}
                    disabled={!canDial}
                    onClick={() => callBack(entry)}
                  >
                    {t('callBack')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="row history-pager">
        <p id={id('range')} role="status" aria-live="polite" data-testid="history-range">
          {loading && entries.length === 0
            ? t('historyLoading')
            : total === 0
              ? t('historyEmpty')
              : t('historyRange', {
                  first: offset + 1,
                  last: offset + entries.length,
                  total,
                })}
        </p>
        <button
          type="button"
          disabled={offset === 0}
          onClick={() => void store.getState().setOffset(offset - pageSize)}
        >
          {t('historyNewer')}
        </button>
        <button
          type="button"
          disabled={offset + entries.length >= total}
          onClick={() => void store.getState().setOffset(offset + pageSize)}
        >
          {t('historyOlder')}
        </button>
      </div>
    </section>
  );
}
