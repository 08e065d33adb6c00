/**
 * The window's security settings in one place (Electron's security checklist).
 *
 * The renderer shows untrusted text (transcripts, case notes, SIP display
 * names) and talks to a user-configured server, so it is treated like a web
 * page: sandboxed, context-isolated, no Node, no navigation away from
 * lotse://app, no new windows, no <webview>, and only the two permissions a
 * softphone needs: the microphone ('media', audio only) and notifications
 * (incoming call while the window is in the background).
 */
import type { Session, WebContents, WebPreferences } from 'electron';
import { APP_HOST, APP_SCHEME } from './renderer-files';
import { log } from './main-log';

const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['media', 'notifications']);

/** webPreferences of every Lotse window; preloadPath is dist/electron/preload.cjs. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    // The ringtone must ring although nobody clicked into the window.
    autoplayPolicy: 'no-user-gesture-required',
  };
}

/**
 * True for URLs of the app itself (lotse://app/...). Compares scheme and host,
 * not URL.origin: Node's URL parser does not know that lotse: is a registered
 * standard scheme and reports the origin of any non-special scheme as "null".
 */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Permission requests and checks: microphone and notifications, from the app only. */
export function applySessionSecurity(session: Session): void {
  session.setPermissionRequestHandler((webContents, permission, callback, details) => {
    const fromApp = isAppUrl(details.requestingUrl) || isAppUrl(webContents.getURL());
    let granted = fromApp && ALLOWED_PERMISSIONS.has(permission);
    if (granted && permission === 'media') {
      // Microphone only: a camera has no business in a softphone.
      const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
      granted = mediaTypes.every((type) => type === 'audio');
    }
    if (!granted)
      log('warn', 'security', `permission "${permission}" denied for ${details.requestingUrl}`);
    callback(granted);
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) => {
    if (!isAppUrl(requestingOrigin) && !isAppUrl(details.requestingUrl)) return false;
    if (!ALLOWED_PERMISSIONS.has(permission)) return false;
    return permission !== 'media' || details.mediaType !== 'video';
  });
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event, item) => {
    log('warn', 'security', `download of ${item.getURL()} blocked`);
    event.preventDefault();
  });
}

/**
 * For every web contents the app creates: no navigation away from the app,
 * no new windows, no <webview>.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log('warn', 'security', `navigation to ${event.url} blocked`);
  });
  contents.on('will-redirect', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log('warn', 'security', `redirect to ${event.url} blocked`);
  });
  contents.setWindowOpenHandler(({ url }) => {
    log('warn', 'security', `window.open of ${url} denied`);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('warn', 'security', '<webview> blocked');
  });
}
