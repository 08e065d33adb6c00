/**
 * Property-based (fast-check): random and mutated messages through the
 * contract, on both carriers – the desktop app's MessagePort (a real
 * MessageChannel wired like the utility process, posting structured clones
 * past the preload's checks, as a broken renderer could) and web mode's
 * loopback WebSocket (the real server, with its token). Valid requests
 * with mutated fields, wrong types, huge strings, unknown methods,
 * non-JSON text, values only a structured clone carries, binary frames of
 * the wrong size and audio frames with bad headers.
 *
 * What must hold after every batch: the engine answers every message that
 * has a request id (an error reply for a bad one), counts every other one
 * (engine.stats), and still serves a valid request; across the whole run
 * every rejected message and frame appears in the engine's log (a line of
 * its own, or counted in the summary line of a flood); no exception and no
 * unhandled rejection anywhere.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import {
  FRAME_SAMPLES,
  callTagOf,
  encodeAudioFrame,
  requestEnvelopeSchema,
  type EngineStats,
  type LogEntry,
  type Method,
  type ReplyEnvelope,
} from '../../../../electron/contract';
import { createEngine, type EngineParts } from '../../../../electron/engine/core/bootstrap';
import { startWebServer, type WebServer } from '../../../../electron/engine/web/web-server';
import { FakeEngineConnection } from '../../../fakes/fake-engine-connection';
import { MessagePortCarrier } from '../../../fakes/message-port-carrier';

/**
 * A valid request per method, the fuzz's starting points. Left out:
 * models.download (the internet) and models.import (files of this machine).
 */
const SAMPLES: Partial<Record<Method, Record<string, unknown>>> = {
  'engine.hello': { client: 'fuzz' },
  'engine.stats': {},
  'settings.getAccount': {},
  'settings.getCredentials': {},
  'settings.saveAccount': {
    account: {
      serverUrl: 'ws://127.0.0.1:8080',
      sipUri: 'sip:agent@127.0.0.1',
      authUser: 'agent',
      displayName: 'Agentin',
      iceServers: [],
      autoRegister: false,
    },
  },
  'phone.report': {
    kind: 'call',
    callId: 'fuzz-call@pbx.example',
    state: 'ended',
    direction: 'incoming',
    remote: '0611',
    remoteName: 'Anna',
    reason: 'caller hung up',
  },
  'audio.play': {
    leg: 'outgoing',
    source: { kind: 'tone', frequencyHz: 440, durationMs: 40 },
    callId: 'fuzz-call@pbx.example',
  },
  'audio.stop': { leg: 'outgoing' },
  'voice.say': { text: 'Guten Tag', callId: 'fuzz-call@pbx.example' },
  'models.list': {},
  'models.activate': { id: 'vosk-model-none' },
  'speech.getStatus': {},
  'transcript.get': { callId: 'fuzz-call@pbx.example' },
  'bot.start': { callId: 'fuzz-call@pbx.example', callerId: '0611' },
  'bot.dtmf': { callId: 'fuzz-call@pbx.example', digits: '12#' },
  'bot.takeOver': { callId: 'fuzz-call@pbx.example' },
  'bot.end': { callId: 'fuzz-call@pbx.example' },
  'bot.getMode': {},
  'bot.setMode': { override: null },
  'practice.end': { callId: 'practice-1' },
  'worklist.list': { status: 'open', limit: 5 },
  'worklist.setStatus': { id: 'w-1', status: 'done', by: 'fuzz' },
  'assist.suggestions': { callId: 'fuzz-call@pbx.example' },
  'assist.feedback': { callId: 'fuzz-call@pbx.example', articleId: 'a-1', action: 'helpful' },
  'case.context': { callId: 'fuzz-call@pbx.example', purpose: 'refresh' },
  'wrapup.propose': { callId: 'fuzz-call@pbx.example' },
  'history.list': { query: { search: 'Anna', limit: 5 } },
};
const METHODS = Object.keys(SAMPLES) as Method[];

/** Batches per carrier; LOTSE_FUZZ_RUNS runs a deeper search (e.g. 1000) by hand. */
const RUNS = Number(process.env.LOTSE_FUZZ_RUNS ?? 60);

/** What one carrier can send: JSON text (WebSocket), any cloneable value (MessagePort), bytes. */
type Item =
  | { kind: 'text'; text: string }
  | { kind: 'value'; value: unknown }
  | { kind: 'binary'; bytes: Uint8Array; view: View };
