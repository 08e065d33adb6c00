/**
 * Property-based (fast-check): the renderer's side of the contract under
 * random and mutated traffic from the engine – replies, events and audio
 * frames, valid, broken or unasked-for. Nothing throws into the carrier,
 * and every message has exactly one outcome: an event or frame passed on
 * validated, a waiting request settled, or a problem reported (the desk's
 * log). Nothing is dropped silently.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  FRAME_SAMPLES,
  callTagOf,
  encodeAudioFrame,
  type Method,
} from '../../../../electron/contract';
import { EngineClient } from '../../../../renderer/bridge/engine-client';
import { FakeBridge } from '../../../fakes/fake-bridge';

/** A few requests the renderer makes, with a valid result for each. */
const ASKED: [Method, unknown][] = [
  ['engine.hello', { engineVersion: '1', mode: 'web', sessionId: 's' }],
  ['bot.start', { mode: 'day' }],
  ['bot.end', { ended: true }],
  ['phone.report', {}],
  ['transcript.get', { segments: [] }],
];

const EVENTS: unknown[] = [
  { event: 'engine.log', data: { time: 't', level: 'warn', scope: 'engine', message: 'm' } },
  {
    event: 'bot.state',
    data: {
      callId: 'c',
      phase: 'active',
      mode: 'day',
      speaking: false,
      listening: null,
      intent: null,
      verified: false,
    },
  },
  { event: 'audio.level', data: { leg: 'caller', seq: 1, rmsDbfs: -20, speech: true } },
  { event: 'history.changed', data: { callId: 'c', entryId: 'e' } },
];

const wrong = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(undefined, null, -1, 1.5, '', 'x'.repeat(100_000)),
);

/** Messages as the engine might send them: valid, mutated, or anything. */
const message = (ids: number[]) =>
  fc.oneof(
    fc
      .tuple(fc.constantFrom(...ids, 0, 999_999), fc.integer({ min: 0, max: ASKED.length - 1 }))
      .map(([id, i]) => ({ t: 'res', id, ok: true, result: ASKED[i]?.[1] })),
    fc
      .tuple(fc.constantFrom(...ids), wrong)
      .map(([id, result]) => ({ t: 'res', id, ok: true, result })),
    fc.constantFrom(...ids).map((id) => ({
      t: 'res',
      id,
      ok: false,
      error: { code: 'invalid_params', message: 'bad' },
    })),
    fc.constantFrom(...EVENTS),
    fc
      .tuple(fc.constantFrom(...EVENTS), fc.constantFrom('event', 'data'), wrong)
      .map(([event, key, value]) => ({ ...(event as object), [key]: value })),
    fc.record({
      t: fc.constantFrom('evt', 'res', 'req', 'x'),
      event: wrong,
      data: wrong,
      id: wrong,
    }),
    wrong,
  );

const frame = fc.oneof(
  fc.uint8Array({ maxLength: 1000 }).map((bytes) => bytes.slice().buffer),
  fc
    .tuple(fc.boolean(), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 255 }))
    .map(([tagged, index, value]) => {
      const buffer = encodeAudioFrame({
        leg: 'outgoing',
        seq: 1,
        sentAt: 1,
        samples: new Int16Array(FRAME_SAMPLES),
        ...(tagged ? { callTag: callTagOf('c') } : {}),
      });
      if (index < 4) new Uint8Array(buffer)[index] = value;
      return buffer;
    }),
);

describe('EngineClient under random traffic from the engine (fast-check)', () => {
  it('passes on, settles or reports every message and frame: none silently dropped', async () => {
    let items = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            message([1, 2, 3, 4, 5]).map((m) => ({ m })),
            frame.map((f) => ({ f })),
          ),
          {
            minLength: 1,
            maxLength: 30,
          },
        ),
        async (traffic) => {
          const bridge = new FakeBridge();
          const client = new EngineClient(bridge);
          const outcomes = { events: 0, frames: 0, problems: 0, settled: 0 };
          client.onEvent(() => outcomes.events++);
          client.onAudio(() => outcomes.frames++);
          client.onProblem(() => outcomes.problems++);
          const requests = ASKED.map(([method]) =>
            client.request(method, {} as never, 60_000).then(
              () => outcomes.settled++,
              () => outcomes.settled++,
            ),
          );
          expect(bridge.sent.map((s) => s.id)).toEqual([1, 2, 3, 4, 5]);
          for (const item of traffic) {
            if ('f' in item) bridge.deliverAudio(item.f);
            else bridge.deliver(item.m);
          }
          // Settled requests count themselves a moment later (promise callbacks).
          const outcome = () =>
            outcomes.events + outcomes.frames + outcomes.problems + outcomes.settled;
          await vi.waitFor(() => expect(outcome()).toBe(traffic.length), {
            timeout: 2_000,
            interval: 1,
          });
          bridge.setStatus('closed');
          await Promise.all(requests);
          items += traffic.length;
        },
      ),
      { numRuns: 300 },
    );
    console.info(`engine client fuzz: 300 runs, ${items} messages and frames from the engine`);
  });
});
