import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FRAME_SAMPLES, encodeAudioFrame } from '../../../../electron/contract';
import { createEngine } from '../../../../electron/engine/core/bootstrap';
import type { Engine } from '../../../../electron/engine/core/engine';
import { FakeEngineConnection } from '../../../fakes/fake-engine-connection';

let dir: string;
let engine: Engine;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-engine-'));
  engine = createEngine({
    mode: 'web',
    dataDir: dir,
    key: crypto.randomBytes(32),
    stderr: false,
    voice: null,
  }).engine;
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function tone(dbfs: number, seq: number, leg: 'caller' | 'agent' = 'caller'): ArrayBuffer {
  const amplitude = 32767 * 10 ** (dbfs / 20) * Math.SQRT2;
  const samples = new Int16Array(FRAME_SAMPLES).map((_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * 440 * i) / 16000)),
  );
  return encodeAudioFrame({
    leg,
    seq,
    sentAt: performance.timeOrigin + performance.now(),
    samples,
  });
}

describe('Engine requests', () => {
  it('answers hello with its mode and session', async () => {
    const peer = new FakeEngineConnection(engine);
    const reply = await peer.request('engine.hello', { client: 'unit' });
    expect(reply).toMatchObject({ ok: true, result: { mode: 'web', sessionId: engine.sessionId } });
  });

  it('rejects an unknown method and invalid params with clear errors', async () => {
    const peer = new FakeEngineConnection(engine);
    expect(await peer.request('engine.selfDestruct', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    });
    const bad = await peer.request('settings.saveAccount', { account: { serverUrl: 'ftp://x' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('invalid_params');
      expect(bad.error.message).toMatch(/serverUrl/);
    }
    // A problem without a reason of its own still names its field (the form marks it).
    const long = await peer.request('settings.saveAccount', {
      account: {
        serverUrl: 'wss://pbx.jobcenter.example/ws',
        sipUri: 'sip:1001@jobcenter.example',
        authUser: '1001',
        displayName: 'x'.repeat(300),
        iceServers: [],
        autoRegister: false,
      },
    });
    expect(long).toMatchObject({
      ok: false,
      error: { code: 'invalid_params', params: { field: 'account.displayName' } },
    });
  });

  it('gives failures a reason the screen can word, with its values, and an English message', async () => {
    const peer = new FakeEngineConnection(engine);
    const account = await peer.request('settings.saveAccount', {
      account: {
        serverUrl: 'ftp://x',
        sipUri: 'sip:1001@jobcenter.example',
        authUser: '1001',
        displayName: '',
        iceServers: [],
        autoRegister: false,
      },
    });
    expect(account).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_params',
        reason: 'server_url_scheme',
        params: { field: 'account.serverUrl' },
      },
    });
    expect(await peer.request('voice.say', { text: 'Hallo' })).toMatchObject({
      ok: false,
      error: { code: 'unavailable', reason: 'no_voice', message: 'no voice available' },
    });
    expect(await peer.request('models.activate', { id: 'vosk-model-none' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', reason: 'not_installed', params: { id: 'vosk-model-none' } },
    });
    const unknown = await peer.request('engine.selfDestruct', {});
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error.reason).toBeUndefined();
  });

  it('survives malformed envelopes and keeps serving', async () => {
    const peer = new FakeEngineConnection(engine);
    peer.handle.onMessage(undefined);
    peer.handle.onMessage({ t: 'req', id: -1, method: 5 });
    peer.handle.onMessage('{"t":"req"');
    expect((await peer.request('engine.stats', {})).ok).toBe(true);
    expect(peer.events('engine.log').some((e) => /malformed message/.test(JSON.stringify(e)))).toBe(
      true,
    );
  });

  it('stores an account and hands the password back only on request', async () => {
    const peer = new FakeEngineConnection(engine);
    const account = {
      serverUrl: 'ws://127.0.0.1:8080',
      sipUri: 'sip:agent@127.0.0.1',
      authUser: 'agent',
      displayName: 'A',
      iceServers: [],
      autoRegister: true,
      password: 'pw1',
    };
    const saved = await peer.request('settings.saveAccount', { account });
    expect(saved).toMatchObject({ ok: true, result: { hasPassword: true } });
    expect(JSON.stringify(saved)).not.toContain('pw1');
    expect(await peer.request('settings.getCredentials', {})).toMatchObject({
      ok: true,
      result: { password: 'pw1' },
    });
  });

  it('warns in its log when the SIP server is plain ws:// off this machine, not for wss:// or loopback', async () => {
    const peer = new FakeEngineConnection(engine);
    const account = {
      sipUri: 'sip:agent@jobcenter.example',
      authUser: 'agent',
      displayName: 'A',
      iceServers: [],
      autoRegister: false,
    };
    const warnings = () =>
      peer.events('engine.log').filter((e) => /unencrypted ws:\/\//.test(JSON.stringify(e)));
    for (const serverUrl of ['wss://pbx.jobcenter.example/ws', 'ws://127.0.0.1:8080']) {
      const saved = await peer.request('settings.saveAccount', {
        account: { ...account, serverUrl },
      });
      expect(saved.ok, serverUrl).toBe(true);
    }
    expect(warnings()).toEqual([]);
    const saved = await peer.request('settings.saveAccount', {
      account: { ...account, serverUrl: 'ws://pbx.jobcenter.example:8080/ws' },
    });
    expect(saved).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(warnings()).toHaveLength(1));
    expect(JSON.stringify(warnings()[0])).toMatch(/"level":"warn"/);
  });
});

