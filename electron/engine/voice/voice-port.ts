/** The engine's voice (TTS): text in, 16 kHz PCM chunks out, sentence by sentence. */
export interface VoicePort {
  synthesize(text: string, options: { rate: number }): AsyncIterable<Int16Array>;
  sentences(text: string): string[];
}
