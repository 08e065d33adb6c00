/** The switch for desktop notifications of incoming calls (see incoming-call-notifier.ts). */
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { notificationsMessages } from './notifications-messages';
import { formatCaller } from '../../i18n/phone-number';
import { useServices } from '../../services/services-context';
import { useT } from './notifications-messages';
import {
  browserNotifications,
  notificationPreference,
  notifyIncomingCalls,
} from './incoming-call-notifier';

/** Starts the notifier for this window's phone; the language is read when a call rings. */
export function useIncomingCallNotifications(language: 'de' | 'en'): void {
  const { phoneStore } = useServices();
  useEffect(
    () =>
      notifyIncomingCalls({
        phoneStore,
        notifications: browserNotifications,
        enabled: () => notificationPreference.getState().enabled,
        hasFocus: () => document.hasFocus(),
        focusApp: () => window.focus(),
        text: (call) => {
          const caller =
            formatCaller(call.remote, call.remoteName) ||
            notificationsMessages.translate(language, 'unknownCaller');
          return {
            title: `Lotse: ${notificationsMessages.translate(language, 'call_ringing')}`,
            body: notificationsMessages.translate(language, 'notifyBody', { who: caller }),
          };
        },
      }),
    [phoneStore, language],
  );
  // A browser asks for the permission only after a user action: the first click or key.
  useEffect(() => {
    if (browserNotifications()?.permission !== 'default') return;
    const ask = () => {
      if (notificationPreference.getState().enabled)
        void notificationPreference.getState().askPermission();
    };
    window.addEventListener('pointerdown', ask, { once: true });
    window.addEventListener('keydown', ask, { once: true });
    return () => {
      window.removeEventListener('pointerdown', ask);
      window.removeEventListener('keydown', ask);
    };
  }, []);
}

export function NotificationSetting() {
  const t = useT();
  const enabled = useStore(notificationPreference, (s) => s.enabled);
  const permission = useStore(notificationPreference, (s) => s.permission);
  if (permission === 'unsupported') return null;
  return (
    <span className="notify-setting">
      <label className="check">
        <input
          type="checkbox"
          checked={enabled}
          data-testid="notify-incoming"
          onChange={(e) => void notificationPreference.getState().setEnabled(e.target.checked)}
        />{' '}
        {t('notifyIncoming')}
      </label>
      {enabled && permission === 'denied' && (
        <span role="status" className="hint" data-testid="notify-blocked">
          {' '}
          {t('notifyBlocked')}
        </span>
      )}
    </span>
  );
}
