/**
 * The engine's settings store: <dataDir>/settings.json. Ordinary settings are
 * plain JSON (IT can read and pre-fill them); the SIP password is sealed with
 * the host's key (SecretBox) and never leaves the engine except through the
 * explicit `settings.getCredentials` request. Writes are atomic (temp file +
 * rename), so a crash mid-write cannot leave a half-written file; a damaged
 * file is moved aside, reported, and replaced by defaults – nothing is
 * silently overwritten.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  accountInputSchema,
  MAX_BOT_LINES,
  iceServerSchema,
  type AccountInput,
  type AccountView,
} from '../../contract';
import type { ScopedLogger } from '../log/logger';
import { SecretBoxError, type SecretBox, type SealedSecret } from './secret-box';

const sealedSchema = z.object({
  alg: z.literal('aes-256-gcm'),
  iv: z.string(),
  tag: z.string(),
  data: z.string(),
});

const storedAccountSchema = z.object({
  serverUrl: z.string(),
  sipUri: z.string(),
  authUser: z.string(),
  displayName: z.string(),
  iceServers: z.array(iceServerSchema),
  autoRegister: z.boolean(),
  // Call policy (added later: files written before it load with it off).
  autoAnswer: z.boolean().default(false),
  doNotDisturb: z.boolean().default(false),
  botFirst: z.boolean().default(false),
  botLines: z.number().int().min(1).max(MAX_BOT_LINES).optional(),
  password: sealedSchema.optional(),
});
type StoredAccount = z.infer<typeof storedAccountSchema>;

const fileSchema = z.object({ version: z.literal(1), account: storedAccountSchema });

/** Defaults that point at the local test bed (`npm run testbed`). */
export const DEFAULT_ACCOUNT: Omit<StoredAccount, 'password'> = {
  serverUrl: 'ws://127.0.0.1:8080',
  sipUri: 'sip:agent@127.0.0.1',
  authUser: '',
  displayName: 'Lotse Arbeitsplatz',
  iceServers: [],
  autoRegister: false,
  autoAnswer: false,
  doNotDisturb: false,
  botFirst: false,
};

export class SettingsStore {
  private readonly file: string;
  private account: StoredAccount;

  constructor(
    dataDir: string,
    private readonly box: SecretBox,
    private readonly log: ScopedLogger,
  ) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, 'settings.json');
    this.account = this.load();
  }

  getAccount(): AccountView {
    const { password, ...rest } = this.account;
    return { ...rest, hasPassword: password !== undefined };
  }

  getPassword(): string {
    if (!this.account.password) return '';
    try {
      return this.box.open(this.account.password);
    } catch (error) {
      if (error instanceof SecretBoxError) {
        this.log.error(`${error.message}; the password must be entered again`);
        return '';
      }
      throw error;
    }
  }

  saveAccount(input: AccountInput): AccountView {
    const parsed = accountInputSchema.parse(input);
    const { password, autoAnswer, doNotDisturb, botFirst, botLines, ...rest } = parsed;
    let sealed: SealedSecret | undefined = this.account.password;
    if (password !== undefined) sealed = password === '' ? undefined : this.box.seal(password);
    const next: StoredAccount = {
      ...rest,
      // A form that does not show the call policy must not switch it off.
      autoAnswer: autoAnswer ?? this.account.autoAnswer,
      doNotDisturb: doNotDisturb ?? this.account.doNotDisturb,
      botFirst: botFirst ?? this.account.botFirst,
      ...((botLines ?? this.account.botLines) === undefined
        ? {}
        : { botLines: botLines ?? this.account.botLines }),
      ...(sealed ? { password: sealed } : {}),
    };
    this.write({ version: 1, account: next });
    this.account = next;
    this.log.info(`account saved: ${next.sipUri} via ${next.serverUrl}`);
    return this.getAccount();
  }

  private load(): StoredAccount {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...DEFAULT_ACCOUNT };
      throw error;
    }
    try {
      return fileSchema.parse(JSON.parse(text)).account;
    } catch (error) {
      const aside = `${this.file}.damaged-${Date.now()}`;
      fs.renameSync(this.file, aside);
      this.log.error(
        `settings file is damaged (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); ` +
          `kept it as ${path.basename(aside)} and started with defaults`,
      );
      return { ...DEFAULT_ACCOUNT };
    }
  }

  private write(content: z.infer<typeof fileSchema>): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeSync(fd, JSON.stringify(content, null, 2) + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
  }
}
