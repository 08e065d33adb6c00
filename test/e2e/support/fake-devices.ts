/**
 * An extra, pluggable microphone and observable sinks for the device tests,
 * installed into the app's page before its scripts run (page.addInitScript).
 *
 * Headless Chromium with --use-fake-device-for-media-stream lists three
 * inputs ("Fake Default Audio Input", "Fake Audio Input 1/2") and three
 * outputs, but all inputs play the same fake file, so a switch between them
 * cannot be heard. This adds a "headset": a real MediaStream from a WebAudio
 * OscillatorNode at a known frequency, returned by getUserMedia for its
 * device id and listed by enumerateDevices while "plugged in". Unplugging
 * stops its track and fires 'ended' on it (track.stop() alone does not), then
 * 'devicechange' – what a real USB headset does. Outputs can be "unplugged"
 * too: hidden from the listing.
 *
 * Also recorded: every microphone track handed out (with the device Chromium
 * really opened), every setSinkId call (element and id), and how often a
 * peer connection set a local description (a renegotiation would add one).
 *
 * Plug state lives in sessionStorage, so it holds across a reload.
 */
import type { Page } from '@playwright/test';

export interface FakeHeadset {
  deviceId: string;
  label: string;
  toneHz: number;
}

export interface MicRecord {
  /** The device asked for ('' = default). */
  asked: string;
  /** What the track says it is (Chromium's real device id; '' for the headset's synthetic track). */
  deviceId: string;
  label: string;
  readyState: string;
}

/** Runs in the page: keep it self-contained (it is serialised). */
function installFakeDevices(headset: FakeHeadset): void {
  const md = navigator.mediaDevices;
  const enumerate = md.enumerateDevices.bind(md);
  const open = md.getUserMedia.bind(md);
  const KEY = 'lotse-test-fake-devices';
  type Saved = { headset: boolean; hiddenOutputs: string[] };
  const load = (): Saved => {
    try {
      return {
        headset: true,
        hiddenOutputs: [],
        ...JSON.parse(sessionStorage.getItem(KEY) ?? '{}'),
      };
    } catch {
      return { headset: true, hiddenOutputs: [] };
    }
  };
  const saved = load();
  const save = () => sessionStorage.setItem(KEY, JSON.stringify(saved));
  const mics: { asked: string; track: MediaStreamTrack }[] = [];
  const sinkCalls: { element: string; id: string }[] = [];
  const ringtones: HTMLMediaElement[] = [];
  let localDescriptions = 0;

  md.enumerateDevices = async () => {
    const list = (await enumerate()).filter(
      (d) => !(d.kind === 'audiooutput' && saved.hiddenOutputs.includes(d.label)),
    );
    if (saved.headset) {
      list.push({
        deviceId: headset.deviceId,
        groupId: 'lotse-test-headset',
        kind: 'audioinput',
        label: headset.label,
        toJSON() {
          return this;
        },
      } as MediaDeviceInfo);
    }
    return list;
  };

  md.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    const audio = constraints?.audio;
    const wanted =
      typeof audio === 'object' && audio !== null && typeof audio.deviceId === 'object'
        ? (audio.deviceId as ConstrainDOMStringParameters).exact
        : undefined;
    const asked = typeof wanted === 'string' ? wanted : '';
    if (asked === headset.deviceId) {
      if (!saved.headset) {
        const error = new Error('');
        error.name = 'OverconstrainedError';
        throw error;
      }
      const context = new AudioContext();
      const osc = context.createOscillator();
      osc.frequency.value = headset.toneHz;
      const gain = context.createGain();
      gain.gain.value = 0.5;
      const destination = context.createMediaStreamDestination();
      osc.connect(gain).connect(destination);
      osc.start();
      void context.resume();
      const track = destination.stream.getAudioTracks()[0] as MediaStreamTrack;
      track.addEventListener('ended', () => void context.close());
      mics.push({ asked, track });
      return destination.stream;
    }
    const stream = await open(constraints);
    const track = stream.getAudioTracks()[0];
    if (track) mics.push({ asked, track });
    return stream;
  };

  const setSinkId = HTMLMediaElement.prototype.setSinkId;
  HTMLMediaElement.prototype.setSinkId = function (this: HTMLMediaElement, id: string) {
    const isRingtone = this.src.includes('ringtone');
    if (isRingtone && !ringtones.includes(this)) ringtones.push(this);
    sinkCalls.push({
      element: this.dataset.testid ?? (isRingtone ? 'ringtone' : this.src || 'element'),
      id,
    });
    return setSinkId.call(this, id);
  };

  const setLocal = RTCPeerConnection.prototype.setLocalDescription;
  RTCPeerConnection.prototype.setLocalDescription = function (
    this: RTCPeerConnection,
    ...args: Parameters<RTCPeerConnection['setLocalDescription']>
  ) {
    localDescriptions++;
    return setLocal.apply(this, args);
  } as RTCPeerConnection['setLocalDescription'];

  (window as unknown as { __fakeDevices: unknown }).__fakeDevices = {
    /** Gone, but nobody told the page yet (no 'ended', no devicechange): opening it fails. */
    unplugHeadsetQuietly() {
      saved.headset = false;
      save();
    },
    unplugHeadset() {
      saved.headset = false;
      save();
      for (const mic of mics) {
        if (mic.asked !== headset.deviceId || mic.track.readyState !== 'live') continue;
        mic.track.stop();
        mic.track.dispatchEvent(new Event('ended'));
      }
      md.dispatchEvent(new Event('devicechange'));
    },
    /** The system takes the current microphone away without a device change (no devicechange). */
    endMicrophone() {
      const live = mics.filter((m) => m.track.readyState === 'live').at(-1);
      if (!live) return false;
      live.track.stop();
      live.track.dispatchEvent(new Event('ended'));
      return true;
    },
    plugHeadset() {
      saved.headset = true;
      save();
      md.dispatchEvent(new Event('devicechange'));
    },
    unplugOutput(label: string) {
      saved.hiddenOutputs.push(label);
      save();
      md.dispatchEvent(new Event('devicechange'));
    },
    mics: () =>
      mics.map(({ asked, track }) => ({
        asked,
        deviceId: track.getSettings().deviceId ?? '',
        label: track.label,
        readyState: track.readyState,
      })),
    sinkCalls: () => sinkCalls.slice(),
    ringtone: () => {
      const element = ringtones[0];
      return element ? { sinkId: element.sinkId, paused: element.paused } : undefined;
    },
    localDescriptions: () => localDescriptions,
  };
}

