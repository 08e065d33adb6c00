import { describe, expect, it } from 'vitest';
import type { MicrophoneEvent } from '../../../../renderer/audio/audio-path';
import {
  DeviceController,
  describeNoticeForLog,
  type MediaDevicesLike,
} from '../../../../renderer/audio/devices';
import { createDevicesStore, type DeviceInfoLike } from '../../../../renderer/audio/devices-store';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Fake navigator.mediaDevices: a device list the test plugs and unplugs. */
class FakeMediaDevices implements MediaDevicesLike {
  devices: DeviceInfoLike[] = [
    { deviceId: 'default', kind: 'audioinput', label: 'Standard' },
    { deviceId: 'laptop-mic', kind: 'audioinput', label: 'Laptop Mikrofon' },
    { deviceId: 'headset-mic', kind: 'audioinput', label: 'Headset Mikrofon' },
    { deviceId: 'laptop-spk', kind: 'audiooutput', label: 'Laptop Lautsprecher' },
    { deviceId: 'headset-spk', kind: 'audiooutput', label: 'Headset Kopfhörer' },
  ];
  permissionAsked = 0;
  stoppedTracks = 0;
  private listeners = new Set<() => void>();
  async enumerateDevices() {
    return this.devices.map((d) => ({ ...d }));
  }
  async getUserMedia(): Promise<MediaStream> {
    this.permissionAsked++;
    const track = { stop: () => this.stoppedTracks++ };
    return { getTracks: () => [track] } as unknown as MediaStream;
  }
  addEventListener(_type: 'devicechange', listener: () => void) {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'devicechange', listener: () => void) {
    this.listeners.delete(listener);
  }
  unplug(prefix: string) {
    this.devices = this.devices.filter((d) => !d.deviceId.startsWith(prefix));
    this.listeners.forEach((l) => l());
  }
}

/** Fake call microphone (AudioPath): records the devices it was asked to open. */
class FakeMicrophone {
  opened: string[] = [];
  refuse = new Set<string>();
  private listener?: (event: MicrophoneEvent) => void;
  async setMicrophone(deviceId: string) {
    this.opened.push(deviceId);
    if (this.refuse.has(deviceId)) throw new Error('OverconstrainedError');
  }
  onMicrophoneEvent(listener: (event: MicrophoneEvent) => void) {
    this.listener = listener;
    return () => (this.listener = undefined);
  }
  emit(event: MicrophoneEvent) {
    this.listener?.(event);
  }
}

/** An element with setSinkId; refuses ids in `refuse`. */
class FakeSink {
  sinkId = '';
  calls: string[] = [];
  refuse = new Set<string>();
  async setSinkId(id: string) {
    this.calls.push(id);
    if (this.refuse.has(id)) throw new DOMException('Requested device not found', 'NotFoundError');
    this.sinkId = id;
  }
}

function setup(storage = new Map<string, string>()) {
  const store = createDevicesStore({
    storage: {
      getItem: (k) => storage.get(k) ?? null,
      setItem: (k, v) => void storage.set(k, v),
    },
  });
  const media = new FakeMediaDevices();
  const microphone = new FakeMicrophone();
  const remote = new FakeSink();
  const ringtone = new FakeSink();
  const alert = {
    calls: [] as string[],
    setSinkId: async (id: string) => void alert.calls.push(id),
  };
  const log: string[] = [];
  const controller = new DeviceController({
    store,
    media,
    microphone,
    speakers: () => [remote],
    ringers: () => [ringtone, alert],
    log: (level, message) => log.push(`${level}: ${message}`),
    outputSelectable: true,
  });
  return { store, media, microphone, remote, ringtone, alert, log, controller, storage };
}

