/** Builds an engine and its stores for either host (desktop utility process or web mode). */
import path from 'node:path';
import os from 'node:os';
import { Logger } from '../log/logger';
import { SecretBox } from '../store/secret-box';
import { SettingsStore } from '../store/settings-store';
import { TranscriptStore } from '../transcript/transcript-store';
import { Engine } from './engine';

export interface BootstrapOptions {
  mode: 'desktop' | 'web';
  dataDir: string;
  key: Buffer;
  stderr?: boolean;
}

export function createEngine(options: BootstrapOptions): { engine: Engine; logger: Logger } {
  const logger = new Logger({
    logDir: path.join(options.dataDir, 'logs'),
    stderr: options.stderr ?? true,
  });
  const box = new SecretBox(options.key);
  const settings = new SettingsStore(options.dataDir, box, logger.scope('settings'));
  const transcripts = new TranscriptStore(options.dataDir, box, logger.scope('transcript'));
  const engine = new Engine({ mode: options.mode, settings, logger, transcripts });
  logger.scope('engine').info(`engine started (${options.mode}, data in ${options.dataDir})`);
  return { engine, logger };
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
