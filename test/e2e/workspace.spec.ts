/**
 * The caseworker's workspace as a new caseworker meets it, at 1366×768 in
 * German and English, in real Chromium against Lotse in web mode:
 *
 *   1. the views (workspace, call history, worklist, settings, diagnostics)
 *      are reached from the navigation bar and by shortcut; each is one
 *      scroll region, the page never scrolls sideways, axe-core finds no
 *      serious or critical violation in any of them, also at 200 % zoom and
 *      320 CSS px wide (WCAG 1.4.10); a settings error stands at its field;
 *      the focus ring has at least 3:1 against the page; every shortcut says
 *      what it did, also when it could do nothing.
 *
 * Screenshots of every view go with the test's results (looked at, not
 * compared by pixels).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import type { LotsePage } from './support/lotse-page';
import { silentMicrophone } from './support/microphones';
import { skipWithout } from './support/test-bed-packages';
import { expectAccessible } from './support/accessibility';

test.use({ bed: { agentMicrophone: silentMicrophone } });
// Skipped only without Debian's chromium (a developer machine); .ci/run installs it.
skipWithout('chromium');
test.describe.configure({ mode: 'serial' });

const VIEWS = ['workspace', 'history', 'worklist', 'settings', 'diagnostics'] as const;
type ViewName = (typeof VIEWS)[number];
const KEYS: Record<ViewName, string> = {
  workspace: 'P',
  history: 'L',
  worklist: 'R',
  settings: 'S',
  diagnostics: 'D',
};
const TITLES: Record<'de' | 'en', Record<ViewName, string>> = {
  de: {
    workspace: 'Arbeitsplatz',
    history: 'Anrufliste',
    worklist: 'Rückrufe und Nachrichten',
    settings: 'Einstellungen',
    diagnostics: 'Diagnose',
  },
  en: {
    workspace: 'Workspace',
    history: 'Call history',
    worklist: 'Callbacks and messages',
    settings: 'Settings',
    diagnostics: 'Diagnostics',
  },
};

/** How far the page reaches beyond the window sideways and downwards (CSS px). */
async function overflow(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return { x: root.scrollWidth - root.clientWidth, y: root.scrollHeight - root.clientHeight };
  });
}

/** Elements other than the view itself that scroll vertically inside the view in front. */
async function innerScrollers(page: Page, view: ViewName): Promise<string[]> {
  return page.evaluate((name) => {
    const root = document.getElementById(`view-${name}`);
    if (!root) return ['(no view)'];
    const found: string[] = [];
    for (const el of root.querySelectorAll<HTMLElement>('*')) {
      const style = getComputedStyle(el);
      if (!/(auto|scroll)/.test(style.overflowY)) continue;
      if (el.scrollHeight <= el.clientHeight + 1) continue;
      found.push(el.className || el.tagName);
    }
    return found;
  }, view);
}

/** WCAG relative luminance of a CSS rgb() colour. */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
  const channel = (c = 0) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The focused element and whether a focus ring is drawn around it (≥ 2 px, not 'none'). */
async function focusNow(page: Page): Promise<{ id: string; ring: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { id: '', ring: false };
    const style = getComputedStyle(el);
    return {
      id: el.id,
      ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    };
  });
}

async function goByKey(app: LotsePage, view: ViewName, language: 'de' | 'en'): Promise<void> {
  await app.page.keyboard.press(`Control+Alt+${KEYS[view]}`);
  await expect(app.page.getByTestId(`nav-${view}`)).toHaveAttribute('aria-current', 'page');
  await expect(app.page.getByTestId(`view-${view}`)).toBeVisible();
  // The desk says where it went.
  await expect(app.deskNotice).toContainText(TITLES[language][view]);
}

test('views: a navigation bar and shortcuts, one scroll region each, nothing sideways, axe clean, in German and English', async ({
  app,
}) => {
  const { page } = app;
  for (const language of ['de', 'en'] as const) {
    await app.setLanguage(language);
    for (const view of VIEWS) {
      await goByKey(app, view, language);
      // The focus went somewhere visible: the view's heading (the call's on the workspace).
      expect(await focusNow(page), `${view}: the focus is on its heading, with a ring`).toEqual({
        id: view === 'workspace' ? 'call-heading' : `view-${view}-heading`,
        ring: true,
      });
      await app.screenshot(`view-${view}-${language}`);
      expect(await overflow(page), `${view}: the page itself does not scroll`).toEqual({
        x: 0,
        y: 0,
      });
      if (view !== 'workspace')
        expect(await innerScrollers(page, view), `${view}: one scroll region`).toEqual([]);
      if (language === 'de') await expectAccessible(page, `${view} (de)`);
    }
  }
  await app.setLanguage('de');

  // By the navigation bar, too (a click, as with a mouse).
  await page
    .getByRole('navigation', { name: 'Ansichten' })
    .getByRole('button', { name: 'Anrufliste' })
    .click();
  await expect(page.getByTestId('view-history')).toBeVisible();
  await expect(page.getByTestId('view-workspace')).toBeHidden();
  await app.view('workspace');
});