type View = 'buffer' | 'uint8' | 'int16' | 'dataview' | 'offset' | 'shared';

// ── arbitraries ───────────────────────────────────────────────────────────

const hugeString = fc
  .tuple(fc.integer({ min: 10_000, max: 200_000 }), fc.constantFrom('x', 'Ä', '😀', '"', '\\', ' '))
  .map(([n, c]) => c.repeat(Math.ceil(n / c.length)));

/** A wrong value for a field: JSON values, huge strings, wrong types; `clone`: beyond JSON. */
const wrongValue = (clone: boolean): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    hugeString,
    fc.constantFrom(null, true, -1, 1.5, 0, '', [], {}, 2 ** 53, -(2 ** 31)),
    ...(clone
      ? [
          fc.anything({
            maxDepth: 2,
            withBigInt: true,
            withDate: true,
            withMap: true,
            withSet: true,
            withTypedArray: true,
            withSparseArray: true,
            withNullPrototype: true,
          }),
          fc.constantFrom(undefined, NaN, Infinity, 10n, new Date(0), new Map([[1, 2]])),
        ]
      : []),
  );

/** A value nested `depth` levels deep. */
const deep = fc.integer({ min: 50, max: 400 }).map((depth) => {
  let value: unknown = 'innen';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
});

type Mutation =
  | { kind: 'replace'; pick: number; value: unknown }
  | { kind: 'replace-inner'; pick: number; value: unknown }
  | { kind: 'remove'; pick: number }
  | { kind: 'add'; name: string; value: unknown }
  | { kind: 'params'; value: unknown }
  | { kind: 'method'; method: string }
  | { kind: 'near-method'; suffix: string; upper: boolean }
  | { kind: 'id'; id: unknown }
  | { kind: 't'; t: unknown }
  | { kind: 'none' };

const mutation = (clone: boolean): fc.Arbitrary<Mutation> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('replace' as const),
        pick: fc.nat(),
        value: wrongValue(clone),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('replace-inner' as const),
        pick: fc.nat(),
        value: wrongValue(clone),
      }),
    },
    fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
    fc.record({
      kind: fc.constant('add' as const),
      name: fc.string({ maxLength: 30 }),
      value: wrongValue(clone),
    }),
    fc.record({ kind: fc.constant('params' as const), value: fc.oneof(wrongValue(clone), deep) }),
    fc.record({ kind: fc.constant('method' as const), method: fc.string({ maxLength: 120 }) }),
    fc.record({
      kind: fc.constant('near-method' as const),
      suffix: fc.string({ maxLength: 3 }),
      upper: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant('id' as const),
      id: fc.constantFrom(-1, 1.5, '7', null, undefined, Infinity, 2 ** 60, [1]),
    }),
    fc.record({
      kind: fc.constant('t' as const),
      t: fc.constantFrom('res', 'evt', 'REQ', undefined, 1),
    }),
    fc.constant({ kind: 'none' as const }),
  );

function applyMutation(method: Method, m: Mutation): Record<string, unknown> {
  const params = structuredClone(SAMPLES[method] ?? {});
  const request: Record<string, unknown> = { t: 'req', id: 0, method, params };
  const keys = Object.keys(params);
  const key = (pick: number) => keys[pick % Math.max(1, keys.length)];
  switch (m.kind) {
    case 'replace': {
      const k = key(m.pick);
      if (k !== undefined) params[k] = m.value;
      break;
    }
    case 'replace-inner': {
      const outer = key(m.pick);
      const inner = outer === undefined ? undefined : params[outer];
      if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
        const innerKeys = Object.keys(inner);
        const k = innerKeys[m.pick % Math.max(1, innerKeys.length)] ?? 'extra';
        (inner as Record<string, unknown>)[k] = m.value;
      } else if (outer !== undefined) params[outer] = m.value;
      break;
    }
    case 'remove': {
      const k = key(m.pick);
      if (k !== undefined) delete params[k];
      break;
    }
    case 'add':
      params[m.name] = m.value;
      break;
    case 'params':
      request.params = m.value;
      break;
    case 'method':
      request.method = m.method;
      break;
    case 'near-method':
      request.method = `${m.upper ? method.toUpperCase() : method}${m.suffix}`;
      break;
    case 'id':
      request.id = m.id;
      break;
    case 't':
      request.t = m.t;
      break;
    case 'none':
      break;
  }
  return request;
}

