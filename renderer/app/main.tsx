/** Renderer entry: connect to the engine, build the services, render. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { languageStore } from '../i18n/language';
import { AssistDeskContext } from '../features/assist/assist-desk-context';
import { BotDeskContext } from '../features/bot/bot-desk-context';
import { ServicesContext } from '../services/services-context';
import { NoEngineError } from '../bridge/connect';
import { appMessages } from './app-messages';
import { createServices } from './create-services';
import './app.css';

const root = createRoot(document.getElementById('root') as HTMLElement);
document.documentElement.lang = languageStore.getState().language;
let remoteAudio: HTMLAudioElement | null = null;
try {
  const { services, bot, assist } = createServices(() => remoteAudio);
  root.render(
    <StrictMode>
      <ServicesContext.Provider value={services}>
        <BotDeskContext.Provider value={bot}>
          <AssistDeskContext.Provider value={assist}>
            <App remoteAudioRef={(element) => (remoteAudio = element)} />
          </AssistDeskContext.Provider>
        </BotDeskContext.Provider>
      </ServicesContext.Provider>
    </StrictMode>,
  );
} catch (error) {
  root.render(
    <main className="fatal" role="alert">
      <h1>Lotse</h1>
      <p>
        {error instanceof NoEngineError
          ? appMessages.translate(languageStore.getState().language, 'noEngineToken')
          : appMessages.translate(languageStore.getState().language, 'startFailed', {
              detail: (error as Error).message,
            })}
      </p>
    </main>,
  );
}
