/**
 * The contract: renderer↔engine schemas, inferred types and the audio frame
 * format, and the shell's side (the engine's start-up message, the IPC channel
 * names).
 */
export * from './messages';
export * from './errors';
export * from './call-parties';
export * from './case-context';
export * from './bot-messages';
export * from './assist-messages';
export * from './intents';
export * from './audio-frame';
export * from './limits';
export * from './network';
export * from './content-security-policy';
export * from './engine-init';
export * from './ipc-channels';
