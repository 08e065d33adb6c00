/**
 * Root layout: the top bar (title, the views' navigation, engine status,
 * language), the arrival of a call on top of every view, what the desk just
 * did, then the view in front. The workspace is the caseworker's screen in
 * three columns at 1366×768 (phone and bot | wrap-up and transcript | case
 * and suggested answers) that fit the window; the call history, the
 * worklist, the settings and the diagnostics are views of their own, each
 * one scroll region. Narrow windows and 200 % zoom stack everything into
 * one column (WCAG 1.4.10 reflow). All views stay mounted, only the one in
 * front is shown.
 */
import { useEffect, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { CallArrival } from '../features/arrival/call-arrival';
import { useDeskShortcuts } from '../features/shortcuts/desk-shortcuts';
import { BotMode } from '../features/bot/bot-mode';
import { CasePanel } from '../features/case/case-panel';
import { SuggestionsPanel } from '../features/suggestions/suggestions-panel';
import { WrapUpPanel } from '../features/wrap-up/wrap-up-panel';
import { BotLines } from '../features/bot/bot-lines';
import { BotPanel } from '../features/bot/bot-panel';
import { PracticePanel } from '../features/bot/practice-panel';
import { WorklistPanel } from '../features/bot/worklist-panel';
import { HistoryPanel } from '../features/history/history-panel';
import {
  NotificationSetting,
  useIncomingCallNotifications,
} from '../features/notifications/notification-setting';
import { CallDiagnostics } from '../features/phone/call-diagnostics';
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
import type { ViewName } from '../stores/view-store';
import { useT } from './app-messages';
import { DeskNotice } from './desk-notice';
import { NavBar } from './nav-bar';

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

/** One view: shown when in front, its heading the focus target when it comes to the front. */
function View(props: { name: ViewName; children: ReactNode; title?: 'hidden' }) {
  const { viewStore } = useServices();
  const t = useT();
  const view = useFrom(viewStore, (s) => s.view);
  return (
    <section
      id={`view-${props.name}`}
      className={`view view-${props.name}`}
      hidden={view !== props.name}
      aria-labelledby={`view-${props.name}-heading`}
      data-testid={`view-${props.name}`}
    >
      <h2
        id={`view-${props.name}-heading`}
        tabIndex={-1}
        className={props.title === 'hidden' ? 'visually-hidden' : 'view-title'}
      >
        {props.name === 'workspace' ? t('workspaceHeading') : t(`view_${props.name}`)}
      </h2>
      {props.children}
    </section>
  );
}

/** A call placed from any view (history, worklist) brings the workspace, where the call is, to the front. */
function useWorkspaceOnDialing(): void {
  const { phoneStore, viewStore } = useServices();
  useEffect(
    () =>
      phoneStore.subscribe((state, previous) => {
        if (state.call.state === 'dialing' && previous.call.state !== 'dialing')
          viewStore.getState().go('workspace');
      }),
    [phoneStore, viewStore],
  );
}

export function App(props: { remoteAudioRef: (element: HTMLAudioElement | null) => void }) {
  const t = useT();
  useWorkspaceOnDialing();
  useDeskShortcuts();
  const language = useStore(languageStore, (s) => s.language);
  useIncomingCallNotifications(language);
  return (
    <div className="app">
      <header className="topbar">
        <h1>{t('appTitle')}</h1>
        <NavBar />
        <EngineStatus />
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
      <CallArrival />
      {/* A device that went away concerns every view. */}
      <DeviceNotices />
      <DeskNotice />
      <main className="views">
        <View name="workspace" title="hidden">
          {/* The caseworker's screen: phone and bot | the conversation | case and answers. */}
          <div className="workspace">
            <div className="ws-column ws-phone" aria-label={t('phone')} role="region">
              <RegistrationPanel />
              <CallPanel />
              <BotPanel />
              <BotLines />
              <PracticePanel />
              <DialPad />
              <BotMode />
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
        </View>
        <View name="history">
          <HistoryPanel />
        </View>
        <View name="worklist">
          <WorklistPanel />
        </View>
        <View name="settings">
          <div className="view-grid">
            <AccountSettings />
            <AudioDevices />
            <SpeechModels />
            <ShortcutSettings />
            <section className="panel" aria-labelledby="notifications-heading">
              <h2 id="notifications-heading">{t('notifications')}</h2>
              <NotificationSetting />
            </section>
          </div>
        </View>
        <View name="diagnostics">
          <div className="view-grid">
            <LevelMeters />
            <CallDiagnostics />
            <EngineLog />
          </div>
        </View>
      </main>
      {/* The agent hears the caller here; the engine taps the same stream. */}
      <audio ref={props.remoteAudioRef} autoPlay data-testid="remote-audio" />
    </div>
  );
}
