/**
 * Day or night: the bot follows the service hours and Hessen's public
 * holidays, or the agent switches it by hand (a staff meeting, an outage).
 */
import { useBotDesk } from './bot-desk-context';
import { useFrom, useServices } from '../../services/services-context';
import { useLocale } from '../../i18n/language';
import { formatServiceHours } from '../../i18n/locale-format';
import { useT } from './bot-messages';

export function BotMode() {
  const { botStore } = useServices();
  const bot = useBotDesk();
  const t = useT();
  const locale = useLocale();
  const mode = useFrom(botStore, (s) => s.mode);
  if (!mode) return null;
  const value = mode.override ?? 'auto';
  return (
    <fieldset className="bot-mode" data-testid="bot-mode" data-mode={mode.mode}>
      <legend>{t('botMode')}</legend>
      <label htmlFor="bot-mode-select" className="visually-hidden">
        {t('botMode')}
      </label>
      <select
        id="bot-mode-select"
        value={value}
        onChange={(e) => {
          const v = e.target.value;
          void bot.setMode(v === 'day' || v === 'night' ? v : null);
        }}
      >
        <option value="auto">{t('modeAuto')}</option>
        <option value="day">{t('modeForceDay')}</option>
        <option value="night">{t('modeForceNight')}</option>
      </select>
      <p role="status" data-testid="bot-mode-now">
        {t('modeNow')}: {t(`mode_${mode.mode}`)}
      </p>
      <p className="detail" data-testid="service-hours">
        {t('serviceHours')}: {formatServiceHours(mode.hours, locale) || t('serviceHoursNone')}
      </p>
    </fieldset>
  );
}
