import { describe, expect, it } from 'vitest';
import {
  createDevicesStore,
  DEVICES_STORAGE_KEY,
  loadChoices,
  MAX_NOTICES,
  type DeviceInfoLike,
} from '../../../../renderer/audio/devices-store';

/** A Storage stand-in (Node has no localStorage). */
function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
  };
}

const mic = (id: string, label: string): DeviceInfoLike => ({
  deviceId: id,
  kind: 'audioinput',
  label,
});
const out = (id: string, label: string): DeviceInfoLike => ({
  deviceId: id,
  kind: 'audiooutput',
  label,
});

const DESK = [
  mic('default', 'Standard – Headset Mikrofon'),
  mic('communications', 'Kommunikation – Headset Mikrofon'),
  mic('laptop-mic', 'Laptop Mikrofon'),
  mic('headset-mic', 'Headset Mikrofon'),
  { deviceId: 'cam', kind: 'videoinput', label: 'Kamera' },
  out('default', 'Standard – Laptop Lautsprecher'),
  out('laptop-spk', 'Laptop Lautsprecher'),
  out('headset-spk', 'Headset Kopfhörer'),
];

describe('devices store', () => {
  it('starts on the system default when nothing is saved', () => {
    const store = createDevicesStore({ storage: memoryStorage() });
    const { roles } = store.getState();
    expect(roles.microphone).toEqual({ chosen: { id: '', label: '' }, active: '' });
    expect(roles.speaker.active).toBe('');
    expect(roles.ring.active).toBe('');
  });

  it('lists audio devices without the browser pseudo-devices, and keeps the default names', () => {
    const store = createDevicesStore({ storage: memoryStorage() });
    store.getState().setDevices(DESK);
    const s = store.getState();
    expect(s.listed).toBe(true);
    expect(s.inputs.map((d) => d.id)).toEqual(['laptop-mic', 'headset-mic']);
    expect(s.outputs.map((d) => d.id)).toEqual(['laptop-spk', 'headset-spk']);
    expect(s.defaultLabels).toEqual({
      input: 'Standard – Headset Mikrofon',
      output: 'Standard – Laptop Lautsprecher',
    });
  });

  it('remembers the choice across a restart (same storage, new store)', () => {
    const storage = memoryStorage();
    const first = createDevicesStore({ storage });
    first.getState().setDevices(DESK);
    first.getState().choose('microphone', 'headset-mic');
    first.getState().choose('speaker', 'headset-spk');
    first.getState().choose('ring', 'laptop-spk');
    expect(JSON.parse(storage.data.get(DEVICES_STORAGE_KEY) ?? '')).toEqual({
      microphone: { id: 'headset-mic', label: 'Headset Mikrofon' },
      speaker: { id: 'headset-spk', label: 'Headset Kopfhörer' },
      ring: { id: 'laptop-spk', label: 'Laptop Lautsprecher' },
    });

    const second = createDevicesStore({ storage });
    // Applied at once, before the first listing: the next call opens the headset.
    expect(second.getState().roles.microphone.active).toBe('headset-mic');
    second.getState().setDevices(DESK);
    const { roles, notices } = second.getState();
    expect(roles.microphone.active).toBe('headset-mic');
    expect(roles.speaker.active).toBe('headset-spk');
    expect(roles.ring.active).toBe('laptop-spk');
    expect(notices).toEqual([]);
  });

  it('a saved device that is not there: system default, a notice, and the choice kept', () => {
    const storage = memoryStorage({
      [DEVICES_STORAGE_KEY]: JSON.stringify({
        microphone: { id: 'gone-mic', label: 'USB Headset' },
        speaker: { id: 'headset-spk', label: 'Headset Kopfhörer' },
      }),
    });
    const store = createDevicesStore({ storage, now: () => 42 });
    store.getState().setDevices(DESK);
    const { roles, notices } = store.getState();
    expect(roles.microphone.active).toBe('');
    expect(roles.microphone.chosen).toEqual({ id: 'gone-mic', label: 'USB Headset' });
    expect(roles.microphone.fallback).toEqual({ reason: 'missing', seenGone: true });
    expect(roles.speaker.active).toBe('headset-spk');
    expect(notices).toEqual([
      {
        seq: expect.any(Number),
        role: 'microphone',
        reason: 'missing',
        label: 'USB Headset',
        at: 42,
      },
    ]);
    // Nothing was overwritten: plugged in tomorrow, it is used again.
    expect(loadChoices(storage).microphone.id).toBe('gone-mic');

    store.getState().setDevices([...DESK, mic('gone-mic', 'USB Headset')]);
    expect(store.getState().roles.microphone.active).toBe('gone-mic');
    expect(store.getState().roles.microphone.fallback).toBeUndefined();
    expect(store.getState().notices.map((n) => n.reason)).toEqual(['restored']);
  });

  it('judges nothing before the permission (no ids, no names)', () => {
    const storage = memoryStorage({
      [DEVICES_STORAGE_KEY]: JSON.stringify({ microphone: { id: 'headset-mic', label: 'H' } }),
    });
    const store = createDevicesStore({ storage });
    store.getState().setDevices([
      { deviceId: '', kind: 'audioinput', label: '' },
      { deviceId: '', kind: 'audiooutput', label: '' },
    ]);
    expect(store.getState().listed).toBe(false);
    expect(store.getState().roles.microphone.active).toBe('headset-mic');
    expect(store.getState().notices).toEqual([]);
  });

  it('a device unplugged while in use falls back and says "unplugged"', () => {
    const store = createDevicesStore({ storage: memoryStorage() });
    store.getState().setDevices(DESK);
    store.getState().choose('speaker', 'headset-spk');
    store.getState().choose('ring', 'headset-spk');
    store.getState().setDevices(DESK.filter((d) => !d.deviceId.startsWith('headset')));
    const { roles, notices } = store.getState();
    expect(roles.speaker).toMatchObject({ active: '', fallback: { reason: 'unplugged' } });
    expect(roles.ring).toMatchObject({ active: '', fallback: { reason: 'unplugged' } });
    expect(notices.map((n) => [n.role, n.reason, n.label])).toEqual([
      ['speaker', 'unplugged', 'Headset Kopfhörer'],
      ['ring', 'unplugged', 'Headset Kopfhörer'],
    ]);
    // A second listing without it adds no second notice.
    store.getState().setDevices(DESK.filter((d) => !d.deviceId.startsWith('headset')));
    expect(store.getState().notices).toHaveLength(2);
  });

  it('a microphone whose track ended stays on the default until it is gone and back (no flapping)', () => {
    const store = createDevicesStore({ storage: memoryStorage() });
    store.getState().setDevices(DESK);
    store.getState().choose('microphone', 'headset-mic');
    store.getState().deviceLost('microphone', 'unplugged', { label: 'Headset Mikrofon' });
    expect(store.getState().roles.microphone).toMatchObject({
      active: '',
      fallback: { reason: 'unplugged', seenGone: false },
    });
    // The list still shows it (the system has not noticed yet): no switch back.
    store.getState().setDevices(DESK);
    expect(store.getState().roles.microphone.active).toBe('');
    store.getState().setDevices(DESK.filter((d) => d.deviceId !== 'headset-mic'));
    expect(store.getState().roles.microphone.fallback?.seenGone).toBe(true);
    expect(store.getState().notices).toHaveLength(1);
    store.getState().setDevices(DESK);
    expect(store.getState().roles.microphone.active).toBe('headset-mic');
    expect(store.getState().notices.map((n) => n.reason)).toEqual(['restored']);
  });

  it('a device that refuses falls back; choosing it again retries it', () => {
    const store = createDevicesStore({ storage: memoryStorage() });
    store.getState().setDevices(DESK);
    store.getState().choose('speaker', 'headset-spk');
    store.getState().deviceLost('speaker', 'failed', { detail: 'NotFoundError' });
    expect(store.getState().roles.speaker.active).toBe('');
    expect(store.getState().notices[0]).toMatchObject({
      role: 'speaker',
      reason: 'failed',
      detail: 'NotFoundError',
      label: 'Headset Kopfhörer',
    });
    store.getState().choose('speaker', 'headset-spk');
    expect(store.getState().roles.speaker.active).toBe('headset-spk');
    expect(store.getState().notices).toEqual([]);
  });

  it('the default itself going away is reported, with nothing to fall back to', () => {
    const store = createDevicesStore({ storage: memoryStorage() });
    store.getState().setDevices(DESK);
    store.getState().deviceLost('microphone', 'unplugged', { label: 'Headset Mikrofon' });
    expect(store.getState().roles.microphone).toEqual({
      chosen: { id: '', label: '' },
      active: '',
    });
    expect(store.getState().notices[0]).toMatchObject({
      reason: 'unplugged',
      onDefault: true,
      label: 'Headset Mikrofon',
    });
  });

  it('finds a saved device again by its name when the browser gave it a new id', () => {
    const storage = memoryStorage({
      [DEVICES_STORAGE_KEY]: JSON.stringify({
        microphone: { id: 'old-id', label: 'Headset Mikrofon' },
      }),
    });
    const store = createDevicesStore({ storage });
    store.getState().setDevices(DESK);
    expect(store.getState().roles.microphone.active).toBe('headset-mic');
    expect(store.getState().notices).toEqual([]);
    expect(loadChoices(storage).microphone).toEqual({
      id: 'headset-mic',
      label: 'Headset Mikrofon',
    });
  });

  it('does not guess between two devices with the same name', () => {
    const storage = memoryStorage({
      [DEVICES_STORAGE_KEY]: JSON.stringify({ microphone: { id: 'old-id', label: 'Headset' } }),
    });
    const store = createDevicesStore({ storage });
    store.getState().setDevices([mic('a', 'Headset'), mic('b', 'Headset')]);
    expect(store.getState().roles.microphone.active).toBe('');
    expect(store.getState().notices[0]?.reason).toBe('missing');
  });

  it('unreadable saved data means system default, and other keys are left alone', () => {
    for (const raw of ['{not json', '"text"', 'null', JSON.stringify({ microphone: { id: 7 } })]) {
      const storage = memoryStorage({ [DEVICES_STORAGE_KEY]: raw, other: 'kept' });
      const store = createDevicesStore({ storage });
      expect(store.getState().roles.microphone.active).toBe('');
      expect(storage.data.get('other')).toBe('kept');
    }
    const throwing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const store = createDevicesStore({ storage: throwing });
    store.getState().setDevices(DESK);
    // Storage refuses: the choice still holds for this session.
    store.getState().choose('microphone', 'laptop-mic');
    expect(store.getState().roles.microphone.active).toBe('laptop-mic');
  });

  it('a saved pseudo-device id counts as the system default', () => {
    const storage = memoryStorage({
      [DEVICES_STORAGE_KEY]: JSON.stringify({ speaker: { id: 'default', label: 'x' } }),
    });
    expect(loadChoices(storage).speaker.id).toBe('');
  });

  it('keeps one notice per role, at most a few, and dismisses by number', () => {
    const store = createDevicesStore({ storage: memoryStorage() });
    store.getState().setDevices(DESK);
    store.getState().deviceLost('microphone', 'failed');
    store.getState().deviceLost('microphone', 'unplugged');
    store.getState().deviceLost('speaker', 'failed');
    const notices = store.getState().notices;
    expect(notices.map((n) => [n.role, n.reason])).toEqual([
      ['microphone', 'unplugged'],
      ['speaker', 'failed'],
    ]);
    expect(notices.length).toBeLessThanOrEqual(MAX_NOTICES);
    store.getState().dismissNotice(notices[0]?.seq ?? -1);
    expect(store.getState().notices.map((n) => n.role)).toEqual(['speaker']);
  });
});
