/**
 * Account settings. The password goes straight to the engine's encrypted
 * store and is never kept in the page's storage; the form shows only whether
 * one is stored.
 */
import { useDescribeProblem } from '../../i18n/describe-problem';
import { useEffect, useState, type FormEvent } from 'react';
import {
  isUnencryptedRemoteSipServer,
  type AccountView,
  type IceServer,
} from '../../../electron/contract';
import { useFrom, useServices } from '../../services/services-context';
import { KeyProtectionNotice } from './key-protection-notice';
import { useT } from './settings-messages';

function iceToText(servers: IceServer[]): string {
  return servers.map((s) => (Array.isArray(s.urls) ? s.urls.join(' ') : s.urls)).join('\n');
}

function textToIce(text: string): IceServer[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => ({ urls: line.split(/\s+/) }));
}

export function AccountSettings() {
  const { settingsStore, applyAccount } = useServices();
  const t = useT();
  const describe = useDescribeProblem();
  const account = useFrom(settingsStore, (s) => s.account);
  const saving = useFrom(settingsStore, (s) => s.saving);
  const error = useFrom(settingsStore, (s) => s.error);
  const [form, setForm] = useState<AccountView | undefined>(account);
  const [password, setPassword] = useState('');
  const [ice, setIce] = useState('');
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (account) {
      setForm(account);
      setIce(iceToText(account.iceServers));
    }
  }, [account]);

  if (!form) return null;
  const unencrypted = isUnencryptedRemoteSipServer(form.serverUrl);
  const field = (key: 'serverUrl' | 'sipUri' | 'authUser' | 'displayName') => ({
    id: `setting-${key}`,
    value: form[key],
    onChange: (e: { target: { value: string } }) => {
      setSaved(false);
      setForm({ ...form, [key]: e.target.value });
    },
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await settingsStore.getState().save({
      serverUrl: form.serverUrl,
      sipUri: form.sipUri,
      authUser: form.authUser,
      displayName: form.displayName,
      iceServers: textToIce(ice),
      autoRegister: form.autoRegister,
      ...(password ? { password } : {}),
    });
    if (result) {
      setPassword('');
      // Only say "saved" once the phone runs on the new settings.
      await applyAccount();
      setSaved(true);
    }
  };

  return (
    <form
      aria-labelledby="settings-heading"
      className="panel settings"
      onSubmit={(e) => void submit(e)}
    >
      <h2 id="settings-heading">{t('settings')}</h2>
      <KeyProtectionNotice />
      <label htmlFor="setting-serverUrl">{t('serverUrl')}</label>
      <input
        {...field('serverUrl')}
        required
        spellCheck={false}
        aria-describedby={unencrypted ? 'setting-serverUrl-warning' : undefined}
      />
      {unencrypted && (
        <p
          id="setting-serverUrl-warning"
          className="warning"
          role="status"
          data-testid="server-unencrypted-warning"
        >
          {t('serverUnencrypted')}
        </p>
      )}
      <label htmlFor="setting-sipUri">{t('sipUri')}</label>
      <input {...field('sipUri')} required spellCheck={false} />
      <label htmlFor="setting-authUser">{t('authUser')}</label>
      <input {...field('authUser')} spellCheck={false} autoComplete="username" />
      <label htmlFor="setting-password">{t('password')}</label>
      <input
        id="setting-password"
        type="password"
        value={password}
        autoComplete="current-password"
        placeholder={form.hasPassword ? t('passwordStored') : ''}
        onChange={(e) => setPassword(e.target.value)}
      />
      <label htmlFor="setting-displayName">{t('displayName')}</label>
      <input {...field('displayName')} />
      <label htmlFor="setting-ice">{t('iceServers')}</label>
      <textarea
        id="setting-ice"
        rows={2}
        value={ice}
        onChange={(e) => setIce(e.target.value)}
        spellCheck={false}
      />
      <label className="check">
        <input
          type="checkbox"
          checked={form.autoRegister}
          onChange={(e) => setForm({ ...form, autoRegister: e.target.checked })}
        />
        {t('autoRegister')}
      </label>
      <div className="row">
        <button type="submit" className="primary" disabled={saving}>
          {t('save')}
        </button>
        <span
          role="status"
          aria-live="polite"
          className={error ? 'error' : 'detail'}
          data-testid="settings-status"
        >
          {error ? describe(error) : saved ? t('saved') : ''}
        </span>
      </div>
    </form>
  );
}
