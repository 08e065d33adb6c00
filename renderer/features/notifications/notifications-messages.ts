/** UI texts (German, English): Desktop notifications for incoming calls. */
import { defineMessages, type MessageKeyOf } from '../../i18n/define-messages';
import { commonMessages } from '../../i18n/common-messages';

export const notificationsMessages = defineMessages(
  {
    de: {
      notifyIncoming: 'Desktop-Hinweis bei Anrufen',
      notifyBody: '{who} ruft an.',
      notifyBlocked: 'Desktop-Hinweise sind für Lotse blockiert (Browser- oder Systemeinstellung).',
      unknownCaller: 'Unbekannte Nummer',
      // Audio devices
    },
    en: {
      notifyIncoming: 'Desktop notification for calls',
      notifyBody: '{who} is calling.',
      notifyBlocked: 'Desktop notifications are blocked for Lotse (browser or system setting).',
      unknownCaller: 'Unknown number',
    },
  },
  commonMessages,
);

export const useT = notificationsMessages.useT;
export type NotificationsMessageKey = MessageKeyOf<typeof notificationsMessages>;
