/**
 * Lotse's Electron main process: app lifecycle, the one window, the engine
 * utility process and the wiring between them. The only code that imports
 * 'electron' (with the preload); everything it does is delegated to one
 * module per concept:
 *
 *   app-protocol.ts        lotse://app/ serves dist/renderer (no file://)
 *   security.ts            webPreferences, permissions, navigation, new windows
 *   shell-policy.ts        packaged builds: no DevTools, no default menu
 *   external-links.ts      which links open in the system browser (allow-list)
 *   engine-key.ts          the settings key, protected by safeStorage
 *   engine-process.ts      the engine utility process, restarted with backoff
 *   engine-window-link.ts  a fresh MessagePort to the window per engine start
 *   model-dialog.ts        the open dialog for a speech model zip or folder
 *
 * Environment: LOTSE_USER_DATA_DIR replaces Electron's userData directory
 * (used by the end-to-end tests to start from a clean profile);
 * LOTSE_EXTERNAL_LINK_HOSTS adds hosts whose links open in the system
 * browser (external-links.ts).
 *
 * Bundled by build/scripts/build.mjs to dist/electron/main.cjs; the preload
 * (preload.cjs), the engine (engine.cjs) and the renderer (../renderer) are
 * found relative to it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BrowserWindow, Menu, app, dialog, ipcMain, session, shell } from 'electron';
import { registerAppScheme, serveAppProtocol } from './app-protocol';
import { loadOrCreateEngineKey, type KeyProtection } from './engine-key';
import { EngineProcess } from './engine-process';
import { IPC_CHANNELS } from '../contract/ipc-channels';
import { EngineWindowLink } from './engine-window-link';
import { chooseModelPath } from './model-dialog';
import { describeError, log, setLogDirectory } from './main-log';
import { APP_ENTRY_URL } from './renderer-files';
import {
  applySessionSecurity,
  hardenWebContents,
  secureWebPreferences,
  type ExternalLinks,
} from './security';
import { loadExternalLinkAllowList, siteProfileCandidates } from './external-links';
import { applicationMenuTemplate, shellPolicy, type ShellPolicy } from './shell-policy';

const APP_ID = 'de.lotse.desktop';
const WINDOW_TITLE = 'Lotse';

const paths = {
  preload: path.join(__dirname, 'preload.cjs'),
  engine: path.join(__dirname, 'engine.cjs'),
  renderer: path.join(__dirname, '..', 'renderer'),
};

let mainWindow: BrowserWindow | undefined;
let engine: EngineProcess | undefined;
let link: EngineWindowLink | undefined;
let engineStopped = false;
/** Set in main(): app.isPackaged is known from the start. */
let policy: ShellPolicy = { devTools: false, menu: 'none' };
let links: ExternalLinks | undefined;

function useUserDataOverride(): void {
  const override = process.env.LOTSE_USER_DATA_DIR?.trim();
  if (!override) return;
  const dir = path.resolve(override);
  fs.mkdirSync(dir, { recursive: true });
  app.setPath('userData', dir);
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    title: WINDOW_TITLE,
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#f6f7f9',
    webPreferences: secureWebPreferences(paths.preload, { devTools: policy.devTools }),
  });
  // The title stays "Lotse" whatever the page sets (taskbar, alt-tab, tests).
  window.on('page-title-updated', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  window.webContents.on('render-process-gone', (_event, details) =>
    log('error', 'window', `renderer gone: ${details.reason} (exit code ${details.exitCode})`),
  );
  window.webContents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
    if (isMainFrame) log('error', 'window', `failed to load ${url}: ${description} (${code})`);
  });
  window.on('closed', () => {
    if (mainWindow === window) {
      mainWindow = undefined;
      link = undefined;
    }
  });
  return window;
}

/** The application menu the policy asks for: none, a minimal one, or Electron's default. */
function applyMenu(): void {
  const template = applicationMenuTemplate(policy);
  if (template === undefined) return;
  Menu.setApplicationMenu(template === null ? null : Menu.buildFromTemplate(template));
}

