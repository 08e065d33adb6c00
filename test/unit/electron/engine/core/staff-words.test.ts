/**
 * Issue 14, point 5 – whose words are whose: the wrap-up note is signed by
 * the person at the desk (the office's configured name, else the
 * operating-system account), never the SIP display name; and what the
 * caseworker types for the engine's voice to say is their announcement in
 * the transcript, not the bot's.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FRAME_SAMPLES } from '../../../../../electron/contract';
import {
  createEngine,
  staffNameFromEnv,
  type EngineParts,
} from '../../../../../electron/engine/core/bootstrap';
import { Engine, operatingSystemAccount } from '../../../../../electron/engine/core/engine';
import { Logger } from '../../../../../electron/engine/log/logger';
import { SecretBox } from '../../../../../electron/engine/store/secret-box';
import { SettingsStore } from '../../../../../electron/engine/store/settings-store';
import type { LiveTranscription } from '../../../../../electron/engine/transcript/live-transcription';
import { TranscriptStore } from '../../../../../electron/engine/transcript/transcript-store';
import type { VoicePort } from '../../../../../electron/engine/voice/voice-port';
import { FakeEngineConnection } from '../../../../fakes/fake-engine-connection';

let dir: string;
let parts: EngineParts | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-staff-words-'));
});
afterEach(async () => {
  await parts?.close();
  parts = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

const start = (env: Record<string, string | undefined>) =>
  (parts = createEngine({
    mode: 'web',
    dataDir: dir,
    key: crypto.randomBytes(32),
    stderr: false,
    voice: null,
    retentionTimers: null,
    env,
  }));

async function proposedHeader(engine: Engine): Promise<string> {
  const peer = new FakeEngineConnection(engine);
  const reply = await peer.request('wrapup.propose', { callId: 'call-note@pbx.example' });
  if (!reply.ok) throw new Error(reply.error.message);
  return (reply.result as { note: string }).note.split('\n')[0] ?? '';
}

describe('the wrap-up note names the person at the desk', () => {
  it('takes the name the office configured (LOTSE_STAFF_NAME), not the SIP display name', async () => {
    const { engine } = start({ LOTSE_STAFF_NAME: '  K.   Beispiel ' });
    const peer = new FakeEngineConnection(engine);
    // The SIP account as every desk has it: the workstation's line, not a person.
    expect(await peer.request('settings.getAccount', {})).toMatchObject({
      ok: true,
      result: { displayName: 'Lotse Arbeitsplatz' },
    });
    const header = await proposedHeader(engine);
    expect(header).toMatch(/ – Mitarbeiter\/in: K\. Beispiel$/);
    expect(header).not.toContain('Lotse Arbeitsplatz');
  });

  it('takes the operating-system account when the office configured no name', async () => {
    const { engine } = start({ LOTSE_STAFF_NAME: '   ' });
    const header = await proposedHeader(engine);
    expect(header).toMatch(
      new RegExp(` – Mitarbeiter/in: ${operatingSystemAccount().replace(/\W/g, '\\$&')}$`),
    );
    expect(header).not.toContain('Lotse Arbeitsplatz');
  });

  it('reads the configured name as one line of at most 100 characters', () => {
    expect(staffNameFromEnv({})).toBeUndefined();
    expect(staffNameFromEnv({ LOTSE_STAFF_NAME: '\n' })).toBeUndefined();
    expect(staffNameFromEnv({ LOTSE_STAFF_NAME: 'Frau\nK. Beispiel' })).toBe('Frau K. Beispiel');
    expect(staffNameFromEnv({ LOTSE_STAFF_NAME: 'x'.repeat(150) })).toHaveLength(100);
  });
});

describe("the caseworker's announcement", () => {
  it('goes into the transcript as their announcement, not as the bot', async () => {
    const logger = new Logger({ stderr: false });
    const box = new SecretBox(crypto.randomBytes(32));
    const transcription = {
      status: { state: 'off' },
      botSaid: vi.fn(),
      announced: vi.fn(),
    };
    const shortVoice: VoicePort = {
      sentences: (text) => [text],
      async *synthesize() {
        yield new Int16Array(FRAME_SAMPLES * 3);
      },
    };
    const engine = new Engine({
      mode: 'web',
      settings: new SettingsStore(dir, box, logger.scope('settings')),
      transcripts: new TranscriptStore(dir, box, logger.scope('transcript')),
      logger,
      voice: shortVoice,
      transcription: transcription as unknown as LiveTranscription,
    });
    const peer = new FakeEngineConnection(engine);
    const text = 'Ihr Antrag ist eingegangen, wir melden uns bis Freitag.';
    expect(await peer.request('voice.say', { text, callId: 'call-say@pbx.example' })).toMatchObject(
      { ok: true },
    );
    await vi.waitFor(() => expect(transcription.announced).toHaveBeenCalledTimes(1), {
      timeout: 5000,
    });
    expect(transcription.announced.mock.calls[0]?.[0]).toBe(text);
    expect(transcription.botSaid).not.toHaveBeenCalled();
  });
});
