/**
 * Account settings. The password goes straight to the engine's encrypted
 * store and is never kept in the page's storage; the form shows only whether
 * one is stored. What is wrong with an entry is said at its field, in plain
 * words (the input marked invalid and described by the message), checked
 * before saving and as the engine refused it; the message goes once the
 * field is changed.
 */
import { useDescribeProblem } from '../../i18n/describe-problem';
import { useEffect, useState, type FormEvent } from 'react';
import {
  isUnencryptedRemoteSipServer,
  type AccountInput,
  type AccountView,
  type IceServer,
} from '../../../electron/contract';
import type { EngineProblem } from '../../bridge/engine-problem';
import { useFrom, useServices } from '../../services/services-context';
import { checkAccount, fieldOf, type AccountField, type FieldProblems } from './account-fields';
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
  const [problems, setProblems] = useState<FieldProblems>({});

  useEffect(() => {
    if (account) {
      setForm(account);
      setIce(iceToText(account.iceServers));
    }
  }, [account]);

  // The engine refused a field: said at that field.
  useEffect(() => {
    const field = fieldOf(error);
    if (field && error) setProblems((known) => ({ ...known, [field]: error }));
  }, [error]);

  if (!form) return null;
  const unencrypted = isUnencryptedRemoteSipServer(form.serverUrl);
  /** A changed field's message goes: it may be fixed now. */
  const edited = (key: AccountField) => {
    setSaved(false);
    if (problems[key]) setProblems(({ [key]: _gone, ...rest }) => rest);
  };
  const errorId = (key: AccountField) => `setting-${key}-error`;
  /** aria-invalid and the message's id (with the ids of other notes about the field). */
  const marked = (key: AccountField, ...describedBy: (string | false)[]) => {
    const ids = [...describedBy, problems[key] !== undefined && errorId(key)].filter(Boolean);
    return {
      ...(problems[key] ? { 'aria-invalid': true } : {}),
      ...(ids.length > 0 ? { 'aria-describedby': ids.join(' ') } : {}),
    };
  };
  const field = (key: 'serverUrl' | 'sipUri' | 'authUser' | 'displayName') => ({
    id: `setting-${key}`,
    value: form[key],
    onChange: (e: { target: { value: string } }) => {
      edited(key);
      setForm({ ...form, [key]: e.target.value });
    },
    ...marked(key),
  });
  const fieldError = (key: AccountField) => {
    const problem = problems[key];
    if (!problem) return null;
    return (
      <p id={errorId(key)} className="field-error" data-testid={errorId(key)}>
        {problem.reason ? describe(problem) : t('fieldInvalid')}
      </p>
    );
  };
  const invalid = Object.keys(problems).length > 0;
  /** A refusal said at its field is not said again under the button. */
  const general: EngineProblem | undefined = error && !fieldOf(error) ? error : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input: AccountInput = {
      serverUrl: form.serverUrl,
      sipUri: form.sipUri,
      authUser: form.authUser,
      displayName: form.displayName,
      iceServers: textToIce(ice),
      autoRegister: form.autoRegister,
      ...(password ? { password } : {}),
    };
    const found = checkAccount(input);
    setProblems(found);
    const first = Object.keys(found)[0] as AccountField | undefined;
    if (first) {
      setSaved(false);
      document.getElementById(first === 'iceServers' ? 'setting-ice' : `setting-${first}`)?.focus();
      return;
    }
    const result = await settingsStore.getState().save(input);
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
        {...marked('serverUrl', unencrypted && 'setting-serverUrl-warning')}
      />
      {fieldError('serverUrl')}
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
      {fieldError('sipUri')}
      <label htmlFor="setting-authUser">{t('authUser')}</label>
      <input {...field('authUser')} spellCheck={false} autoComplete="username" />
      {fieldError('authUser')}
      <label htmlFor="setting-password">{t('password')}</label>
      <input
        id="setting-password"
        type="password"
        value={password}
        autoComplete="current-password"
        placeholder={form.hasPassword ? t('passwordStored') : ''}
        onChange={(e) => {
          edited('password');
          setPassword(e.target.value);
        }}
        {...marked('password')}
      />
      {fieldError('password')}
      <label htmlFor="setting-displayName">{t('displayName')}</label>
      <input {...field('displayName')} />
      {fieldError('displayName')}
      <label htmlFor="setting-ice">{t('iceServers')}</label>
      <textarea
        id="setting-ice"
        rows={2}
        value={ice}
        onChange={(e) => {
          edited('iceServers');
          setIce(e.target.value);
        }}
        spellCheck={false}
        {...marked('iceServers')}
      />
      {fieldError('iceServers')}
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
          className={invalid || general ? 'error' : 'detail'}
          data-testid="settings-status"
        >
          {invalid ? t('fixFields') : general ? describe(general) : saved ? t('saved') : ''}
        </span>
      </div>
    </form>
  );
}
