/**
 * Audio devices: the microphone, the speaker the call is heard on, and the
 * device the ringtone and handoff alert play on. Three labelled selects
 * (keyboard: Tab to one, arrow keys to choose); a change applies at once,
 * also during a call. When a device goes away the desk uses the system
 * default and says so in a notice near the call panel (DeviceNotices).
 */
import { useStore } from 'zustand';
import { languageStore, type Language } from '../../i18n/language';
import type { SettingsMessageKey } from './settings-messages';
import { useFrom, useServices } from '../../services/services-context';
import { useT } from './settings-messages';
import type { AudioDevice, DeviceNotice, DeviceRole } from '../../audio/devices-store';

const LABEL_KEYS: Record<DeviceRole, SettingsMessageKey> = {
  microphone: 'deviceMicrophone',
  speaker: 'deviceSpeaker',
  ring: 'deviceRing',
};

function quoted(language: Language, name: string): string {
  if (!name) return '';
  return language === 'de' ? ` „${name}“` : ` "${name}"`;
}

function DeviceSelect({ role }: { role: DeviceRole }) {
  const { devicesStore } = useServices();
  const t = useT();
  const pool = useFrom(devicesStore, (s) => (role === 'microphone' ? s.inputs : s.outputs));
  const defaultLabel = useFrom(devicesStore, (s) =>
    role === 'microphone' ? s.defaultLabels.input : s.defaultLabels.output,
  );
  const listed = useFrom(devicesStore, (s) => s.listed);
  const outputSelectable = useFrom(devicesStore, (s) => s.outputSelectable);
  const chosen = useFrom(devicesStore, (s) => s.roles[role].chosen);
  const fallback = useFrom(devicesStore, (s) => s.roles[role].fallback);
  const id = `device-${role}`;
  const disabled = role !== 'microphone' && !outputSelectable;
  const missing = chosen.id !== '' && !pool.some((d) => d.id === chosen.id);
  const hintId = `${id}-hint`;
  const name = (device: AudioDevice, index: number) =>
    device.label ||
    t(role === 'microphone' ? 'deviceUnnamedInput' : 'deviceUnnamedOutput', { n: index + 1 });
  return (
    <>
      <label htmlFor={id}>{t(LABEL_KEYS[role])}</label>
      <select
        id={id}
        data-testid={id}
        value={disabled ? '' : chosen.id}
        disabled={disabled}
        aria-describedby={fallback || disabled ? hintId : undefined}
        onChange={(e) => devicesStore.getState().choose(role, e.target.value)}
      >
        <option value="">
          {defaultLabel ? t('deviceDefaultNamed', { name: defaultLabel }) : t('deviceDefault')}
        </option>
        {pool.map((device, index) => (
          <option key={device.id} value={device.id}>
            {name(device, index)}
          </option>
        ))}
        {missing && !disabled && (
          <option value={chosen.id}>
            {listed
              ? t('deviceNotConnected', { name: chosen.label || t('deviceUnknownName') })
              : chosen.label || t('deviceUnknownName')}
          </option>
        )}
      </select>
      {disabled ? (
        <p id={hintId} className="detail">
          {t('deviceOutputUnsupported')}
        </p>
      ) : fallback ? (
        <p id={hintId} className="hint" data-testid={`${id}-fallback`}>
          {t('deviceUsingDefault')}
        </p>
      ) : null}
    </>
  );
}

export function AudioDevices() {
  const { devicesStore, devices } = useServices();
  const t = useT();
  const listed = useFrom(devicesStore, (s) => s.listed);
  return (
    <section
      aria-labelledby="devices-heading"
      aria-describedby="devices-hint"
      className="panel settings devices"
      data-testid="audio-devices"
    >
      <h2 id="devices-heading">{t('audioDevices')}</h2>
      <p id="devices-hint" className="detail">
        {t('deviceSwitchHint')}
      </p>
      <DeviceSelect role="microphone" />
      <DeviceSelect role="speaker" />
      <DeviceSelect role="ring" />
      {!listed && (
        <div className="row">
          <button type="button" onClick={() => void devices.requestPermission()}>
            {t('deviceShowNames')}
          </button>
          <span className="detail">{t('deviceNamesHidden')}</span>
        </div>
      )}
    </section>
  );
}

export function noticeText(
  t: ReturnType<typeof useT>,
  language: Language,
  notice: DeviceNotice,
): string {
  const params = {
    role: t(`deviceRole_${notice.role}`),
    name: quoted(language, notice.label),
    detail: notice.detail ?? '',
  };
  if (notice.onDefault)
    return t(
      notice.reason === 'unplugged'
        ? 'deviceNotice_defaultUnplugged'
        : 'deviceNotice_defaultFailed',
      params,
    );
  return t(`deviceNotice_${notice.reason}`, params);
}

/**
 * What just happened to a device, shown next to the call: an alert when the
 * desk had to fall back (the agent may now be heard through the laptop's
 * microphone), a status when a device came back.
 */
export function DeviceNotices() {
  const { devicesStore } = useServices();
  const t = useT();
  const language = useStore(languageStore, (s) => s.language);
  const notices = useFrom(devicesStore, (s) => s.notices);
  if (notices.length === 0) return null;
  return (
    <section
      className="device-notices"
      aria-label={t('deviceNotices')}
      data-testid="device-notices"
    >
      {notices.map((notice) => (
        <p
          key={notice.seq}
          role={notice.reason === 'restored' ? 'status' : 'alert'}
          className={`device-notice device-notice-${notice.reason === 'restored' ? 'ok' : 'warn'}`}
          data-role={notice.role}
          data-reason={notice.reason}
        >
          <span id={`device-notice-${notice.seq}`}>{noticeText(t, language, notice)}</span>{' '}
          <button
            type="button"
            aria-describedby={`device-notice-${notice.seq}`}
            onClick={() => devicesStore.getState().dismissNotice(notice.seq)}
          >
            {t('deviceDismiss')}
          </button>
        </p>
      ))}
    </section>
  );
}
