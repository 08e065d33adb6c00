/** The engine's recent log lines, newest last: what went wrong, in plain words. */
import { useLocale } from '../../i18n/language';
import { formatClock } from '../../i18n/locale-format';
import { useFrom, useServices } from '../../services/services-context';
import { useT } from './settings-messages';

export function EngineLog() {
  const { engineStore } = useServices();
  const t = useT();
  const locale = useLocale();
  const log = useFrom(engineStore, (s) => s.log);
  const recent = log.slice(-40);
  return (
    <section aria-labelledby="log-heading" className="panel log">
      <h2 id="log-heading">{t('log')}</h2>
      {recent.length === 0 ? (
        <p className="detail">{t('noLog')}</p>
      ) : (
        // Focusable: a keyboard user can scroll the log.
        <ol aria-live="off" data-testid="engine-log" tabIndex={0} aria-label={t('log')}>
          {recent.map((line, i) => (
            <li key={`${line.time}-${i}`} className={`log-${line.level}`}>
              <time dateTime={line.time}>{formatClock(line.time, locale)}</time> [{line.scope}]{' '}
              {line.message}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
