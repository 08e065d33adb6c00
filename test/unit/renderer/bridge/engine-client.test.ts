import { describe, expect, it } from 'vitest';
import { FRAME_SAMPLES, encodeAudioFrame } from '../../../../electron/contract';
import { EngineClient, EngineRequestError } from '../../../../renderer/bridge/engine-client';
import { FakeBridge } from '../../../fakes/fake-bridge';

describe('EngineClient', () => {
  it('resolves a request with the validated result', async () => {
    const bridge = new FakeBridge();
    const client = new EngineClient(bridge);
    const pending = client.request('engine.hello', { client: 'unit' });
    const sent = bridge.sent[0];
    expect(sent).toMatchObject({ t: 'req', method: 'engine.hello', params: { client: 'unit' } });
    bridge.deliver({
      t: 'res',
      id: sent?.id,
      ok: true,
      result: { engineVersion: '1', mode: 'web', sessionId: 's' },
    });
    await expect(pending).resolves.toEqual({ engineVersion: '1', mode: 'web', sessionId: 's' });
  });

  it('rejects a malformed reply instead of passing it on', async () => {
    const bridge = new FakeBridge();
    const client = new EngineClient(bridge);
    const pending = client.request('engine.hello', { client: 'unit' });
    bridge.deliver({ t: 'res', id: bridge.sent[0]?.id, ok: true, result: { mode: 'spaceship' } });
    await expect(pending).rejects.toMatchObject({ code: 'invalid_reply' });
  });

  it('passes engine errors on with their code', async () => {
    const bridge = new FakeBridge();
    const client = new EngineClient(bridge);
    const pending = client.request('settings.getAccount', {});
    bridge.deliver({
      t: 'res',
      id: bridge.sent[0]?.id,
      ok: false,
      error: { code: 'storage', message: 'disk full' },
    });
    await expect(pending).rejects.toEqual(new EngineRequestError('storage', 'disk full'));
  });

  it('times out and fails pending requests when the engine goes away', async () => {
    const bridge = new FakeBridge();
    const client = new EngineClient(bridge);
    await expect(client.request('engine.stats', {}, 20)).rejects.toMatchObject({ code: 'timeout' });
    const pending = client.request('engine.stats', {});
    bridge.setStatus('closed');
    await expect(pending).rejects.toMatchObject({ code: 'disconnected' });
  });

  it('validates events and audio frames, reporting bad ones as problems', () => {
    const bridge = new FakeBridge();
    const client = new EngineClient(bridge);
    const events: unknown[] = [];
    const frames: number[] = [];
    const problems: string[] = [];
    client.onEvent((e) => events.push(e));
    client.onAudio((f) => frames.push(f.seq));
    client.onProblem((p) => problems.push(p));
    bridge.deliver({
      t: 'evt',
      event: 'audio.level',
      data: { leg: 'caller', seq: 1, rmsDbfs: -30, speech: false },
    });
    bridge.deliver({ t: 'evt', event: 'audio.level', data: { nonsense: true } });
    bridge.deliver('garbage');
    bridge.deliverAudio(
      encodeAudioFrame({
        leg: 'outgoing',
        seq: 9,
        sentAt: 0,
        samples: new Int16Array(FRAME_SAMPLES),
      }),
    );
    bridge.deliverAudio(new ArrayBuffer(3));
    expect(events).toHaveLength(1);
    expect(frames).toEqual([9]);
    expect(problems).toHaveLength(3);
  });
});