describe('device controller', () => {
  it('lists the devices at start and applies a choice to the call speaker and the ring device', async () => {
    const h = setup();
    h.controller.start();
    await flush();
    expect(h.store.getState().inputs.map((d) => d.id)).toEqual(['laptop-mic', 'headset-mic']);
    h.store.getState().choose('speaker', 'headset-spk');
    h.store.getState().choose('ring', 'laptop-spk');
    h.store.getState().choose('microphone', 'headset-mic');
    await flush();
    expect(h.remote.sinkId).toBe('headset-spk');
    expect(h.ringtone.sinkId).toBe('laptop-spk');
    expect(h.alert.calls).toContain('laptop-spk');
    expect(h.microphone.opened.at(-1)).toBe('headset-mic');
  });

  it('applies a remembered choice at start', async () => {
    const first = setup();
    first.controller.start();
    await flush();
    first.store.getState().choose('speaker', 'headset-spk');
    first.store.getState().choose('microphone', 'headset-mic');
    const second = setup(first.storage);
    second.controller.start();
    await flush();
    expect(second.remote.sinkId).toBe('headset-spk');
    expect(second.microphone.opened).toEqual(['headset-mic']);
  });

  it('a headset unplugged: speaker and ring back to the default, logged, the microphone too', async () => {
    const h = setup();
    h.controller.start();
    await flush();
    h.store.getState().choose('speaker', 'headset-spk');
    h.store.getState().choose('ring', 'headset-spk');
    h.store.getState().choose('microphone', 'headset-mic');
    await flush();
    h.media.unplug('headset');
    await flush();
    expect(h.remote.sinkId).toBe('');
    expect(h.ringtone.sinkId).toBe('');
    expect(h.microphone.opened.at(-1)).toBe('');
    expect(h.log.filter((l) => l.startsWith('warn:'))).toEqual([
      expect.stringContaining('microphone "Headset Mikrofon" unplugged'),
      expect.stringContaining('call speaker "Headset Kopfhörer" unplugged'),
      expect.stringContaining('ring device "Headset Kopfhörer" unplugged'),
    ]);
    // The choice is remembered: plugged in again, the headset is used again.
    h.media.devices.push(
      { deviceId: 'headset-mic', kind: 'audioinput', label: 'Headset Mikrofon' },
      { deviceId: 'headset-spk', kind: 'audiooutput', label: 'Headset Kopfhörer' },
    );
    h.media.unplug('nothing');
    await flush();
    expect(h.remote.sinkId).toBe('headset-spk');
    expect(h.microphone.opened.at(-1)).toBe('headset-mic');
    expect(h.log.filter((l) => l.startsWith('info:'))).toHaveLength(3);
  });

  it('a microphone track that ends mid-call switches to the default microphone', async () => {
    const h = setup();
    h.controller.start();
    await flush();
    h.store.getState().choose('microphone', 'headset-mic');
    await flush();
    h.microphone.opened = [];
    h.microphone.emit({ type: 'ended', deviceId: 'headset-mic', label: 'Headset Mikrofon' });
    await flush();
    expect(h.microphone.opened).toEqual(['']);
    expect(h.store.getState().notices).toMatchObject([
      { role: 'microphone', reason: 'unplugged', label: 'Headset Mikrofon' },
    ]);
    expect(
      h.log.some((l) => /warn: microphone "Headset Mikrofon" unplugged.*stays connected/.test(l)),
    ).toBe(true);
  });

  it('the default microphone ending is opened again', async () => {
    const h = setup();
    h.controller.start();
    await flush();
    h.microphone.opened = [];
    h.microphone.emit({ type: 'ended', deviceId: '', label: 'Standard' });
    await flush();
    expect(h.microphone.opened).toEqual(['']);
    expect(h.store.getState().notices[0]).toMatchObject({ onDefault: true, reason: 'unplugged' });
  });

  it('a chosen microphone that refuses to open falls back to the default', async () => {
    const h = setup();
    h.controller.start();
    await flush();
    h.microphone.refuse.add('headset-mic');
    h.store.getState().choose('microphone', 'headset-mic');
    await flush();
    expect(h.microphone.opened.slice(-2)).toEqual(['headset-mic', '']);
    expect(h.store.getState().notices[0]).toMatchObject({ reason: 'failed', role: 'microphone' });
  });

  it('a call that had to start on the default reports the chosen device as failed', async () => {
    const h = setup();
    h.controller.start();
    await flush();
    h.store.getState().choose('microphone', 'headset-mic');
    h.microphone.emit({ type: 'failed', deviceId: 'headset-mic', error: 'NotReadableError' });
    expect(h.store.getState().roles.microphone.active).toBe('');
    expect(h.store.getState().notices[0]).toMatchObject({
      reason: 'failed',
      detail: 'NotReadableError',
    });
  });

  it('a speaker that refuses its sink falls back to the default sink', async () => {
    const h = setup();
    h.controller.start();
    await flush();
    h.store.getState().choose('speaker', 'laptop-spk');
    await flush();
    h.remote.refuse.add('headset-spk');
    h.store.getState().choose('speaker', 'headset-spk');
    await flush();
    // Not left on the previous choice either: the default, as the notice says.
    expect(h.remote.calls).toEqual(['laptop-spk', 'headset-spk', '']);
    expect(h.remote.sinkId).toBe('');
    expect(h.store.getState().notices[0]).toMatchObject({
      role: 'speaker',
      reason: 'failed',
      detail: 'Requested device not found',
    });
  });

  it('asks for the permission once and stops the probe track', async () => {
    const h = setup();
    h.controller.start();
    expect(await h.controller.requestPermission()).toBe(true);
    expect(h.media.permissionAsked).toBe(1);
    expect(h.media.stoppedTracks).toBe(1);
  });

  it('stop() stops following device changes', async () => {
    const h = setup();
    h.controller.start();
    await flush();
    h.store.getState().choose('speaker', 'headset-spk');
    h.controller.stop();
    h.media.unplug('headset');
    await flush();
    expect(h.store.getState().roles.speaker.active).toBe('headset-spk');
  });

  it('log lines are English (the screen words the notice from its code)', () => {
    expect(
      describeNoticeForLog({ seq: 1, role: 'ring', reason: 'missing', label: 'USB', at: 0 }),
    ).toBe('saved ring device "USB" not found, using the system default');
  });
});