const request = (clone: boolean) =>
  fc
    .tuple(fc.constantFrom(...METHODS), mutation(clone))
    .map(([method, m]) => applyMutation(method, m));

/** An audio frame: valid (with or without a call tag), or with a bad header or size. */
const frameBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 2000 }),
  fc
    .record({
      leg: fc.constantFrom('caller' as const, 'agent' as const, 'outgoing' as const),
      tagged: fc.boolean(),
      seq: fc.nat(),
      change: fc.oneof(
        fc.record({
          kind: fc.constant('byte' as const),
          index: fc.integer({ min: 0, max: 23 }),
          value: fc.integer({ min: 0, max: 255 }),
        }),
        fc.record({ kind: fc.constant('size' as const), delta: fc.integer({ min: -40, max: 40 }) }),
        fc.record({
          kind: fc.constant('time' as const),
          value: fc.constantFrom(NaN, Infinity, -Infinity),
        }),
        fc.constant({ kind: 'none' as const }),
      ),
    })
    .map(({ leg, tagged, seq, change }) => {
      const frame = new Uint8Array(
        encodeAudioFrame({
          leg,
          seq,
          sentAt: Date.now(),
          samples: new Int16Array(FRAME_SAMPLES).fill(seq % 3000),
          ...(tagged ? { callTag: callTagOf('fuzz-call@pbx.example') } : {}),
        }),
      );
      if (change.kind === 'byte') frame[change.index] = change.value;
      if (change.kind === 'time') new DataView(frame.buffer).setFloat64(8, change.value, true);
      if (change.kind === 'size') {
        const resized = new Uint8Array(Math.max(0, frame.length + change.delta));
        resized.set(frame.subarray(0, resized.length));
        return resized;
      }
      return frame;
    }),
);

const binary = (views: View[]) =>
  fc.record({
    kind: fc.constant('binary' as const),
    bytes: frameBytes,
    view: fc.constantFrom(...views),
  });

/** Items for the WebSocket: JSON text (valid or not) and binary frames. */
const wsItem: fc.Arbitrary<Item> = fc.oneof(
  {
    weight: 6,
    arbitrary: request(false).map((value) => ({
      kind: 'text' as const,
      text: JSON.stringify(value),
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .jsonValue({ maxDepth: 3 })
      .map((value) => ({ kind: 'text' as const, text: JSON.stringify(value) ?? 'null' })),
  },
  {
    weight: 1,
    arbitrary: fc.string({ maxLength: 300 }).map((text) => ({ kind: 'text' as const, text })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(request(false), fc.nat()).map(([value, cut]) => {
      const text = JSON.stringify(value);
      return { kind: 'text' as const, text: text.slice(0, cut % Math.max(1, text.length)) };
    }),
  },
  { weight: 4, arbitrary: binary(['buffer']) },
);

/** Items for the MessagePort: any cloneable value, ArrayBuffers and every kind of view. */
const portItem: fc.Arbitrary<Item> = fc.oneof(
  { weight: 6, arbitrary: request(true).map((value) => ({ kind: 'value' as const, value })) },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        wrongValue(true),
        fc.constantFrom(undefined, null, 0, 'req', new Date(0), 10n, new Map(), new Set([1])),
      )
      .map((value) => ({ kind: 'value' as const, value })),
  },
  { weight: 4, arbitrary: binary(['buffer', 'uint8', 'int16', 'dataview', 'offset', 'shared']) },
);

// ── the engine and the two carriers ─────────────────────────────────────────

/** A carrier end the fuzz writes to: sends items, collects replies by request id. */
interface Channel {
  readonly label: string;
  readonly replies: Map<number, ReplyEnvelope>;
  send(item: Item): void;
  close(): void;
}

let dir: string;
let parts: EngineParts;
let server: WebServer;
/** Sees every log line the engine broadcasts. */
let observer: FakeEngineConnection;
const problems: unknown[] = [];
const onProblem = (error: unknown) => problems.push(error);

beforeAll(async () => {
  process.on('unhandledRejection', onProblem);
  process.on('uncaughtException', onProblem);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-fuzz-'));
  parts = createEngine({
    mode: 'web',
    dataDir: dir,
    key: crypto.randomBytes(32),
    stderr: false,
    voice: null,
  });
  const rendererDir = path.join(dir, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Lotse</title>');
  server = await startWebServer({
    engine: parts.engine,
    rendererDir,
    port: 0,
    log: parts.logger.scope('web'),
  });
  observer = new FakeEngineConnection(parts.engine);
}, 30_000);

afterAll(async () => {
  observer.handle.onClose();
  await server.close();
  await parts.close();
  fs.rmSync(dir, { recursive: true, force: true });
  process.off('unhandledRejection', onProblem);
  process.off('uncaughtException', onProblem);
});

function portChannel(): Channel {
  const carrier = new MessagePortCarrier(parts.engine, 'fuzzed window');
  const replies = new Map<number, ReplyEnvelope>();
  carrier.rawPort.on('message', (data: unknown) => {
    const reply = data as ReplyEnvelope;
    if (reply && typeof reply === 'object' && reply.t === 'res') replies.set(reply.id, reply);
  });
  return {
    label: 'MessagePort',
    replies,
    send(item) {
      if (item.kind === 'binary') {
        const value = asView(item.bytes, item.view);
        const transfer = value instanceof ArrayBuffer ? [value] : [];
        carrier.rawPort.postMessage(value, transfer);
      } else if (item.kind === 'value') carrier.rawPort.postMessage(item.value);
      else carrier.rawPort.postMessage(item.text);
    },
    close: () => carrier.close(),
  };
}

async function socketChannel(): Promise<Channel> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/engine?token=${server.token}`, {
    origin: `http://127.0.0.1:${server.port}`,
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const replies = new Map<number, ReplyEnvelope>();
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    const message = JSON.parse(data.toString()) as ReplyEnvelope;
    if (message.t === 'res') replies.set(message.id, message);
  });
  return {
    label: 'WebSocket',
    replies,
    send(item) {
      if (item.kind === 'binary') ws.send(item.bytes, { binary: true });
      else ws.send(item.kind === 'text' ? item.text : JSON.stringify(item.value));
    },
    close: () => ws.close(),
  };
}

