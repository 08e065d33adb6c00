/**
 * Root layout at 1366×768: the status bar, then the caseworker's screen in
 * three columns (phone and bot | transcript and wrap-up | case and suggested
 * answers), each scrolling on its own; settings and diagnostics below.
 */
import { useStore } from 'zustand';
import { BotMode } from '../features/bot/bot-mode';
import { CasePanel } from '../features/case/case-panel';
import { SuggestionsPanel } from '../features/suggestions/suggestions-panel';
import { WrapUpPanel } from '../features/wrap-up/wrap-up-panel';
import { BotPanel } from '../features/bot/bot-panel';
import { PracticePanel } from '../features/bot/practice-panel';
import { WorklistPanel } from '../features/bot/worklist-panel';
import { HistoryPanel } from '../features/history/history-panel';
import {
  NotificationSetting,
  useIncomingCallNotifications,
} from '../features/notifications/notification-setting';
import { CallPanel } from '../features/phone/call-panel';
import { DialPad } from '../features/phone/dial-pad';
import { LevelMeters } from '../features/phone/level-meters';
import { RegistrationPanel } from '../features/phone/registration-panel';
import { AccountSettings } from '../features/settings/account-settings';
import { AudioDevices, DeviceNotices } from '../features/settings/audio-devices';
import { EngineLog } from '../features/settings/engine-log';
import { ShortcutSettings } from '../features/settings/shortcut-settings';
import { SpeechModels } from '../features/settings/speech-models';
import { TranscriptPanel } from '../features/transcript/transcript-panel';
import { languageStore } from '../i18n/language';
import { useFrom, useServices } from '../services/services-context';
import { useT } from './app-messages';

function EngineStatus() {
  const { engineStore } = useServices();
  const t = useT();
  const status = useFrom(engineStore, (s) => s.status);
  const version = useFrom(engineStore, (s) => s.version);
  const text =
    status === 'open'
      ? t('engineConnected')
      : status === 'connecting'
        ? t('engineConnecting')
        : t('engineClosed');
  return (
    <span
      role="status"
      data-testid="engine-status"
      data-state={status}
      className={`engine engine-${status}`}
    >
      {text}
      {version ? ` (${version})` : ''}
    </span>
  );
}

export function App(props: { remoteAudioRef: (element: HTMLAudioElement | null) => void }) {
  const t = useT();
  const language = useStore(languageStore, (s) => s.language);
  useIncomingCallNotifications(language);
  return (
    <div className="app">
      <header className="topbar">
        <h1>{t('appTitle')}</h1>
        <EngineStatus />
        <NotificationSetting />
        <label className="language">
          {t('language')}{' '}
          <select
            value={language}
            onChange={(e) =>
              languageStore.getState().setLanguage(e.target.value === 'en' ? 'en' : 'de')
            }
          >
            <option value="de">Deutsch</option>
            <option value="en">English</option>
          </select>
        </label>
      </header>
      <main>
        {/* The caseworker's screen: phone and bot | the conversation | case and answers. */}
        <div className="workspace">
          <div className="ws-column ws-phone" aria-label={t('phone')} role="region">
            <RegistrationPanel />
            <CallPanel />
            <DeviceNotices />
            <BotPanel />
            <PracticePanel />
            <DialPad />
            <BotMode />
            <WorklistPanel />
            <HistoryPanel />
          </div>
          <div className="ws-column ws-call">
            <WrapUpPanel />
            <TranscriptPanel />
          </div>
          <div className="ws-column ws-assist">
            <CasePanel />
            <SuggestionsPanel />
          </div>
        </div>
        <section className="settings-area" aria-labelledby="settings-area-heading">
          <h2 id="settings-area-heading">{t('settingsArea')}</h2>
          <div className="settings-grid">
            <LevelMeters />
            <AccountSettings />
            <AudioDevices />
            <ShortcutSettings />
            <SpeechModels />
            <EngineLog />
          </div>
        </section>
      </main>
      {/* The agent hears the caller here; the engine taps the same stream. */}
      <audio ref={props.remoteAudioRef} autoPlay data-testid="remote-audio" />
    </div>
  );
}
