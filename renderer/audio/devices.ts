/**
 * Audio devices at the desk: lists microphones and speakers, follows
 * plugging and unplugging (`devicechange`), and applies the agent's choice
 * from the devices store:
 *
 *   microphone  → getUserMedia({ deviceId: { exact } }) for the next call, and
 *                 during a call a swap in the call's graph (no renegotiation);
 *   speaker     → setSinkId on every element that plays call audio;
 *   ring device → setSinkId on the ringtone element and the handoff alert.
 *
 * When a device goes away in use – the microphone track ends, a device is
 * missing from a listing, a sink refuses – the store falls back to the
 * system default and records a notice; this controller logs it and applies
 * the default at once. The call is never touched: only the source in front
 * of the microphone gain or an element's sink changes.
 *
 * UI-free (the settings section and the notices render the store).
 */
import type { DeviceInfoLike, DeviceNotice, DeviceRole, DevicesStore } from './devices-store';
import type { MicrophoneEvent } from './audio-path';

/** The part of navigator.mediaDevices used here (a fake in unit tests). */
export interface MediaDevicesLike {
  enumerateDevices(): Promise<DeviceInfoLike[]>;
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
  addEventListener(type: 'devicechange', listener: () => void): void;
  removeEventListener(type: 'devicechange', listener: () => void): void;
}

/** Something that plays on a chosen output: an <audio> element, the alert tone. */
export interface SinkTarget {
  setSinkId?(sinkId: string): Promise<void>;
  readonly sinkId?: string;
}

/** The call microphone (AudioPath). */
export interface CallMicrophone {
  setMicrophone(deviceId: string): Promise<void>;
  onMicrophoneEvent(listener: (event: MicrophoneEvent) => void): () => void;
}

export type LogLevel = 'info' | 'warn' | 'error';

export interface DeviceControllerDeps {
  store: DevicesStore;
  /** navigator.mediaDevices; undefined outside a secure context. */
  media: MediaDevicesLike | undefined;
  microphone: CallMicrophone;
  /** Elements that play the call's audio locally (the remote <audio>). */
  speakers: () => (SinkTarget | null | undefined)[];
  /** The ringtone element and the handoff alert. */
  ringers: () => (SinkTarget | null | undefined)[];
  log: (level: LogLevel, message: string) => void;
  /** Whether outputs can be chosen at all (HTMLMediaElement.prototype.setSinkId). */
  outputSelectable?: boolean;
}

/** The browser's media devices, if this page may use them. */
export function browserMediaDevices(): MediaDevicesLike | undefined {
  if (typeof navigator === 'undefined') return undefined;
  return navigator.mediaDevices as MediaDevicesLike | undefined;
}

