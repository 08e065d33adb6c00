/**
 * What the desktop shell allows, by build: a packaged app (what a job centre
 * installs) has no DevTools – they would show every request to the engine,
 * the transcript and the case on screen, and let anyone at the desk run code
 * with the bridge – and no default menu (whose entries reload the window
 * mid-call, toggle the DevTools, zoom …). A development build keeps both.
 *
 * Pure decisions (no 'electron' import), so they are tested in Node; main.ts
 * applies them: webPreferences.devTools, Menu.setApplicationMenu and a
 * before-input-event filter for the DevTools shortcuts.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface ShellPolicy {
  /** webPreferences.devTools, and whether the DevTools shortcuts reach the window. */
  devTools: boolean;
  /** 'default': Electron's menu; 'minimal': only what text fields need (macOS); 'none'. */
  menu: 'default' | 'minimal' | 'none';
}

export function shellPolicy(options: {
  packaged: boolean;
  platform: NodeJS.Platform;
}): ShellPolicy {
  if (!options.packaged) return { devTools: true, menu: 'default' };
  // macOS takes Cmd+C / Cmd+V from the Edit menu: without one, copy and paste in a field stop.
  return { devTools: false, menu: options.platform === 'darwin' ? 'minimal' : 'none' };
}

/**
 * The menu for Menu.buildFromTemplate: null for none (Menu.setApplicationMenu(null)),
 * undefined to keep Electron's default, else the minimal one (app and edit roles only).
 */
export function applicationMenuTemplate(
  policy: ShellPolicy,
): MenuItemConstructorOptions[] | null | undefined {
  if (policy.menu === 'default') return undefined;
  if (policy.menu === 'none') return null;
  return [
    { role: 'appMenu', submenu: [{ role: 'hide' }, { role: 'hideOthers' }, { role: 'quit' }] },
    {
      role: 'editMenu',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
  ];
}

/** The fields of Electron's before-input-event Input that matter here. */
export interface KeyInput {
  type: string;
  key: string;
  code?: string;
  control?: boolean;
  meta?: boolean;
  shift?: boolean;
  alt?: boolean;
}

/**
 * Chromium's shortcuts for the DevTools: F12, Ctrl+Shift+I/J/C (Windows,
 * Linux) and Cmd+Alt+I/J/C (macOS). Blocked in packaged builds, on top of
 * webPreferences.devTools = false.
 */
export function isDevToolsShortcut(input: KeyInput): boolean {
  if (input.type !== 'keyDown') return false;
  if (input.key === 'F12' || input.code === 'F12') return true;
  const letter = (input.code?.startsWith('Key') ? input.code.slice(3) : input.key).toUpperCase();
  if (!['I', 'J', 'C'].includes(letter)) return false;
  const windowsLinux = Boolean(input.control) && Boolean(input.shift);
  const mac = Boolean(input.meta) && Boolean(input.alt);
  return windowsLinux || mac;
}
