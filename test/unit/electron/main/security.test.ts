/**
 * The shell's security decisions without Electron (issue 13, point 7): the
 * handlers of electron/main/security.ts driven through fakes of a session
 * and a web contents.
 *
 * - Writing to the clipboard ('clipboard-sanitized-write') is granted to the
 *   app's own pages only (else Copy and Strg+Alt+V fail in the desktop app);
 *   reading it, and everything for another page, stays denied.
 * - window.open / target=_blank and navigations to an allowed host go to the
 *   system browser (shell.openExternal), anything else nowhere; never a
 *   Lotse window.
 * - Packaged builds: no DevTools in webPreferences, their shortcuts swallowed.
 */
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  applySessionSecurity,
  hardenWebContents,
  permissionCheckAllowed,
  permissionRequestAllowed,
  secureWebPreferences,
} from '../../../../electron/main/security';

type RequestHandler = (
  webContents: { getURL(): string },
  permission: string,
  callback: (granted: boolean) => void,
  details: Record<string, unknown>,
) => void;
type CheckHandler = (
  webContents: unknown,
  permission: string,
  requestingOrigin: string,
  details: Record<string, unknown>,
) => boolean;

/** The parts of a Session that applySessionSecurity uses. */
function fakeSession() {
  const handlers: { request?: RequestHandler; check?: CheckHandler } = {};
  const session = Object.assign(new EventEmitter(), {
    setPermissionRequestHandler: (handler: RequestHandler) => (handlers.request = handler),
    setPermissionCheckHandler: (handler: CheckHandler) => (handlers.check = handler),
    setDevicePermissionHandler: () => undefined,
  });
  applySessionSecurity(session as never);
  const request = (
    permission: string,
    requestingUrl: string,
    extra: Record<string, unknown> = {},
  ) =>
    new Promise<boolean>((resolve) =>
      handlers.request!({ getURL: () => requestingUrl }, permission, resolve, {
        requestingUrl,
        ...extra,
      }),
    );
  const check = (permission: string, origin: string, extra: Record<string, unknown> = {}) =>
    handlers.check!(undefined, permission, origin, { requestingUrl: `${origin}/`, ...extra });
  return { request, check };
}

/** The parts of a WebContents that hardenWebContents uses. */
function fakeContents() {
  const emitter = new EventEmitter();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  let devToolsClosed = 0;
  const contents = Object.assign(emitter, {
    setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
    closeDevTools: () => void (devToolsClosed += 1),
  });
  const windowOpen = (url: string) => openHandler!({ url });
  const navigate = (url: string) => {
    let prevented = false;
    emitter.emit('will-navigate', { url, preventDefault: () => (prevented = true) });
    return prevented;
  };
  const key = (input: Record<string, unknown>) => {
    let prevented = false;
    emitter.emit('before-input-event', { preventDefault: () => (prevented = true) }, input);
    return prevented;
  };
  return { contents, windowOpen, navigate, key, devToolsClosed: () => devToolsClosed };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  // The main log writes every line to stderr: quiet in the test report.
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => vi.restoreAllMocks());

describe('permissions', () => {
  it('lets the app write to the clipboard, and nobody else', async () => {
    const { request, check } = fakeSession();
    expect(check('clipboard-sanitized-write', 'lotse://app')).toBe(true);
    expect(await request('clipboard-sanitized-write', 'lotse://app/index.html')).toBe(true);
    expect(check('clipboard-sanitized-write', 'https://example.org')).toBe(false);
    expect(await request('clipboard-sanitized-write', 'https://example.org/')).toBe(false);
    // Reading the clipboard is not needed and stays denied.
    expect(check('clipboard-read', 'lotse://app')).toBe(false);
    expect(await request('clipboard-read', 'lotse://app/index.html')).toBe(false);
  });

  it('keeps the microphone and notifications for the app, no camera', async () => {
    const { request, check } = fakeSession();
    expect(await request('media', 'lotse://app/index.html', { mediaTypes: ['audio'] })).toBe(true);
    expect(await request('media', 'lotse://app/index.html', { mediaTypes: ['video'] })).toBe(false);
    expect(check('media', 'lotse://app', { mediaType: 'video' })).toBe(false);
    expect(check('notifications', 'lotse://app')).toBe(true);
    expect(await request('geolocation', 'lotse://app/index.html')).toBe(false);
  });

  it('decides as plain functions', () => {
    expect(
      permissionRequestAllowed({
        permission: 'clipboard-sanitized-write',
        requestingUrl: 'lotse://app/',
      }),
    ).toBe(true);
    expect(
      permissionRequestAllowed({
        permission: 'clipboard-sanitized-write',
        requestingUrl: 'lotse://other/',
      }),
    ).toBe(false);
    expect(
      permissionCheckAllowed({ permission: 'clipboard-sanitized-write', requestingOrigin: 'null' }),
    ).toBe(false);
  });
});

describe('links and navigation', () => {
  it('opens an allowed source in the system browser and never in a Lotse window', async () => {
    const opened: string[] = [];
    const fake = fakeContents();
    hardenWebContents(fake.contents as never, {
      links: {
        allowList: ['gesetze-im-internet.de'],
        openExternal: async (url) => void opened.push(url),
      },
    });
    expect(fake.windowOpen('https://www.gesetze-im-internet.de/sgb_2/__42.html')).toEqual({
      action: 'deny',
    });
    expect(fake.windowOpen('https://example.org/phish')).toEqual({ action: 'deny' });
    expect(fake.windowOpen('http://www.gesetze-im-internet.de/')).toEqual({ action: 'deny' });
    expect(fake.navigate('https://www.gesetze-im-internet.de/sgb_1/__35.html')).toBe(true);
    expect(fake.navigate('https://example.org/')).toBe(true);
    expect(fake.navigate('lotse://app/index.html')).toBe(false);
    await settle();
    expect(opened).toEqual([
      'https://www.gesetze-im-internet.de/sgb_2/__42.html',
      'https://www.gesetze-im-internet.de/sgb_1/__35.html',
    ]);
  });

  it('opens nothing without an allow-list', async () => {
    const fake = fakeContents();
    hardenWebContents(fake.contents as never);
    expect(fake.windowOpen('https://www.gesetze-im-internet.de/')).toEqual({ action: 'deny' });
    expect(fake.navigate('https://www.gesetze-im-internet.de/')).toBe(true);
  });
});

describe('DevTools', () => {
  it('are off in the webPreferences of a packaged build, on in development', () => {
    expect(secureWebPreferences('/p.cjs', { devTools: false }).devTools).toBe(false);
    expect(secureWebPreferences('/p.cjs', { devTools: true }).devTools).toBe(true);
    expect(secureWebPreferences('/p.cjs', { devTools: false })).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
  });

  it('swallows the DevTools shortcuts and closes DevTools in a packaged build', () => {
    const packaged = fakeContents();
    hardenWebContents(packaged.contents as never, { devTools: false });
    expect(packaged.key({ type: 'keyDown', key: 'F12' })).toBe(true);
    expect(
      packaged.key({ type: 'keyDown', key: 'I', code: 'KeyI', control: true, shift: true }),
    ).toBe(true);
    expect(
      packaged.key({ type: 'keyDown', key: 'v', code: 'KeyV', control: true, alt: true }),
    ).toBe(false);
    packaged.contents.emit('devtools-opened');
    expect(packaged.devToolsClosed()).toBe(1);

    const development = fakeContents();
    hardenWebContents(development.contents as never, { devTools: true });
    expect(development.key({ type: 'keyDown', key: 'F12' })).toBe(false);
  });
});
