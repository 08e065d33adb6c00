/** Renderer entry: connect to the engine, build the services, render. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { languageStore } from './i18n';
import { createServices, ServicesContext } from './services';
import './app.css';

const root = createRoot(document.getElementById('root') as HTMLElement);
document.documentElement.lang = languageStore.getState().language;
let remoteAudio: HTMLAudioElement | null = null;
try {
  const services = createServices(() => remoteAudio);
  root.render(
    <StrictMode>
      <ServicesContext.Provider value={services}>
        <App remoteAudioRef={(element) => (remoteAudio = element)} />
      </ServicesContext.Provider>
    </StrictMode>,
  );
} catch (error) {
  root.render(
    <main className="fatal" role="alert">
      <h1>Lotse</h1>
      <p>{(error as Error).message}</p>
    </main>,
  );
}