/** The bytes as the MessagePort item says: an ArrayBuffer, a view of some kind, or shared memory. */
function asView(bytes: Uint8Array, view: View): unknown {
  const copy = () => bytes.slice().buffer;
  switch (view) {
    case 'buffer':
      return copy();
    case 'uint8':
      return bytes.slice();
    case 'int16':
      return bytes.length % 2 === 0 ? new Int16Array(copy()) : bytes.slice();
    case 'dataview':
      return new DataView(copy());
    case 'offset': {
      const padded = new Uint8Array(bytes.length + 7);
      padded.set(bytes, 3);
      return padded.subarray(3, 3 + bytes.length);
    }
    case 'shared': {
      const shared = new SharedArrayBuffer(bytes.length);
      new Uint8Array(shared).set(bytes);
      return shared;
    }
  }
}

/** How the engine will see an item: a frame, an envelope it can answer, or neither. */
function classify(item: Item, label: string): 'frame' | 'answerable' | 'unanswerable' {
  if (item.kind === 'binary') {
    if (label === 'WebSocket') return 'frame';
    const value = asView(item.bytes, item.view);
    return value instanceof ArrayBuffer || ArrayBuffer.isView(value) ? 'frame' : 'unanswerable';
  }
  let seen: unknown;
  if (item.kind === 'text') {
    try {
      seen = label === 'WebSocket' ? JSON.parse(item.text) : item.text;
    } catch {
      return 'unanswerable';
    }
  } else if (label === 'WebSocket') seen = JSON.parse(JSON.stringify(item.value) ?? 'null');
  else {
    seen = structuredClone(item.value);
    // The utility process takes any ArrayBuffer or view for an audio frame.
    if (seen instanceof ArrayBuffer || ArrayBuffer.isView(seen)) return 'frame';
  }
  return requestEnvelopeSchema.safeParse(seen).success ? 'answerable' : 'unanswerable';
}

let nextId = 1_000_000;

/** Gives every answerable item its own request id, so its reply can be found. */
function withFreshId(item: Item, label: string): { item: Item; id?: number } {
  if (classify(item, label) !== 'answerable') return { item };
  const id = nextId++;
  if (item.kind === 'text') {
    const value = JSON.parse(item.text) as Record<string, unknown>;
    return { item: { kind: 'text', text: JSON.stringify({ ...value, id }) }, id };
  }
  if (item.kind === 'value') {
    return { item: { kind: 'value', value: { ...(item.value as object), id } }, id };
  }
  return { item };
}

const UNTIL = { timeout: 20_000, interval: 5 };

