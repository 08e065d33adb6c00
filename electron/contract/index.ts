/** The renderer↔engine contract: schemas, inferred types and the audio frame format. */
export * from './messages';
export * from './call-parties';
export * from './case-context';
export * from './bot-messages';
export * from './assist-messages';
export * from './intents';
export * from './audio-frame';
export * from './content-security-policy';
