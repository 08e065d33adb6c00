/**
 * A desktop notification when a call rings while Lotse is not the focused
 * window (the agent works in the case system, the ringtone alone is easy to
 * miss). Web Notification API: in the desktop app the shell grants
 * 'notifications' to the app's own pages (electron/main/security.ts); in a
 * browser the agent allows it once.
 *
 * Not shown when: the agent switched it off, Lotse has the focus (the call
 * panel is in view), do not disturb is on (such calls never ring anyway), or
 * auto-answer or bot first is on (the call is answered at once, nothing rings). A click
 * brings Lotse to the front; the notification closes when the call stops
 * ringing. The preference is kept in the page's storage like the language:
 * it is a preference, not a secret.
 */
import { createStore } from 'zustand/vanilla';
import type { CallInfo, PhoneStore } from '../../phone/phone-store';

const STORAGE_KEY = 'lotse.notifyIncoming';

/** The part of the Notification API used here (window.Notification, or a fake in tests). */
export interface NotificationApi {
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (title: string, options?: NotificationOptions): NotificationHandle;
}
export interface NotificationHandle {
  onclick: ((event: Event) => void) | null;
  close(): void;
}

export function browserNotifications(): NotificationApi | undefined {
  return typeof Notification === 'function'
    ? (Notification as unknown as NotificationApi)
    : undefined;
}

function storedPreference(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) !== 'off';
  } catch {
    return true;
  }
}

export const notificationPreference = createStore<{
  enabled: boolean;
  permission: NotificationPermission | 'unsupported';
  setEnabled(enabled: boolean): Promise<void>;
  askPermission(): Promise<void>;
}>()((set, get) => ({
  // On unless the agent switched it off.
  enabled: storedPreference(),
  permission: browserNotifications()?.permission ?? 'unsupported',
  async setEnabled(enabled) {
    try {
      localStorage.setItem(STORAGE_KEY, enabled ? 'on' : 'off');
    } catch {
      // Storage full or blocked: the choice holds for this session.
    }
    set({ enabled });
    if (enabled) await get().askPermission();
  },
  async askPermission() {
    const api = browserNotifications();
    if (!api) return;
    if (api.permission === 'default') {
      set({ permission: await api.requestPermission().catch(() => api.permission) });
    } else {
      set({ permission: api.permission });
    }
  },
}));

export interface IncomingCallNotifierDeps {
  phoneStore: PhoneStore;
  notifications: () => NotificationApi | undefined;
  enabled: () => boolean;
  /** document.hasFocus(): is Lotse the window the agent looks at? */
  hasFocus: () => boolean;
  /** Brings Lotse to the front (window.focus()). */
  focusApp: () => void;
  text: (call: CallInfo) => { title: string; body: string };
}

/** Watches the phone for ringing calls; returns the function that stops watching. */
export function notifyIncomingCalls(deps: IncomingCallNotifierDeps): () => void {
  let shown: { callId: string | undefined; handle: NotificationHandle } | undefined;
  const closeShown = () => {
    shown?.handle.close();
    shown = undefined;
  };
  const unsubscribe = deps.phoneStore.subscribe((state, previous) => {
    const call = state.call;
    const ringing = call.state === 'ringing';
    const newRing = ringing && (previous.call.state !== 'ringing' || previous.call.id !== call.id);
    if (!ringing || newRing) closeShown();
    if (!newRing) return;
    const api = deps.notifications();
    if (!api || api.permission !== 'granted' || !deps.enabled() || deps.hasFocus()) return;
    if (state.policy.doNotDisturb || state.policy.autoAnswer || state.policy.botFirst) return;
    const { title, body } = deps.text(call);
    let handle: NotificationHandle;
    try {
      handle = new api(title, {
        body,
        // One notification per call; a newer one replaces it.
        tag: `lotse-call-${call.id ?? 'incoming'}`,
        requireInteraction: true,
      });
    } catch {
      // Some platforms only allow notifications from a service worker: no notification then.
      return;
    }
    handle.onclick = () => {
      deps.focusApp();
      handle.close();
    };
    shown = { callId: call.id, handle };
  });
  return () => {
    unsubscribe();
    closeShown();
  };
}
