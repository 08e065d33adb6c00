/**
 * How long the desk keeps what it recorded (GDPR Art. 5(1)(e), storage
 * limitation; DESIGN: "transcripts … deleted after the configured
 * retention"). Safe defaults; IT changes them through the environment, like
 * the case-system connector:
 *
 *   LOTSE_RETENTION_TRANSCRIPT_DAYS        1–3650, default 30: a transcript whose last line is older goes
 *   LOTSE_RETENTION_TRANSCRIPT_AFTER_NOTE  true/false, default true: a transcript goes as soon as the
 *                                          wrap-up note is saved to the case system
 *   LOTSE_RETENTION_WORKLIST_DONE_DAYS     1–3650, default 90: a done callback or message goes that long
 *                                          after it was done (open items are never deleted by the desk)
 *   LOTSE_RETENTION_LOG_DAYS               1–365, default 14: log files older than this go
 *   LOTSE_LOG_MAX_BYTES                    1024–1073741824, default 5242880: a log file is rotated at this size
 *   LOTSE_LOG_MAX_FILES                    1–100, default 20: rotated log files kept
 *
 * A bad value is refused with a message naming the variable (the engine
 * logs it at start) and the default is used instead: never "keep forever"
 * because of a typo.
 */
import { DEFAULT_LOG_ROTATION, type LogRotation } from '../log/log-files';

export interface RetentionSettings {
  transcriptDays: number;
  transcriptAfterNote: boolean;
  worklistDoneDays: number;
  log: LogRotation;
}

export const DEFAULT_RETENTION: Readonly<RetentionSettings> = {
  transcriptDays: 30,
  transcriptAfterNote: true,
  worklistDoneDays: 90,
  log: DEFAULT_LOG_ROTATION,
};

export class RetentionConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'RetentionConfigError';
  }
}

/** The settings from the environment, and what was refused (each with its default used). */
export function retentionSettingsFromEnv(env: Record<string, string | undefined>): {
  settings: RetentionSettings;
  errors: RetentionConfigError[];
} {
  const errors: RetentionConfigError[] = [];
  const whole = (variable: string, min: number, max: number, fallback: number, unit: string) => {
    const raw = env[variable]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (/^\d+$/.test(raw) && value >= min && value <= max) return value;
    errors.push(
      new RetentionConfigError(
        variable,
        `"${raw}" is not a whole number of ${unit} from ${min} to ${max}; using ${fallback}`,
      ),
    );
    return fallback;
  };
  const flag = (variable: string, fallback: boolean) => {
    const raw = env[variable]?.trim().toLowerCase();
    if (!raw) return fallback;
    if (['true', '1', 'yes', 'on'].includes(raw)) return true;
    if (['false', '0', 'no', 'off'].includes(raw)) return false;
    errors.push(
      new RetentionConfigError(variable, `"${raw}" is not true or false; using ${fallback}`),
    );
    return fallback;
  };
  const d = DEFAULT_RETENTION;
  const settings: RetentionSettings = {
    transcriptDays: whole('LOTSE_RETENTION_TRANSCRIPT_DAYS', 1, 3650, d.transcriptDays, 'days'),
    transcriptAfterNote: flag('LOTSE_RETENTION_TRANSCRIPT_AFTER_NOTE', d.transcriptAfterNote),
    worklistDoneDays: whole(
      'LOTSE_RETENTION_WORKLIST_DONE_DAYS',
      1,
      3650,
      d.worklistDoneDays,
      'days',
    ),
    log: {
      maxAgeDays: whole('LOTSE_RETENTION_LOG_DAYS', 1, 365, d.log.maxAgeDays, 'days'),
      maxBytes: whole('LOTSE_LOG_MAX_BYTES', 1024, 1024 ** 3, d.log.maxBytes, 'bytes'),
      maxFiles: whole('LOTSE_LOG_MAX_FILES', 1, 100, d.log.maxFiles, 'files'),
    },
  };
  return { settings, errors };
}
