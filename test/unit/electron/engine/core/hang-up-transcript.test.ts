/**
 * Issue 15, point 1 – the caller's last sentence at hang-up, through the
 * engine's requests as the phone sends them: the screen asks for the wrap-up
 * note as soon as the call has ended, just before the phone's 'ended' report.
 * The sentence the caller was still in is flushed when the speech streams
 * close; it reaches the screen as the final of its line, the stored
 * transcript, and the proposed note. Real Engine, LiveTranscription,
 * TranscriptStore, CallAssist and wrap-up; the speech backend is the fake
 * (the real speech worker's flush is tested in live-transcription-speech).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TranscriptSegment } from '../../../../../electron/contract';
import { CallAssist } from '../../../../../electron/engine/assist/call-assist';
import { proposeWrapUp } from '../../../../../electron/engine/assist/wrap-up';
import { Engine } from '../../../../../electron/engine/core/engine';
import { Logger } from '../../../../../electron/engine/log/logger';
import { SecretBox } from '../../../../../electron/engine/store/secret-box';
import { SettingsStore } from '../../../../../electron/engine/store/settings-store';
import {
  LiveTranscription,
  streamId,
} from '../../../../../electron/engine/transcript/live-transcription';
import { TranscriptStore } from '../../../../../electron/engine/transcript/transcript-store';
import { FakeEngineConnection } from '../../../../fakes/fake-engine-connection';
import { FakeSpeechBackend } from '../../../../fakes/fake-speech-backend';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-hang-up-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const CALL = 'hang-up@pbx.example';
const SENTENCE = 'ich brauche einen neuen termin für mein gespräch';

const report = (state: string, extra: Record<string, unknown> = {}) => ({
  kind: 'call',
  callId: CALL,
  state,
  direction: 'incoming',
  remote: '0301234567',
  ...extra,
});

function desk() {
  const logger = new Logger({ stderr: false });
  const box = new SecretBox(crypto.randomBytes(32));
  const speech = new FakeSpeechBackend();
  const transcripts = new TranscriptStore(dir, box, logger.scope('transcript'));
  const events: { engine?: Engine } = {};
  const transcription = new LiveTranscription(speech, transcripts, (segment) =>
    events.engine?.broadcast({ event: 'transcript.segment', data: segment }),
  );
  const unused = () => Promise.reject(new Error('not used by a wrap-up'));
  const assist = new CallAssist({
    ranker: unused,
    classify: unused,
    cases: unused,
    learning: async () => undefined,
    propose: proposeWrapUp,
    transcript: (callId) => transcripts.get(callId),
    emit: () => undefined,
    log: logger.scope('assist'),
  });
  const engine = new Engine({
    mode: 'web',
    settings: new SettingsStore(dir, box, logger.scope('settings')),
    transcripts,
    logger,
    transcription,
    assist,
    staffName: 'K. Beispiel',
  });
  events.engine = engine;
  return { speech, transcripts, engine, peer: new FakeEngineConnection(engine) };
}

describe('the caller hangs up in the middle of a sentence', () => {
  it('its final reaches the screen, the stored transcript and the proposed note', async () => {
    const { speech, transcripts, peer } = desk();
    expect(
      await peer.request('phone.report', report('connected', { handledBy: 'person' })),
    ).toMatchObject({ ok: true });
    const caller = streamId(CALL, 'caller');
    speech.partial({
      streamId: caller,
      text: 'ich brauche einen neuen',
      startMs: 800,
      endMs: 2000,
    });
    // Hung up before the pause that would have ended the turn: closing flushes it.
    speech.flushOnClose.set(caller, {
      streamId: caller,
      text: SENTENCE,
      startMs: 800,
      endMs: 3400,
      words: [{ word: 'gespräch', startMs: 2900, endMs: 3400, conf: 0.8 }],
    });

    // As the screen does: the wrap-up first, then the phone's report.
    const proposal = await peer.request('wrapup.propose', { callId: CALL });
    expect(
      await peer.request('phone.report', report('ended', { reason: 'hung up' })),
    ).toMatchObject({ ok: true });

    const shown = peer.events('transcript.segment') as TranscriptSegment[];
    expect(shown.map((s) => [s.final, s.text])).toEqual([
      [false, 'ich brauche einen neuen'],
      [true, SENTENCE],
    ]);
    expect(shown[1]?.segmentId).toBe(shown[0]?.segmentId);
    expect(transcripts.get(CALL).map((s) => [s.speaker, s.text])).toEqual([['caller', SENTENCE]]);
    expect(proposal).toMatchObject({ ok: true });
    const note = proposal.ok ? (proposal.result as { note: string }).note : '';
    expect(note).toMatch(/Anliegen:[\s\S]*neuen Termin/i);
    expect(speech.closed.sort()).toEqual([streamId(CALL, 'agent'), caller]);
  });
});