test('the focus ring stands out: at least 3:1 against the page, in the top bar too', async ({
  app,
}) => {
  const { page } = app;
  await app.view('workspace');
  await page.getByRole('button', { name: 'Anmelden', exact: true }).focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const ring = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const style = getComputedStyle(el);
    return {
      color: style.outlineColor,
      width: style.outlineWidth,
      visible: el.matches(':focus-visible'),
    };
  });
  expect(ring.visible).toBe(true);
  expect(parseFloat(ring.width)).toBeGreaterThanOrEqual(2);
  // Against the white panels and the grey page.
  expect(contrast(ring.color, 'rgb(255, 255, 255)')).toBeGreaterThanOrEqual(3);
  expect(contrast(ring.color, 'rgb(244, 245, 247)')).toBeGreaterThanOrEqual(3);
  // In the dark top bar.
  await page.getByTestId('nav-history').focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const top = await page.evaluate(
    () => getComputedStyle(document.activeElement as HTMLElement).outlineColor,
  );
  expect(contrast(top, 'rgb(18, 38, 63)')).toBeGreaterThanOrEqual(3);
  await app.view('workspace');
});

test('shortcuts that can do nothing say so: no suggestion, no call, no case', async ({ app }) => {
  const { page } = app;
  await app.view('workspace');
  await page.locator('body').click({ position: { x: 5, y: 700 } });
  await page.keyboard.press('Control+Alt+V');
  await expect(app.deskNotice).toHaveText('Kein Vorschlag vorhanden.');
  await page.keyboard.press('Control+Alt+A');
  await expect(app.deskNotice).toHaveText('Kein Anruf zum Annehmen.');
  await page.keyboard.press('Control+Alt+H');
  await expect(app.deskNotice).toHaveText('Kein laufendes Gespräch.');
  // The same words twice are said twice (a new notice each time).
  const seq = Number(await app.deskNotice.getAttribute('data-seq'));
  await page.keyboard.press('Control+Alt+H');
  await expect(app.deskNotice).toHaveAttribute('data-seq', String(seq + 1));
  // From another view, the transcript shortcut brings the workspace and shows the focus there.
  await app.view('settings');
  await page.keyboard.press('Control+Alt+T');
  await expect(page.getByTestId('view-workspace')).toBeVisible();
  await expect(app.deskNotice).toHaveText('Fokus im Transkript.');
  // Nothing said yet: the transcript's heading has it (its list, once there is one).
  expect(await focusNow(page)).toEqual({ id: 'transcript-heading', ring: true });
  // The transcript's heading stays in view.
  const heading = await page.locator('#transcript-heading').boundingBox();
  expect(heading && heading.y >= 0 && heading.y + heading.height <= 768).toBe(true);
});

test('a settings error stands at its field, in plain words (screenshots in German and English)', async ({
  app,
}) => {
  const { page } = app;
  await app.view('settings');
  const server = page.getByLabel('Server (WebSocket)');
  const saved = await server.inputValue();
  await server.fill('http://pbx.jobcenter.example');
  await page.getByRole('button', { name: 'Speichern', exact: true }).click();
  await expect(server).toHaveAttribute('aria-invalid', 'true');
  await app.screenshot('settings-error-de');
  await app.setLanguage('en');
  await app.screenshot('settings-error-en');
  await app.setLanguage('de');
  await server.fill(saved);
  await expect(server).not.toHaveAttribute('aria-invalid', 'true');
  await app.view('workspace');
});

for (const size of [
  { name: '200 % zoom', width: 683, height: 384 },
  { name: '320 CSS px', width: 320, height: 640 },
]) {
  test(`${size.name}: every view reflows into one column, nothing sideways, axe clean`, async ({
    app,
  }) => {
    const { page } = app;
    await page.setViewportSize({ width: size.width, height: size.height });
    try {
      for (const view of VIEWS) {
        await app.view(view);
        await app.screenshot(`reflow-${size.width}-${view}`);
        const { x } = await overflow(page);
        const wide = await page.evaluate((width) => {
          const out: string[] = [];
          for (const el of document.querySelectorAll<HTMLElement>('body *')) {
            const box = el.getBoundingClientRect();
            if (box.width > 0 && box.right > width + 1)
              out.push(`${el.tagName}.${el.className}#${el.id} ${Math.round(box.right)}`);
          }
          return out.slice(0, 8);
        }, size.width);
        expect(x, `${view} at ${size.name}: no sideways scrolling (${wide.join('; ')})`).toBe(0);
        await expectAccessible(page, `${view} at ${size.name}`);
      }
      // The workspace's three areas are all reachable by scrolling down (none off to the side).
      await app.view('workspace');
      for (const id of ['#call-heading', '#transcript-heading', '#case-heading']) {
        const box = await page.locator(id).boundingBox();
        expect(box && box.x >= 0 && box.x + box.width <= size.width, `${id} inside the width`).toBe(
          true,
        );
      }
    } finally {
      await page.setViewportSize({ width: 1366, height: 768 });
    }
  });
}