async function stats(channel: Channel): Promise<EngineStats> {
  const id = nextId++;
  channel.send({
    kind: channel.label === 'WebSocket' ? 'text' : 'value',
    ...(channel.label === 'WebSocket'
      ? { text: JSON.stringify({ t: 'req', id, method: 'engine.stats', params: {} }) }
      : { value: { t: 'req', id, method: 'engine.stats', params: {} } }),
  } as Item);
  await vi.waitFor(() => expect(channel.replies.has(id)).toBe(true), UNTIL);
  const reply = channel.replies.get(id);
  if (!reply?.ok) throw new Error(`engine.stats failed on the ${channel.label}`);
  return reply.result as EngineStats;
}

/** Rejections the engine's log accounts for: own lines, and the counts in summary lines. */
function loggedRejections(): number {
  let count = 0;
  for (const entry of observer.events('engine.log') as LogEntry[]) {
    if (entry.scope !== 'engine' || entry.level !== 'warn') continue;
    const summary = /^(\d+) more rejected/.exec(entry.message);
    if (summary) count += Number(summary[1]);
    else if (
      /^(malformed message from|unknown method "|invalid parameters for|audio frame from)/.test(
        entry.message,
      )
    )
      count++;
  }
  return count;
}

const totals = { runs: 0, messages: 0, frames: 0, answered: 0, errorReplies: 0, unanswerable: 0 };

async function fuzz(channel: Channel, items: fc.Arbitrary<Item>, numRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.array(items, { minLength: 1, maxLength: 12 }), async (batch) => {
      totals.runs++;
      const before = await stats(channel);
      const sent = batch.map((item) => withFreshId(item, channel.label));
      const ids: number[] = [];
      let unanswerable = 0;
      let frames = 0;
      for (const { item, id } of sent) {
        const kind = classify(item, channel.label);
        if (kind === 'frame') frames++;
        else if (kind === 'unanswerable') unanswerable++;
        if (id !== undefined) ids.push(id);
        channel.send(item);
      }
      // Every message with a request id is answered.
      await vi.waitFor(
        () => expect(ids.filter((id) => !channel.replies.has(id))).toEqual([]),
        UNTIL,
      );
      const replies = ids.map((id) => channel.replies.get(id) as ReplyEnvelope);
      const refusedWithReply = replies.filter(
        (r) => !r.ok && (r.error.code === 'invalid_params' || r.error.code === 'unknown_method'),
      ).length;
      // …and still serves a valid request, having counted every other one.
      const after = await stats(channel);
      expect(after.messagesRejected! - before.messagesRejected!).toBe(
        unanswerable + refusedWithReply,
      );
      expect(
        after.framesReceived + after.framesRejected - before.framesReceived - before.framesRejected,
      ).toBe(frames);
      totals.messages += batch.length - frames;
      totals.frames += frames;
      totals.answered += ids.length;
      totals.errorReplies += replies.filter((r) => !r.ok).length;
      totals.unanswerable += unanswerable;
    }),
    { numRuns },
  );
}

/** Waits until the engine's log accounts for every rejection it counted since it started. */
async function everyRejectionLogged(channel: Channel): Promise<void> {
  const now = await stats(channel);
  const rejected = (now.messagesRejected ?? 0) + now.framesRejected;
  expect(rejected).toBeGreaterThan(0);
  // A flood's summary line comes a second after it.
  await vi.waitFor(() => expect(loggedRejections()).toBe(rejected), UNTIL);
}

describe('the contract under random and mutated messages (fast-check)', () => {
  it('MessagePort (desktop): every message answered or counted and logged, the engine keeps serving', async () => {
    const channel = portChannel();
    try {
      await fuzz(channel, portItem, RUNS);
      await everyRejectionLogged(channel);
    } finally {
      channel.close();
    }
    expect(problems).toEqual([]);
  }, 180_000);

  it('WebSocket (web mode): every message answered or counted and logged, the engine keeps serving', async () => {
    const channel = await socketChannel();
    try {
      await fuzz(channel, wsItem, RUNS);
      await everyRejectionLogged(channel);
    } finally {
      channel.close();
    }
    expect(problems).toEqual([]);
    console.info(
      `contract fuzz: ${totals.runs} batches, ${totals.messages} messages and ${totals.frames} binary frames; ` +
        `${totals.answered} answered (${totals.errorReplies} with an error), ${totals.unanswerable} without a request id; every rejection logged`,
    );
  }, 180_000);
});
