/** Frames in from a peer: decoded and measured, or rejected, counted and logged without a throw. */
import { describe, expect, it, vi } from 'vitest';
import {
  FRAME_SAMPLES,
  encodeAudioFrame,
  type EngineEvent,
} from '../../../../../electron/contract';
import { AudioIntake } from '../../../../../electron/engine/core/audio-intake';
import { RejectLog } from '../../../../../electron/engine/core/reject-log';
import { Logger } from '../../../../../electron/engine/log/logger';
import type { LiveTranscription } from '../../../../../electron/engine/transcript/live-transcription';

function setup() {
  const lines: string[] = [];
  const logger = new Logger({ stderr: false });
  logger.addSink((entry) => lines.push(entry.message));
  const rejects = new RejectLog(logger.scope('engine'));
  const events: EngineEvent[] = [];
  const audio = vi.fn();
  const foregroundTag = '00000000000000aa';
  const intake = new AudioIntake({
    rejects,
    broadcast: (event) => events.push(event),
    transcription: {
      audio,
      isForeground: (tag?: string) => tag === undefined || tag === foregroundTag,
    } as unknown as LiveTranscription,
    now: () => 1_000_050,
  });
  return { lines, rejects, events, audio, intake };
}

describe('AudioIntake', () => {
  it('measures a frame, passes it to speech recognition and notes its latency', () => {
    const { events, audio, intake, rejects } = setup();
    const samples = new Int16Array(FRAME_SAMPLES).fill(3277); // -20 dBFS
    intake.receiver('tab 1')(
      encodeAudioFrame({ leg: 'caller', seq: 7, sentAt: 1_000_000, samples }),
    );
    expect(intake.framesReceived).toBe(1);
    expect(rejects.framesRejected).toBe(0);
    expect(audio).toHaveBeenCalledWith('caller', samples, undefined);
    expect(events).toEqual([
      { event: 'audio.level', data: { leg: 'caller', seq: 7, rmsDbfs: -20, speech: true } },
    ]);
    expect(intake.latencySummary()).toMatchObject({ count: 1, medianMs: 50 });
    intake.resetLatency();
    expect(intake.latencySummary()).toMatchObject({ count: 0 });
  });

  it("passes a call's tag on; only the foreground call's frames move the meters", () => {
    const { events, audio, intake } = setup();
    const samples = new Int16Array(FRAME_SAMPLES).fill(3277);
    const receive = intake.receiver('tab 1');
    receive(
      encodeAudioFrame({
        leg: 'caller',
        seq: 1,
        sentAt: 1_000_000,
        samples,
        callTag: '00000000000000bb',
      }),
    );
    receive(
      encodeAudioFrame({
        leg: 'caller',
        seq: 2,
        sentAt: 1_000_000,
        samples,
        callTag: '00000000000000aa',
      }),
    );
    expect(audio).toHaveBeenNthCalledWith(1, 'caller', samples, '00000000000000bb');
    expect(audio).toHaveBeenNthCalledWith(2, 'caller', samples, '00000000000000aa');
    expect(events.map((e) => (e.event === 'audio.level' ? e.data.seq : -1))).toEqual([2]);
  });

  it('rejects what cannot be decoded: counted, logged with the peer, never thrown', () => {
    const { lines, rejects, events, audio, intake } = setup();
    const receive = intake.receiver('tab 2');
    expect(() => receive(new ArrayBuffer(3))).not.toThrow();
    expect(() => receive('not bytes' as unknown as ArrayBuffer)).not.toThrow();
    expect(rejects.framesRejected).toBe(2);
    expect(rejects.messagesRejected).toBe(0);
    expect(intake.framesReceived).toBe(0);
    expect(lines[0]).toMatch(/^audio frame from tab 2 rejected: /);
    expect(events).toEqual([]);
    expect(audio).not.toHaveBeenCalled();
  });
});
