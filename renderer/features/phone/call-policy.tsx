/**
 * How incoming calls are handled: auto-answer (every call is answered at
 * once, without ringing, for the person at the desk; never a second call
 * that knocks during a call), bot first (the bot answers every call first and
 * hands over to the person) and do not disturb (calls are refused with 486
 * and listed as missed). They are saved with the account in the engine;
 * the phone follows at once, without re-registering.
 * Following a transfer the other party asks for (REFER) is on by default;
 * that choice is kept on this desk (localStorage), like the UI language.
 */
import { useEffect, useState } from 'react';
import { MAX_BOT_LINES, type AccountView } from '../../../electron/contract';
import { useFrom, useServices } from '../../services/services-context';
import { useT } from './phone-messages';
import type { CallPolicy as Policy } from '../../phone/phone-store';

function inputFrom(account: AccountView, policy: Policy) {
  return {
    serverUrl: account.serverUrl,
    sipUri: account.sipUri,
    authUser: account.authUser,
    displayName: account.displayName,
    iceServers: account.iceServers,
    autoRegister: account.autoRegister,
    autoAnswer: policy.autoAnswer,
    doNotDisturb: policy.doNotDisturb,
    botFirst: policy.botFirst,
    botLines: policy.botLines,
  };
}

const FOLLOW_REFER_KEY = 'lotse.followRefer';

function storedFollowRefer(): boolean {
  try {
    return localStorage.getItem(FOLLOW_REFER_KEY) !== 'false';
  } catch {
    return true;
  }
}

export function CallPolicy() {
  const { phone, phoneStore, settingsStore, engineStore } = useServices();
  const t = useT();
  const policy = useFrom(phoneStore, (s) => s.policy);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    phone.setPolicy({ followRefer: storedFollowRefer() });
  }, [phone]);

  const changeFollowRefer = (followRefer: boolean) => {
    phone.setPolicy({ followRefer });
    try {
      localStorage.setItem(FOLLOW_REFER_KEY, String(followRefer));
    } catch {
      // Not kept for the next start; it still applies now.
    }
  };

  const change = async (patch: Partial<Policy>) => {
    const next = { ...policy, ...patch };
    phone.setPolicy(next);
    const account = settingsStore.getState().account;
    if (!account) return;
    setSaving(true);
    const saved = await settingsStore.getState().save(inputFrom(account, next));
    setSaving(false);
    if (!saved) {
      engineStore
        .getState()
        .addLocalLog(
          'error',
          `call policy not saved: ${settingsStore.getState().error?.message ?? 'unknown'}`,
        );
    }
  };

  return (
    <fieldset className="call-policy" data-testid="call-policy" aria-busy={saving}>
      <legend>{t('callPolicy')}</legend>
      <label className="check">
        <input
          type="checkbox"
          checked={policy.autoAnswer}
          onChange={(e) => void change({ autoAnswer: e.target.checked })}
        />{' '}
        {t('autoAnswer')}
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={policy.botFirst}
          data-testid="bot-first"
          onChange={(e) => void change({ botFirst: e.target.checked })}
        />{' '}
        {t('botFirst')}
      </label>
      <label className="number">
        <input
          type="number"
          min={1}
          max={MAX_BOT_LINES}
          value={policy.botLines}
          data-testid="bot-lines-setting"
          onChange={(e) => {
            const n = Number(e.target.value);
            if (Number.isInteger(n) && n >= 1 && n <= MAX_BOT_LINES) void change({ botLines: n });
          }}
        />{' '}
        {t('botLinesSetting')}
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={policy.doNotDisturb}
          onChange={(e) => void change({ doNotDisturb: e.target.checked })}
        />{' '}
        {t('doNotDisturb')}
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={policy.followRefer}
          onChange={(e) => changeFollowRefer(e.target.checked)}
        />{' '}
        {t('followRefer')}
      </label>
      {policy.doNotDisturb && (
        <p className="detail warn" data-testid="dnd-active">
          {t('dndActive')}
        </p>
      )}
    </fieldset>
  );
}
