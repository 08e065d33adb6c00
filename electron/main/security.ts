/**
 * The window's security settings in one place (Electron's security checklist).
 *
 * The renderer shows untrusted text (transcripts, case notes, SIP display
 * names) and talks to a user-configured server, so it is treated like a web
 * page: sandboxed, context-isolated, no Node, no navigation away from
 * lotse://app, no Lotse window for any other page, no <webview>, and only
 * the permissions a softphone needs, for the app's own pages only: the
 * microphone ('media', audio only), notifications (incoming call while the
 * window is in the background) and writing to the clipboard
 * ('clipboard-sanitized-write': Copy and Strg+Alt+V of a suggested answer;
 * reading the clipboard stays denied).
 *
 * A link the page opens (a suggestion's source: window.open, target=_blank,
 * or a navigation) goes to the system browser when its host is on the
 * allow-list (external-links.ts), and nowhere otherwise; both are logged.
 *
 * The decisions are plain functions (permissionRequestAllowed,
 * permissionCheckAllowed, externalLinkDecision) tested in Node; the handlers
 * below only plug them in.
 */
import type { Session, WebContents, WebPreferences } from 'electron';
import { APP_HOST, APP_SCHEME } from './renderer-files';
import { externalLinkDecision } from './external-links';
import { isDevToolsShortcut } from './shell-policy';
import { describeError, log } from './main-log';

/** What the app's own pages may have; everything else, and anything for another page, is denied. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set([
  'media',
  'notifications',
  'clipboard-sanitized-write',
]);

/** webPreferences of every Lotse window; preloadPath is dist/electron/preload.cjs. */
export function secureWebPreferences(
  preloadPath: string,
  options: { devTools: boolean } = { devTools: true },
): WebPreferences {
  return {
    preload: preloadPath,
    // Off in packaged builds (shell-policy.ts).
    devTools: options.devTools,
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

/** A permission request as Electron's request handler sees it. */
export interface PermissionRequest {
  permission: string;
  /** details.requestingUrl: the frame that asks. */
  requestingUrl?: string | undefined;
  /** webContents.getURL(): the page it belongs to. */
  pageUrl?: string | undefined;
  /** For 'media': what is asked for ('audio', 'video'). */
  mediaTypes?: readonly string[] | undefined;
}

/** Grant a request? Only the app's pages, only ALLOWED_PERMISSIONS, a microphone but no camera. */
export function permissionRequestAllowed(request: PermissionRequest): boolean {
  const fromApp = isAppUrl(request.requestingUrl) || isAppUrl(request.pageUrl);
  if (!fromApp || !ALLOWED_PERMISSIONS.has(request.permission)) return false;
  // Microphone only: a camera has no business in a softphone.
  if (request.permission === 'media') return (request.mediaTypes ?? []).every((t) => t === 'audio');
  return true;
}

/** A permission check as Electron's check handler sees it. */
export interface PermissionCheck {
  permission: string;
  requestingOrigin?: string | undefined;
  /** details.requestingUrl. */
  requestingUrl?: string | undefined;
  /** For 'media': 'audio', 'video' or 'unknown'. */
  mediaType?: string | undefined;
}

/** Answer a check with yes? The same rule as requests (navigator.clipboard.writeText asks this way). */
export function permissionCheckAllowed(check: PermissionCheck): boolean {
  if (!isAppUrl(check.requestingOrigin) && !isAppUrl(check.requestingUrl)) return false;
  if (!ALLOWED_PERMISSIONS.has(check.permission)) return false;
  return check.permission !== 'media' || check.mediaType !== 'video';
}

/** Permission requests and checks, devices and downloads for the app's session. */
export function applySessionSecurity(session: Session): void {
  session.setPermissionRequestHandler((webContents, permission, callback, details) => {
    const granted = permissionRequestAllowed({
      permission,
      requestingUrl: details.requestingUrl,
      pageUrl: webContents.getURL(),
      mediaTypes: 'mediaTypes' in details ? details.mediaTypes : undefined,
    });
    if (!granted)
      log('warn', 'security', `permission "${permission}" denied for ${details.requestingUrl}`);
    callback(granted);
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) =>
    permissionCheckAllowed({
      permission,
      requestingOrigin,
      requestingUrl: details.requestingUrl,
      mediaType: details.mediaType,
    }),
  );
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event, item) => {
    log('warn', 'security', `download of ${item.getURL()} blocked`);
    event.preventDefault();
  });
}

/** How hardenWebContents opens an allowed link: shell.openExternal, and the allow-list. */
export interface ExternalLinks {
  allowList: readonly string[];
  openExternal(url: string): Promise<void>;
}

/** An outside URL the page wants to open: the system browser if allowed, else nothing. Logged either way. */
export function openOutside(url: string, links: ExternalLinks | undefined, via: string): void {
  const decision = externalLinkDecision(url, links?.allowList ?? []);
  if (!decision.allowed || !links) {
    const why = decision.allowed ? 'no system browser for this window' : decision.reason;
    const origin = decision.allowed ? new URL(decision.url).origin : decision.origin;
    log('warn', 'security', `${via} to ${origin} refused (${why})`);
    return;
  }
  log('info', 'security', `${via}: ${new URL(decision.url).origin} opened in the system browser`);
  links.openExternal(decision.url).catch((error: unknown) => {
    log('warn', 'security', `system browser did not open: ${describeError(error)}`);
  });
}

/**
 * For every web contents the app creates: no navigation away from the app,
 * no new windows, no <webview>. A link to an allowed host (a suggestion's
 * source) opens in the system browser instead. Without DevTools (packaged
 * builds, shell-policy.ts) their shortcuts are swallowed as well.
 */
export function hardenWebContents(
  contents: WebContents,
  options: { links?: ExternalLinks; devTools?: boolean } = {},
): void {
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    openOutside(event.url, options.links, 'navigation');
  });
  contents.on('will-redirect', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log('warn', 'security', `redirect to ${event.url} blocked`);
  });
  contents.setWindowOpenHandler(({ url }) => {
    // Never a Lotse window for another page: the system browser, or nothing.
    openOutside(url, options.links, 'window.open');
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('warn', 'security', '<webview> blocked');
  });
  if (options.devTools === false) {
    contents.on('before-input-event', (event, input) => {
      if (isDevToolsShortcut(input)) event.preventDefault();
    });
    // Belt and braces: webPreferences.devTools is off, so this should never fire.
    contents.on('devtools-opened', () => {
      log('warn', 'security', 'DevTools opened in a packaged build: closed');
      contents.closeDevTools();
    });
  }
}