interface FakeDevicesApi {
  unplugHeadset(): void;
  plugHeadset(): void;
  unplugHeadsetQuietly(): void;
  endMicrophone(): boolean;
  unplugOutput(label: string): void;
  mics(): MicRecord[];
  sinkCalls(): { element: string; id: string }[];
  ringtone(): { sinkId: string; paused: boolean } | undefined;
  localDescriptions(): number;
}

/** Page-side handle on the fake devices (install with `install` before the page loads). */
export class FakeDevices {
  constructor(
    private readonly page: Page,
    readonly headset: FakeHeadset,
  ) {}

  static async install(page: Page, headset: FakeHeadset): Promise<FakeDevices> {
    await page.addInitScript(installFakeDevices, headset);
    return new FakeDevices(page, headset);
  }

  private call<K extends keyof FakeDevicesApi>(
    name: K,
    arg?: string,
  ): Promise<ReturnType<FakeDevicesApi[K]>> {
    return this.page.evaluate(
      ([n, a]) => {
        const api = (
          window as unknown as { __fakeDevices: Record<string, (x?: string) => unknown> }
        ).__fakeDevices;
        return api[n as string]?.(a) as ReturnType<FakeDevicesApi[K]>;
      },
      [name, arg] as const,
    );
  }

  unplugHeadset = () => this.call('unplugHeadset');
  plugHeadset = () => this.call('plugHeadset');
  unplugHeadsetQuietly = () => this.call('unplugHeadsetQuietly');
  endMicrophone = () => this.call('endMicrophone');
  unplugOutput = (label: string) => this.call('unplugOutput', label);
  mics = () => this.call('mics');
  sinkCalls = () => this.call('sinkCalls');
  ringtone = () => this.call('ringtone');
  localDescriptions = () => this.call('localDescriptions');

  /** The real device ids Chromium lists, by label. */
  async deviceIds(): Promise<Record<string, string>> {
    return this.page.evaluate(async () => {
      const list = await navigator.mediaDevices.enumerateDevices();
      return Object.fromEntries(list.map((d) => [`${d.kind}:${d.label}`, d.deviceId]));
    });
  }

  /** The sink of the element the agent hears the caller through. */
  remoteSinkId(): Promise<string> {
    return this.page.evaluate(
      () =>
        (document.querySelector('[data-testid="remote-audio"]') as HTMLAudioElement | null)
          ?.sinkId ?? 'missing',
    );
  }
}
