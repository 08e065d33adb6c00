/**
 * The desk learns once per outage that its engine went away, and when one is
 * back – over the real EngineClient on a fake carrier.
 */
import { describe, expect, it } from 'vitest';
import { EngineClient } from '../../../../renderer/bridge/engine-client';
import { watchEngineConnection } from '../../../../renderer/bridge/engine-reconnect';
import { FakeBridge } from '../../../fakes/fake-bridge';

describe('watchEngineConnection', () => {
  it('lost once per outage, restored when the carrier is open again', () => {
    const bridge = new FakeBridge();
    const client = new EngineClient(bridge);
    const seen: string[] = [];
    watchEngineConnection(client, {
      lost: () => seen.push('lost'),
      restored: () => seen.push('restored'),
    });
    // Not up yet: a failed first connection is no loss.
    bridge.setStatus('closed');
    bridge.setStatus('connecting');
    bridge.setStatus('open');
    expect(seen).toEqual([]);
    // The engine dies; the carrier tries again and again until one is back.
    bridge.setStatus('closed');
    bridge.setStatus('connecting');
    bridge.setStatus('closed');
    bridge.setStatus('connecting');
    expect(seen).toEqual(['lost']);
    bridge.setStatus('open');
    expect(seen).toEqual(['lost', 'restored']);
    bridge.setStatus('closed');
    bridge.setStatus('open');
    expect(seen).toEqual(['lost', 'restored', 'lost', 'restored']);
  });
});