/** The links the window may open in the system browser (external-links.ts). */
function externalLinks(): ExternalLinks {
  const allowList = loadExternalLinkAllowList({
    env: process.env,
    siteProfileFiles: siteProfileCandidates({
      env: process.env,
      resourcesPath: process.resourcesPath,
      appDir: __dirname,
      cwd: process.cwd(),
    }),
  });
  for (const problem of allowList.problems) log('warn', 'security', problem);
  log('info', 'security', `links open in the system browser for: ${allowList.hosts.join(', ')}`);
  return { allowList: allowList.hosts, openExternal: (url) => shell.openExternal(url) };
}

function openMainWindow(): void {
  const window = createWindow();
  mainWindow = window;
  if (engine) link = new EngineWindowLink(window, engine);
  void window.loadURL(APP_ENTRY_URL).catch((error: unknown) => {
    log('error', 'window', `cannot load ${APP_ENTRY_URL}: ${describeError(error)}`);
  });
}

async function startup(): Promise<void> {
  applyMenu();
  const defaultSession = session.defaultSession;
  applySessionSecurity(defaultSession);
  serveAppProtocol(defaultSession, paths.renderer);

  const userData = app.getPath('userData');
  let key: Buffer;
  let keyProtection: KeyProtection;
  try {
    const loaded = await loadOrCreateEngineKey(userData);
    key = loaded.key;
    keyProtection = loaded.protection;
    log('info', 'main', `settings key ready (${loaded.protection})`);
  } catch (error) {
    log('error', 'main', `settings key unavailable: ${describeError(error)}`);
    dialog.showErrorBox(
      'Lotse kann nicht starten',
      'Der Schlüssel für die gespeicherten Einstellungen kann nicht gelesen werden.\n\n' +
        `${(error as Error).message}\n\nBitte wenden Sie sich an Ihre IT.`,
    );
    app.exit(1);
    return;
  }

  engine = new EngineProcess({
    modulePath: paths.engine,
    dataDir: userData,
    key,
    keyProtection,
    onStarted: () => link?.engineStarted(),
    onExited: (code) => link?.engineExited(code),
  });
  openMainWindow();
  engine.start();
}

function main(): void {
  useUserDataOverride();
  setLogDirectory(path.join(app.getPath('userData'), 'logs'));
  policy = shellPolicy({ packaged: app.isPackaged, platform: process.platform });
  links = externalLinks();
  app.enableSandbox();
  registerAppScheme();
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

  // One Lotse per user profile: a second start brings the running window forward.
  if (!app.requestSingleInstanceLock()) {
    log('info', 'main', 'Lotse is already running; handing over to the running instance');
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });

  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents, { devTools: policy.devTools, ...(links ? { links } : {}) }),
  );

  ipcMain.on(IPC_CHANNELS.enginePortRequest, (event) => link?.handlePortRequest(event));
  ipcMain.handle(IPC_CHANNELS.chooseModelPath, (event, request: unknown) =>
    chooseModelPath(event, request, {
      window: () => mainWindow,
      showOpenDialog: (window, options) => dialog.showOpenDialog(window, options),
    }),
  );

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (!mainWindow && engine) openMainWindow();
  });

  // Stop the engine cleanly before the app goes (it may be writing its store).
  app.on('will-quit', (event) => {
    if (engineStopped || !engine) return;
    event.preventDefault();
    const running = engine;
    void running
      .stop()
      .catch((error: unknown) =>
        log('error', 'main', `stopping the engine failed: ${describeError(error)}`),
      )
      .finally(() => {
        engineStopped = true;
        app.quit();
      });
  });

  app
    .whenReady()
    .then(startup)
    .catch((error: unknown) => {
      log('error', 'main', `startup failed: ${describeError(error)}`);
      dialog.showErrorBox('Lotse kann nicht starten', (error as Error)?.message ?? String(error));
      app.exit(1);
    });
}

main();
