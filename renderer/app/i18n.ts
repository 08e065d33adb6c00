/**
 * UI texts: German first, English second. A typed dictionary: a key missing
 * in English is a type error, not a blank button.
 */
import { createStore } from 'zustand/vanilla';

const de = {
  appTitle: 'Lotse',
  language: 'Sprache',
  engine: 'Engine',
  engineConnected: 'Engine verbunden',
  engineConnecting: 'Engine wird verbunden …',
  engineClosed: 'Engine nicht erreichbar – neuer Versuch läuft',
  registration: 'Anmeldung am Telefonserver',
  reg_unregistered: 'Nicht angemeldet',
  reg_registering: 'Anmeldung läuft …',
  reg_registered: 'Angemeldet',
  reg_failed: 'Anmeldung fehlgeschlagen',
  register: 'Anmelden',
  unregister: 'Abmelden',
  retryIn: 'Neuer Versuch in {s} s',
  noRetry: 'Kein automatischer neuer Versuch – bitte Einstellungen prüfen.',
  phone: 'Telefon',
  dialPad: 'Wähltastatur',
  numberToDial: 'Rufnummer oder SIP-Adresse',
  dial: 'Anrufen',
  deleteDigit: 'Letzte Ziffer löschen',
  call: 'Gespräch',
  call_idle: 'Kein Gespräch',
  call_ringing: 'Eingehender Anruf',
  call_dialing: 'Wählt …',
  call_connected: 'Verbunden',
  call_ended: 'Beendet',
  answer: 'Annehmen',
  decline: 'Ablehnen',
  hangup: 'Auflegen',
  mute: 'Stummschalten',
  unmute: 'Stummschaltung aufheben',
  testTone: 'Testton senden',
  dismiss: 'Schließen',
  from: 'Von',
  to: 'An',
  duration: 'Dauer',
  audio: 'Audio',
  levelCaller: 'Pegel Anrufer/in',
  levelAgent: 'Pegel Mitarbeiter/in',
  speech: 'Sprache',
  settings: 'Einstellungen',
  serverUrl: 'Server (WebSocket)',
  sipUri: 'SIP-Adresse',
  authUser: 'Benutzername (Authentifizierung)',
  password: 'Passwort',
  passwordStored: 'gespeichert – leer lassen, um es zu behalten',
  displayName: 'Anzeigename',
  iceServers: 'ICE-Server (einer pro Zeile, leer = keine)',
  autoRegister: 'Beim Start automatisch anmelden',
  save: 'Speichern',
  saved: 'Gespeichert.',
  log: 'Protokoll',
  noLog: 'Noch keine Einträge.',
  transcript: 'Live-Transkript',
  noTranscript: 'Noch nichts gesagt.',
  jumpToLive: 'Zum Live-Text springen',
  speakerBot: 'Bot',
  speakerCaller: 'Anrufer/in',
  speakerAgent: 'Mitarbeiter/in',
  speech_down: 'Spracherkennung unterbrochen – wird neu gestartet. Das Gespräch läuft weiter.',
  speech_failed: 'Spracherkennung ausgefallen.',
  speech_no_model: 'Kein Sprachmodell installiert – die Spracherkennung ist aus.',
  say: 'Ansage sprechen',
  sayText: 'Text für die Sprachausgabe',
  slowSpeech: 'Langsam sprechen',
} as const;

export type MessageKey = keyof typeof de;
type Dictionary = Record<MessageKey, string>;

const en: Dictionary = {
  appTitle: 'Lotse',
  language: 'Language',
  engine: 'Engine',
  engineConnected: 'Engine connected',
  engineConnecting: 'Connecting to engine …',
  engineClosed: 'Engine unreachable – retrying',
  registration: 'Phone server registration',
  reg_unregistered: 'Not registered',
  reg_registering: 'Registering …',
  reg_registered: 'Registered',
  reg_failed: 'Registration failed',
  register: 'Register',
  unregister: 'Unregister',
  retryIn: 'Retrying in {s} s',
  noRetry: 'No automatic retry – please check the settings.',
  phone: 'Phone',
  dialPad: 'Dial pad',
  numberToDial: 'Number or SIP address',
  dial: 'Call',
  deleteDigit: 'Delete last digit',
  call: 'Call',
  call_idle: 'No call',
  call_ringing: 'Incoming call',
  call_dialing: 'Dialling …',
  call_connected: 'Connected',
  call_ended: 'Ended',
  answer: 'Answer',
  decline: 'Decline',
  hangup: 'Hang up',
  mute: 'Mute',
  unmute: 'Unmute',
  testTone: 'Send test tone',
  dismiss: 'Dismiss',
  from: 'From',
  to: 'To',
  duration: 'Duration',
  audio: 'Audio',
  levelCaller: 'Caller level',
  levelAgent: 'Agent level',
  speech: 'speech',
  settings: 'Settings',
  serverUrl: 'Server (WebSocket)',
  sipUri: 'SIP address',
  authUser: 'Authentication user',
  password: 'Password',
  passwordStored: 'stored – leave empty to keep it',
  displayName: 'Display name',
  iceServers: 'ICE servers (one per line, empty = none)',
  autoRegister: 'Register automatically at start',
  save: 'Save',
  saved: 'Saved.',
  log: 'Log',
  noLog: 'No entries yet.',
  transcript: 'Live transcript',
  noTranscript: 'Nothing said yet.',
  jumpToLive: 'Jump to live',
  speakerBot: 'Bot',
  speakerCaller: 'Caller',
  speakerAgent: 'Agent',
  speech_down: 'Speech recognition interrupted – restarting. The call goes on.',
  speech_failed: 'Speech recognition failed.',
  speech_no_model: 'No speech model installed – recognition is off.',
  say: 'Speak',
  sayText: 'Text for speech output',
  slowSpeech: 'Speak slowly',
};

export type Language = 'de' | 'en';
const dictionaries: Record<Language, Dictionary> = { de, en };

export const languageStore = createStore<{ language: Language; setLanguage(l: Language): void }>()(
  (set) => ({
    // German unless the agent chose English (a preference, not a secret).
    language: localStorage.getItem('lotse.language') === 'en' ? 'en' : 'de',
    setLanguage: (language) => {
      localStorage.setItem('lotse.language', language);
      document.documentElement.lang = language;
      set({ language });
    },
  }),
);

export function translate(
  language: Language,
  key: MessageKey,
  params?: Record<string, string | number>,
): string {
  let text = dictionaries[language][key];
  if (params)
    for (const [name, value] of Object.entries(params))
      text = text.replace(`{${name}}`, String(value));
  return text;
}
