/**
 * The fake microphones the specs give the desk and the callers (Chromium
 * plays the WAV in a loop): made when the browser starts.
 */
import { makeToneSequenceWav } from '../../fixtures/tone-sequence-wav';
import type { Microphone } from './callers';

/** Digital silence: nobody on that side talks. */
export const silentMicrophone: Microphone = () =>
  makeToneSequenceWav([{ frequencyHz: null, seconds: 2 }]);

/**
 * 440 and 660 Hz in turn, with short pauses: Chrome's microphone processing
 * (noise suppression, gain control) weakens a steady tone within 2–3 s.
 */
export const twoToneMicrophone: Microphone = () =>
  makeToneSequenceWav([
    { frequencyHz: 440, seconds: 0.4 },
    { frequencyHz: null, seconds: 0.1 },
    { frequencyHz: 660, seconds: 0.4 },
    { frequencyHz: null, seconds: 0.1 },
  ]);

/** One steady tone for `seconds` (a far end that must be told apart by frequency). */
export function toneMicrophone(hz: number, seconds: number): Microphone {
  return () => makeToneSequenceWav([{ frequencyHz: hz, seconds }]);
}