describe('Engine log and personal data', () => {
  it('names callers in the log by pseudonym, and strips numbers from the phone’s warnings', async () => {
    const peer = new FakeEngineConnection(engine);
    const number = '015209876543';
    for (const state of ['ringing', 'connected', 'ended'] as const) {
      await peer.request('phone.report', {
        kind: 'call',
        callId: 'call-log-1',
        state,
        direction: 'incoming',
        remote: `sip:${number}@127.0.0.1`,
        ...(state === 'ended'
          ? { reason: `BYE from <sip:${number}@127.0.0.1>, Rückruf an 0301234567` }
          : {}),
      });
    }
    await peer.request('phone.report', {
      kind: 'library',
      level: 'warn',
      text: `[sip.Dialog] unknown dialog with "Erika" <sip:${number}@127.0.0.1>`,
    });
    const log = fs.readFileSync(path.join(dir, 'logs', 'engine.log'), 'utf8');
    for (const value of [number, number.slice(1), '0301234567', 'Erika']) {
      expect(log).not.toContain(value);
    }
    // What the log still says: which call, which pseudonymous caller, what happened.
    expect(log).toMatch(/call call-log-1 \(incoming, #[0-9a-f]{8}\.\.43\) connected/);
    expect(log).toMatch(/"level":"warn".*sip\.js warn: \[sip\.Dialog\] unknown dialog/);
    // The same in what the renderers are sent.
    expect(JSON.stringify(peer.events('engine.log'))).not.toContain(number.slice(1));
  });

  it('keeps the SIP library’s warnings in the log file, off the desk’s log panel', async () => {
    const peer = new FakeEngineConnection(engine);
    await peer.request('phone.report', {
      kind: 'library',
      level: 'warn',
      text: '[sip.UserAgent] The transportOptions "server" option is deprecated',
    });
    await peer.request('phone.report', {
      kind: 'registration',
      state: 'failed',
      reason: 'server unreachable',
    });
    const log = fs.readFileSync(path.join(dir, 'logs', 'engine.log'), 'utf8');
    expect(log).toMatch(/sip\.js warn: \[sip\.UserAgent\] The transportOptions/);
    const shown = JSON.stringify(peer.events('engine.log'));
    expect(shown).not.toContain('sip.js');
    expect(shown).not.toContain('deprecated');
    // The phone's own failure is still on screen.
    expect(shown).toContain('registration failed: server unreachable');
  });
});

describe('Engine audio', () => {
  it('measures every frame: speech above the floor, silence near zero', async () => {
    const peer = new FakeEngineConnection(engine);
    for (let i = 0; i < 10; i++)
      peer.handle.onAudio(
        encodeAudioFrame({
          leg: 'caller',
          seq: i,
          sentAt: 0,
          samples: new Int16Array(FRAME_SAMPLES),
        }),
      );
    for (let i = 10; i < 20; i++) peer.handle.onAudio(tone(-20, i));
    const levels = peer.events('audio.level') as {
      seq: number;
      rmsDbfs: number;
      speech: boolean;
    }[];
    expect(levels).toHaveLength(20);
    expect(levels.slice(0, 10).every((l) => l.rmsDbfs === -100 && !l.speech)).toBe(true);
    expect(levels.slice(10).every((l) => Math.abs(l.rmsDbfs + 20) < 0.5 && l.speech)).toBe(true);
    const stats = await peer.request('engine.stats', {});
    expect(stats).toMatchObject({ ok: true, result: { framesReceived: 20, framesRejected: 0 } });
  });

  it('counts and drops malformed frames without crashing', async () => {
    const peer = new FakeEngineConnection(engine);
    peer.handle.onAudio(new Uint8Array(33));
    peer.handle.onAudio(new ArrayBuffer(0));
    const stats = await peer.request('engine.stats', {});
    expect(stats).toMatchObject({ ok: true, result: { framesRejected: 2, framesReceived: 0 } });
  });

  it('streams a tone back in real time, paced in 20 ms frames', async () => {
    const peer = new FakeEngineConnection(engine);
    const started = performance.now();
    const reply = await peer.request('audio.play', {
      leg: 'outgoing',
      source: { kind: 'tone', frequencyHz: 1000, durationMs: 200 },
    });
    expect(reply).toMatchObject({ ok: true, result: { frames: 10 } });
    // Not all at once: the lead is 60 ms, so at most ~4 frames immediately.
    expect(peer.audio.length).toBeLessThanOrEqual(4);
    // Played out: 'started' and 'finished'.
    await vi.waitFor(() => expect(peer.events('audio.playback').length).toBeGreaterThanOrEqual(2), {
      timeout: 8_000,
      interval: 10,
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(120);
    expect(peer.audio).toHaveLength(10);
    expect(peer.audio.map((f) => f.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // A 1 kHz tone at 16 kHz: 16 samples per period, so sample 4 is the peak.
    const mid = peer.audio[5]?.samples ?? new Int16Array();
    expect(Math.abs(mid[4] ?? 0)).toBeGreaterThan(8000);
    expect(peer.events('audio.playback').map((e) => (e as { state: string }).state)).toEqual([
      'started',
      'finished',
    ]);
  });

  it('stops a playback on request (barge-in)', async () => {
    const peer = new FakeEngineConnection(engine);
    await peer.request('audio.play', {
      leg: 'outgoing',
      source: { kind: 'tone', frequencyHz: 500, durationMs: 5000 },
    });
    const stop = await peer.request('audio.stop', { leg: 'outgoing' });
    expect(stop).toMatchObject({ ok: true, result: { stopped: 1 } });
    const sent = peer.audio.length;
    // Nothing more may go out: watched for 100 ms, five frame periods of the 5 s tone.
    await new Promise((r) => setTimeout(r, 100));
    expect(peer.audio.length).toBe(sent);
  });
});

describe('Engine voice', () => {
  it('speaks German text into the outgoing leg, sentence by sentence, in real time', async () => {
    const voiceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-voice-'));
    const { engine: speaking } = createEngine({
      mode: 'web',
      dataDir: voiceDir,
      key: crypto.randomBytes(32),
      stderr: false,
    });
    try {
      const peer = new FakeEngineConnection(speaking);
      const reply = await peer.request('voice.say', {
        text: 'Guten Tag. Sie sprechen mit dem digitalen Assistenten.',
      });
      expect(reply).toMatchObject({ ok: true, result: { sentences: 2 } });
      const started = performance.now();
      // Played out: 'started' and 'finished' (the sentences take a few seconds in real time).
      await vi.waitFor(
        () => expect(peer.events('audio.playback').length).toBeGreaterThanOrEqual(2),
        { timeout: 18_000, interval: 20 },
      );
      const elapsed = performance.now() - started;
      const seconds = (peer.audio.length * 20) / 1000;
      expect(seconds).toBeGreaterThan(2);
      expect(seconds).toBeLessThan(8);
      // paced in real time, not dumped
      expect(elapsed).toBeGreaterThan(seconds * 1000 * 0.8);
      expect(peer.audio.every((f) => f.leg === 'outgoing')).toBe(true);
      const loud = peer.audio.filter((f) => Math.max(...f.samples.map(Math.abs)) > 3000).length;
      expect(loud / peer.audio.length).toBeGreaterThan(0.3);
    } finally {
      fs.rmSync(voiceDir, { recursive: true, force: true });
    }
  }, 20_000);

  it('refuses empty text', async () => {
    const peer = new FakeEngineConnection(engine);
    expect(await peer.request('voice.say', { text: '   ' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_params' },
    });
  });
});