export function browserCanChooseOutput(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

const ROLE_NAMES: Record<DeviceRole, string> = {
  microphone: 'microphone',
  speaker: 'call speaker',
  ring: 'ring device',
};

/**
 * One line for the desk's log (English, like every log line; the screen
 * words the same notice in the agent's language from its reason code).
 */
export function describeNoticeForLog(notice: DeviceNotice): string {
  const role = ROLE_NAMES[notice.role];
  const name = notice.label ? ` "${notice.label}"` : '';
  const detail = notice.detail ? ` (${notice.detail})` : '';
  if (notice.onDefault) {
    return notice.reason === 'unplugged'
      ? `default ${role}${name} went away, opening the default again`
      : `default ${role} unusable${detail}`;
  }
  switch (notice.reason) {
    case 'missing':
      return `saved ${role}${name} not found, using the system default`;
    case 'unplugged':
      return `${role}${name} unplugged, switched to the system default, a call in progress stays connected`;
    case 'failed':
      return `${role}${name} unusable${detail}, using the system default`;
    case 'restored':
      return `${role}${name} is back and in use`;
  }
}

export class DeviceController {
  private readonly cleanup: (() => void)[] = [];
  private refreshing?: Promise<void>;
  private refreshAgain = false;
  private started = false;

  constructor(private readonly deps: DeviceControllerDeps) {}

  /** Lists the devices, follows changes and applies the choice from now on. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const { store, media, microphone } = this.deps;
    store.getState().setOutputSelectable(this.deps.outputSelectable ?? browserCanChooseOutput());
    if (media) {
      const onChange = () => void this.refresh();
      media.addEventListener('devicechange', onChange);
      this.cleanup.push(() => media.removeEventListener('devicechange', onChange));
    }
    this.cleanup.push(
      microphone.onMicrophoneEvent((event) => this.onMicrophoneEvent(event)),
      store.subscribe((state, previous) => {
        for (const notice of state.notices) {
          if (!previous.notices.some((n) => n.seq === notice.seq)) this.logNotice(notice);
        }
        for (const role of ['microphone', 'speaker', 'ring'] as const) {
          if (state.roles[role].active !== previous.roles[role].active) this.apply(role);
        }
      }),
    );
    // The saved choice applies before the first listing arrives: the next call
    // opens the saved microphone; a missing one falls back when listed.
    for (const role of ['microphone', 'speaker', 'ring'] as const) this.apply(role);
    void this.refresh();
  }

  stop(): void {
    this.cleanup.splice(0).forEach((fn) => fn());
    this.started = false;
  }

  /** Lists the devices again (also after the microphone permission was given). */
  refresh(): Promise<void> {
    if (this.refreshing) {
      // A change during a listing: list once more when this one is done.
      this.refreshAgain = true;
      return this.refreshing;
    }
    const media = this.deps.media;
    if (!media) return Promise.resolve();
    this.refreshing = (async () => {
      try {
        do {
          this.refreshAgain = false;
          const devices = await media.enumerateDevices();
          this.deps.store.getState().setDevices(devices);
        } while (this.refreshAgain);
      } catch (error) {
        this.deps.log('warn', `cannot list devices: ${message(error)}`);
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  /**
   * Asks for the microphone permission (the browser shows device names only
   * after it) and lists again. Resolves false when the agent or the system
   * refused.
   */
  async requestPermission(): Promise<boolean> {
    const media = this.deps.media;
    if (!media) return false;
    try {
      const stream = await media.getUserMedia({ audio: true, video: false });
      stream.getTracks().forEach((track) => track.stop());
    } catch (error) {
      this.deps.log('warn', `microphone permission refused: ${message(error)}`);
      return false;
    }
    await this.refresh();
    return true;
  }

  /** Sets the sinks again, e.g. when a call starts (the element may be new). */
  applyOutputs(): void {
    this.apply('speaker');
    this.apply('ring');
  }

  private apply(role: DeviceRole): void {
    const active = this.deps.store.getState().roles[role].active;
    if (role === 'microphone') {
      this.deps.microphone.setMicrophone(active).catch((error: unknown) => {
        // A newer choice replaced this one meanwhile: nothing to report.
        if (this.deps.store.getState().roles.microphone.active !== active) return;
        // The chosen device refused: the store falls back (and the default is
        // opened); the default refused: the notice says there is no microphone.
        this.deps.store.getState().deviceLost('microphone', 'failed', { detail: message(error) });
      });
      return;
    }
    if (!this.deps.store.getState().outputSelectable) return;
    const targets = (role === 'speaker' ? this.deps.speakers() : this.deps.ringers()).filter(
      (t): t is SinkTarget => !!t && typeof t.setSinkId === 'function',
    );
    for (const target of targets) {
      if (target.sinkId !== undefined && target.sinkId === active) continue;
      target.setSinkId?.(active).catch((error: unknown) => {
        if (this.deps.store.getState().roles[role].active !== active) return;
        this.deps.store.getState().deviceLost(role, 'failed', { detail: message(error) });
      });
    }
  }

  private onMicrophoneEvent(event: MicrophoneEvent): void {
    const store = this.deps.store;
    if (event.type === 'failed') {
      // The call started on the default instead of the chosen device.
      if (store.getState().roles.microphone.active === event.deviceId && event.deviceId !== '')
        store.getState().deviceLost('microphone', 'failed', { detail: event.error });
      return;
    }
    const before = store.getState().roles.microphone.active;
    store.getState().deviceLost('microphone', 'unplugged', { label: event.label });
    // Already on the default (which ended): open it again. Otherwise the store
    // change above has started the switch.
    if (store.getState().roles.microphone.active === before) this.apply('microphone');
    // The device list has probably changed too.
    void this.refresh();
  }

  private logNotice(notice: DeviceNotice): void {
    this.deps.log(notice.reason === 'restored' ? 'info' : 'warn', describeNoticeForLog(notice));
  }
}

function message(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
