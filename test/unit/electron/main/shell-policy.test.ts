/**
 * The desktop shell by build (issue 13, point 7): a packaged app has no
 * DevTools and no default menu (a minimal edit menu on macOS, where copy and
 * paste come from it); a development build keeps both; the DevTools
 * shortcuts are recognised on every platform.
 */
import { describe, expect, it } from 'vitest';
import {
  applicationMenuTemplate,
  isDevToolsShortcut,
  shellPolicy,
} from '../../../../electron/main/shell-policy';

describe('shell policy', () => {
  it('turns DevTools and the default menu off in packaged builds', () => {
    expect(shellPolicy({ packaged: true, platform: 'win32' })).toEqual({
      devTools: false,
      menu: 'none',
    });
    expect(shellPolicy({ packaged: true, platform: 'linux' })).toEqual({
      devTools: false,
      menu: 'none',
    });
    expect(shellPolicy({ packaged: true, platform: 'darwin' })).toEqual({
      devTools: false,
      menu: 'minimal',
    });
  });

  it('keeps them in development', () => {
    expect(shellPolicy({ packaged: false, platform: 'linux' })).toEqual({
      devTools: true,
      menu: 'default',
    });
  });

  it('builds no menu, the default one, or a minimal one without DevTools or reload', () => {
    expect(applicationMenuTemplate({ devTools: false, menu: 'none' })).toBeNull();
    expect(applicationMenuTemplate({ devTools: true, menu: 'default' })).toBeUndefined();
    const minimal = applicationMenuTemplate({ devTools: false, menu: 'minimal' }) ?? [];
    const roles = JSON.stringify(minimal);
    expect(roles).toContain('"copy"');
    expect(roles).toContain('"paste"');
    expect(roles).not.toMatch(/toggleDevTools|reload|forceReload|viewMenu/i);
  });

  it.each([
    { type: 'keyDown', key: 'F12' },
    { type: 'keyDown', key: 'I', code: 'KeyI', control: true, shift: true },
    { type: 'keyDown', key: 'j', code: 'KeyJ', control: true, shift: true },
    { type: 'keyDown', key: 'C', code: 'KeyC', control: true, shift: true },
    { type: 'keyDown', key: 'i', code: 'KeyI', meta: true, alt: true },
  ])('recognises the DevTools shortcut %o', (input) => {
    expect(isDevToolsShortcut(input)).toBe(true);
  });

  it.each([
    { type: 'keyUp', key: 'F12' },
    { type: 'keyDown', key: 'c', code: 'KeyC', control: true },
    { type: 'keyDown', key: 'v', code: 'KeyV', control: true, alt: true },
    { type: 'keyDown', key: 'I', code: 'KeyI', shift: true },
    { type: 'keyDown', key: 'F5' },
  ])('leaves other keys alone %o', (input) => {
    expect(isDevToolsShortcut(input)).toBe(false);
  });
});
