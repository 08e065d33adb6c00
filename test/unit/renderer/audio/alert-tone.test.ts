import { describe, expect, it } from 'vitest';
import { AlertTone, type AlertAudio } from '../../../../renderer/audio/alert-tone';

/** Just enough of an AudioContext for the alert's bursts. */
function fakeContext(withSinkId: boolean) {
  const node = () => ({ connect: (n: unknown) => n, frequency: { value: 0 } });
  const context = {
    currentTime: 0,
    destination: { name: 'destination' },
    sinks: [] as string[],
    resume: async () => undefined,
    createOscillator: () => ({ ...node(), start: () => {}, stop: () => {} }),
    createGain: () => ({
      ...node(),
      gain: { setValueAtTime: () => {}, linearRampToValueAtTime: () => {} },
    }),
    createMediaStreamDestination: () => ({ name: 'stream-destination', stream: { id: 's' } }),
    ...(withSinkId ? { setSinkId: async (id: string) => void context.sinks.push(id) } : {}),
  };
  return context;
}

function harness(withSinkId: boolean) {
  const context = fakeContext(withSinkId);
  const element = {
    srcObject: null as unknown,
    sinks: [] as string[],
    played: 0,
    setSinkId: async (id: string) => void element.sinks.push(id),
    play: async () => void element.played++,
    pause: () => {},
  };
  const audio: AlertAudio = {
    createContext: () => context as unknown as AudioContext,
    createElement: () => element as unknown as HTMLAudioElement,
  };
  const ring = { started: 0, start: () => ring.started++, stop: () => {} };
  return { tone: new AlertTone(ring, audio), context, element, ring };
}

describe('alert tone on the ring device', () => {
  it('uses AudioContext.setSinkId where the browser has it', async () => {
    const h = harness(true);
    await h.tone.setSinkId('ring-device');
    h.tone.start(true);
    h.tone.stop();
    expect(h.context.sinks).toEqual(['ring-device']);
    await h.tone.setSinkId('');
    expect(h.context.sinks).toEqual(['ring-device', '']);
    expect(h.element.sinks).toEqual([]);
  });

  it('otherwise plays through an element fed by a stream, with that element on the ring device', async () => {
    const h = harness(false);
    await h.tone.setSinkId('ring-device');
    h.tone.start(true);
    expect(h.element.srcObject).toEqual({ id: 's' });
    expect(h.element.played).toBe(1);
    expect(h.element.sinks).toEqual(['ring-device']);
    await h.tone.setSinkId('other');
    expect(h.element.sinks).toEqual(['ring-device', 'other']);
    h.tone.stop();
  });

  it('an ordinary handoff rings the normal ringtone', () => {
    const h = harness(true);
    h.tone.start(false);
    expect(h.ring.started).toBe(1);
    expect(h.context.sinks).toEqual([]);
  });
});
