/** UI texts (German, English): The frame of the screen: title, engine status, language. */
import { defineMessages, type MessageKeyOf } from '../i18n/define-messages';
import { commonMessages } from '../i18n/common-messages';

export const appMessages = defineMessages(
  {
    de: {
      appTitle: 'Lotse',
      language: 'Sprache',
      engineConnected: 'Engine verbunden',
      engineConnecting: 'Engine wird verbunden …',
      engineClosed: 'Engine nicht erreichbar – neuer Versuch läuft',
      views: 'Ansichten',
      notifications: 'Benachrichtigungen',
      keysCombo: 'Strg+Alt+{key}',
      openItems: '{n} offen',
      workspaceHeading: 'Arbeitsplatz: Telefon, Gespräch, Kundenakte und Vorschläge',
      noEngineToken:
        'Kein Zugangsschlüssel zur Engine: bitte die Adresse öffnen, die "npm run web" ausgibt.',
      startFailed: 'Lotse konnte nicht starten: {detail}',
    },
    en: {
      appTitle: 'Lotse',
      language: 'Language',
      engineConnected: 'Engine connected',
      engineConnecting: 'Connecting to engine …',
      engineClosed: 'Engine unreachable – retrying',
      views: 'Views',
      notifications: 'Notifications',
      keysCombo: 'Ctrl+Alt+{key}',
      openItems: '{n} open',
      workspaceHeading: 'Workspace: phone, call, case and suggestions',
      noEngineToken: 'No engine token: open the address printed by "npm run web".',
      startFailed: 'Lotse could not start: {detail}',
    },
  },
  commonMessages,
);

export const useT = appMessages.useT;
export type AppMessageKey = MessageKeyOf<typeof appMessages>;
