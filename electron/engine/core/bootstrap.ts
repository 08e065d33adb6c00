/** Builds an engine and its stores for either host (desktop utility process or web mode). */
import os from 'node:os';
import path from 'node:path';
import { DeferredCallHistory } from '../history/call-history';
import { Logger } from '../log/logger';
import { ModelManager } from '../models/model-manager';
import { SpeechController } from '../speech/speech-controller';
import { EngineVoice } from '../voice/engine-voice';
import { SecretBox } from '../store/secret-box';
import { SettingsStore } from '../store/settings-store';
import { LiveTranscription } from '../transcript/live-transcription';
import { TranscriptStore } from '../transcript/transcript-store';
import { Engine, type VoicePort } from './engine';

export interface BootstrapOptions {
  mode: 'desktop' | 'web';
  dataDir: string;
  key: Buffer;
  stderr?: boolean;
  /** The speech worker script (dist/electron/speech-worker.cjs); no recognition without it. */
  speechWorkerPath?: string;
  /** A model folder to use instead of the active installed one (tests, IT). */
  speechModelPath?: string;
  /** The engine's voice; default: the German Pico voice. null: none (tests). */
  voice?: VoicePort | null;
}

export interface EngineParts {
  engine: Engine;
  logger: Logger;
  speech?: SpeechController;
  models: ModelManager;
  /** The call history (its database opens in the background). */
  history: DeferredCallHistory;
  /** Stops the speech process; call on shutdown. */
  close(): Promise<void>;
}

export function createEngine(options: BootstrapOptions): EngineParts {
  const logger = new Logger({
    logDir: path.join(options.dataDir, 'logs'),
    stderr: options.stderr ?? true,
  });
  const box = new SecretBox(options.key);
  const settings = new SettingsStore(options.dataDir, box, logger.scope('settings'));
  const transcripts = new TranscriptStore(options.dataDir, box, logger.scope('transcript'));
  const models = new ModelManager({ dataDir: options.dataDir, log: logger.scope('models') });
  const history = new DeferredCallHistory({
    dataDir: options.dataDir,
    log: logger.scope('history'),
  });

  // Segments and status changes go to every renderer through the engine,
  // which needs the transcription first: events before it exists are dropped.
  const events: { engine?: Engine } = {};
  const speech = options.speechWorkerPath
    ? new SpeechController({ workerPath: options.speechWorkerPath, log: logger.scope('speech') })
    : undefined;
  const transcription = speech
    ? new LiveTranscription(speech, transcripts, (segment) =>
        events.engine?.broadcast({ event: 'transcript.segment', data: segment }),
      )
    : undefined;
  const voice =
    options.voice === undefined ? new EngineVoice(logger.scope('voice')) : options.voice;
  const engine = new Engine({
    mode: options.mode,
    settings,
    logger,
    transcripts,
    models,
    history,
    ...(voice ? { voice } : {}),
    ...(transcription ? { transcription } : {}),
  });
  events.engine = engine;
  history.onChange((change) => engine.broadcast({ event: 'history.changed', data: change }));
  if (speech) {
    speech.onStatus((status) => engine.broadcast({ event: 'speech.status', data: status }));
    const pinned = options.speechModelPath;
    void speech.useModel(pinned ?? models.active());
    if (!pinned) models.onActiveChange((model) => void speech.useModel(model?.path ?? null));
  }
  logger.scope('engine').info(`engine started (${options.mode}, data in ${options.dataDir})`);
  return {
    engine,
    logger,
    models,
    history,
    ...(speech ? { speech } : {}),
    close: async () => {
      await Promise.all([speech?.stop(), history.close()]);
    },
  };
}

/** Where web mode keeps its data when no folder is given. */
export function defaultDataDir(): string {
  if (process.env.LOTSE_DATA_DIR) return path.resolve(process.env.LOTSE_DATA_DIR);
  if (process.platform === 'win32') {
    return path.join(
      process.env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'),
      'Lotse',
      'web',
    );
  }
  const base = process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config');
  return path.join(base, 'lotse', 'web');
}
