/**
 * Issue 13, point 2 – the phantom bot: a bot must never outlive its call,
 * and its voice must never reach another call. The real engine (bot,
 * dialogue, paced output) with a voice that says every text as 3 s of tone,
 * reached through a real MessageChannel as in the desktop app, and the
 * renderer's own engine client and play-out routing on the other side.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  FRAME_SAMPLES,
  callTagOf,
  type AudioFrame,
  type BotState,
  type EngineEvent,
} from '../../../../electron/contract';
import { createEngine, type EngineParts } from '../../../../electron/engine/core/bootstrap';
import type { VoicePort } from '../../../../electron/engine/voice/voice-port';
import { PlayoutRouter } from '../../../../renderer/audio/playout-router';
import { EngineClient } from '../../../../renderer/bridge/engine-client';
import { FakeEngineConnection } from '../../../fakes/fake-engine-connection';
import { MessagePortCarrier } from '../../../fakes/message-port-carrier';

/** Every text as 3 s of a quiet tone, in 200 ms chunks, as a TTS would yield it. */
const toneVoice: VoicePort = {
  sentences: (text) => [text],
  async *synthesize() {
    for (let chunk = 0; chunk < 15; chunk++) {
      yield new Int16Array(FRAME_SAMPLES * 10).map((_, i) =>
        Math.round(3000 * Math.sin((2 * Math.PI * 440 * i) / 16000)),
      );
    }
  },
};

/** Conditions are waited for, generously for a loaded machine. */
const UNTIL = { timeout: 20_000, interval: 10 };

let dir: string;
let parts: EngineParts;
let carrier: MessagePortCarrier;
let client: EngineClient;
const frames: AudioFrame[] = [];
const events: EngineEvent[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-phantom-'));
  parts = createEngine({
    mode: 'desktop',
    dataDir: dir,
    key: crypto.randomBytes(32),
    stderr: false,
    voice: toneVoice,
    botSilenceTimeoutMs: 60_000,
  });
  carrier = new MessagePortCarrier(parts.engine);
  client = new EngineClient(carrier);
  client.onAudio((frame) => frames.push(frame));
  client.onEvent((event) => events.push(event));
  // The bot takes calls in every mode; day keeps the dialogue short and fixed.
  await client.request('bot.setMode', { override: 'day' });
}, 30_000);

afterAll(async () => {
  carrier.close();
  await parts.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const framesOf = (callId: string) => frames.filter((f) => f.callTag === callTagOf(callId));
const botStates = (callId: string) =>
  events.flatMap((e) =>
    e.event === 'bot.state' && e.data.callId === callId ? [e.data as BotState] : [],
  );
/** A call's end as the phone reports it. */
const ended = (callId: string) =>
  client.request('phone.report', {
    kind: 'call',
    callId,
    state: 'ended',
    direction: 'incoming',
    remote: '0611',
    reason: 'local hang-up',
  });

/**
 * Lets the engine's clock run for a 300 ms tone played into no call: long
 * enough for a bot still speaking to send some fifteen frames.
 */
async function aMomentLater(): Promise<void> {
  const { playbackId } = await client.request('audio.play', {
    leg: 'outgoing',
    source: { kind: 'tone', frequencyHz: 1000, durationMs: 300 },
  });
  await vi.waitFor(() => {
    expect(
      events.some(
        (e) =>
          e.event === 'audio.playback' &&
          e.data.playbackId === playbackId &&
          e.data.state !== 'started',
      ),
    ).toBe(true);
  }, UNTIL);
}

describe('the phantom bot', () => {
  it("the phone's 'ended' report of a call with a 250-character Call-ID ends its bot", async () => {
    const callId = `${'p'.repeat(238)}@pbx.example`;
    await client.request('bot.start', { callId, callerId: '0611' });
    await vi.waitFor(() => expect(botStates(callId).at(-1)?.speaking).toBe(true), UNTIL);
    await ended(callId);
    const spoken = framesOf(callId).length;
    expect(spoken).toBeGreaterThan(0);
    expect(botStates(callId).at(-1)?.phase).toBe('ended');
    await aMomentLater();
    expect(framesOf(callId)).toHaveLength(spoken);
  }, 30_000);

  it('bot.end ends the bot even when the phone never reports the end', async () => {
    const callId = 'call-bot-end@pbx.example';
    await client.request('bot.start', { callId });
    await vi.waitFor(() => expect(botStates(callId).at(-1)?.speaking).toBe(true), UNTIL);
    expect(await client.request('bot.end', { callId })).toEqual({ ended: true });
    const spoken = framesOf(callId).length;
    expect(spoken).toBeGreaterThan(0);
    expect(botStates(callId).at(-1)?.phase).toBe('ended');
    await aMomentLater();
    expect(framesOf(callId)).toHaveLength(spoken);
    expect(await client.request('bot.end', { callId })).toEqual({ ended: false });
  }, 30_000);

  it('a call that ends while its bot is being set up never gets one', async () => {
    // The engine's own connection, so both requests arrive in one burst.
    const peer = new FakeEngineConnection(parts.engine);
    const callId = 'call-gone-early@pbx.example';
    const start = peer.request('bot.start', { callId });
    const report = peer.request('phone.report', {
      kind: 'call',
      callId,
      state: 'ended',
      direction: 'incoming',
      remote: '0611',
    });
    expect(await report).toMatchObject({ ok: true });
    expect(await start).toMatchObject({ ok: true });
    await aMomentLater();
    expect(peer.audio.filter((f) => f.callTag === callTagOf(callId))).toEqual([]);
    expect(peer.events('bot.state').filter((s) => (s as BotState).callId === callId)).toEqual([]);
    // …and a bot.start that comes after the end starts nothing either.
    expect(await peer.request('bot.start', { callId })).toMatchObject({ ok: true });
    await aMomentLater();
    expect(peer.audio.filter((f) => f.callTag === callTagOf(callId))).toEqual([]);
    peer.handle.onClose();
  }, 30_000);

  it("a bot's frames carry its call: the play-out of another call drops every one", async () => {
    const callA = 'call-A@pbx.example';
    const router = new PlayoutRouter();
    let playedInB = 0;
    const unsubscribe = client.onAudio((frame) => {
      if (router.route(frame) === 'call') playedInB++;
    });
    // The desk has moved on to call B; nobody told the engine that A is over.
    router.callStarted('call-B@pbx.example');
    await client.request('bot.start', { callId: callA });
    await vi.waitFor(() => expect(framesOf(callA).length).toBeGreaterThan(10), UNTIL);
    unsubscribe();
    expect(playedInB).toBe(0);
    expect(router.dropped['other-call']).toBeGreaterThan(10);
    await client.request('bot.end', { callId: callA });
  }, 30_000);

  it('a playback named for a call stops when the call ends', async () => {
    const callId = 'call-say@pbx.example';
    const { playbackId } = await client.request('voice.say', { text: 'Hallo', callId });
    await vi.waitFor(() => expect(framesOf(callId).length).toBeGreaterThan(3), UNTIL);
    await ended(callId);
    await vi.waitFor(() => {
      const end = events.find(
        (e) =>
          e.event === 'audio.playback' &&
          e.data.playbackId === playbackId &&
          e.data.state !== 'started',
      );
      expect(end?.event === 'audio.playback' && end.data.state).toBe('stopped');
    }, UNTIL);
  }, 30_000);
});
