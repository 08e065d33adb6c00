/**
 * Spies for the incoming-call notification, installed into the app's page
 * before its scripts run: the page's Notification and document.hasFocus are
 * replaced (headless Chromium shows no notifications and always has the
 * focus), window.focus is counted. The notification permission itself stays
 * the browser's real one, granted to the context as the desktop shell grants
 * it to the app.
 */
import type { Page } from '@playwright/test';

export interface SpiedNotification {
  title: string;
  body: string;
  tag: string;
  closed: boolean;
}

interface SpyWindow {
  __notifications: {
    title: string;
    options: NotificationOptions;
    closed: boolean;
    onclick: ((e: Event) => void) | null;
  }[];
  __focusCalls: number;
  __appFocused: boolean;
  Notification: unknown;
}

/** Runs in the app page before its scripts: keep it self-contained (it is serialised). */
function installNotificationSpy(): void {
  const w = window as unknown as SpyWindow;
  w.__notifications = [];
  w.__focusCalls = 0;
  w.__appFocused = false;
  const Real = window.Notification;
  document.hasFocus = () => w.__appFocused;
  const focus = window.focus.bind(window);
  window.focus = () => {
    w.__focusCalls++;
    focus();
  };
  class SpyNotification {
    static get permission() {
      return Real.permission;
    }
    static requestPermission() {
      return Real.requestPermission();
    }
    onclick: ((e: Event) => void) | null = null;
    closed = false;
    constructor(
      readonly title: string,
      readonly options: NotificationOptions = {},
    ) {
      w.__notifications.push(this);
    }
    close() {
      this.closed = true;
    }
  }
  w.Notification = SpyNotification;
}

export class NotificationSpy {
  private constructor(private readonly page: Page) {}

  /** Call before the app loads. */
  static async install(page: Page): Promise<NotificationSpy> {
    await page.addInitScript(installNotificationSpy);
    return new NotificationSpy(page);
  }

  /** Every notification the app raised so far. */
  shown(): Promise<SpiedNotification[]> {
    return this.page.evaluate(() =>
      (window as unknown as SpyWindow).__notifications.map((n) => ({
        title: n.title,
        body: n.options.body ?? '',
        tag: n.options.tag ?? '',
        closed: n.closed,
      })),
    );
  }

  /** The user clicks the first notification. */
  async clickFirst(): Promise<void> {
    await this.page.evaluate(() =>
      (window as unknown as SpyWindow).__notifications[0]?.onclick?.(new Event('click')),
    );
  }

  /** How often the app called window.focus(). */
  focusCalls(): Promise<number> {
    return this.page.evaluate(() => (window as unknown as SpyWindow).__focusCalls);
  }

  /** Whether the app's window has the focus (document.hasFocus()). */
  async setAppFocused(focused: boolean): Promise<void> {
    await this.page.evaluate((f) => {
      (window as unknown as SpyWindow).__appFocused = f;
    }, focused);
  }
}
