/**
 * The engine's settings key: 32 random bytes, made once per user profile.
 *
 * The engine encrypts its settings store (above all the SIP password) with
 * this key, so the password never sits in the renderer's localStorage or in a
 * plain file. The key itself is protected by the operating system through
 * Electron's safeStorage (DPAPI on Windows, the Secret Service / KWallet on
 * Linux, the Keychain on macOS) and kept in <userData>/engine-key.bin.
 *
 * On a Linux desktop without a keyring safeStorage is not available; then the
 * key goes into <userData>/engine-key.unprotected with mode 0600 and a loud
 * warning is logged, because anyone who can read the user's files can then
 * read the SIP password. Once a keyring appears, that file is migrated into
 * engine-key.bin and deleted.
 *
 * A key that exists but cannot be read is an error, never a reason to make a
 * new one: a new key would silently lose the stored account.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';
import { keyProtectionOf, keyProtectionWarning, type KeyProtection } from './key-protection';
import { log } from './main-log';

export const KEY_BYTES = 32;
const ENCRYPTED_FILE = 'engine-key.bin';
const UNPROTECTED_FILE = 'engine-key.unprotected';

export class EngineKeyError extends Error {
  override name = 'EngineKeyError';
}

export type { KeyProtection };

export interface EngineKey {
  key: Buffer;
  /** How the key is protected at rest: logged, and shown in the app when weak (key-protection.ts). */
  protection: Exclude<KeyProtection, 'key-file'>;
}

/** Loads the key, creating it on first start. Call after app 'ready'. */
export async function loadOrCreateEngineKey(userDataDir: string): Promise<EngineKey> {
  fs.mkdirSync(userDataDir, { recursive: true });
  const encryptedFile = path.join(userDataDir, ENCRYPTED_FILE);
  const unprotectedFile = path.join(userDataDir, UNPROTECTED_FILE);
  const available = await encryptionAvailable();

  const encrypted = readIfExists(encryptedFile);
  if (encrypted) {
    if (!available) {
      throw new EngineKeyError(
        `${encryptedFile} is protected by the system keyring, but the keyring is not available now. ` +
          'Unlock or start the keyring (GNOME Keyring / KWallet) and start Lotse again.',
      );
    }
    let decrypted: { result: string; shouldReEncrypt: boolean };
    try {
      decrypted = await safeStorage.decryptStringAsync(encrypted);
    } catch (error) {
      throw new EngineKeyError(`${encryptedFile} cannot be decrypted: ${(error as Error).message}`);
    }
    const key = checkedKey(Buffer.from(decrypted.result, 'base64'), encryptedFile);
    if (decrypted.shouldReEncrypt) {
      await writeEncrypted(encryptedFile, key);
      log('info', 'engine-key', 'settings key re-encrypted after a keyring key change');
    }
    return { key, protection: protectionOfKeystore() };
  }

  const plain = readIfExists(unprotectedFile);
  if (plain) {
    const key = checkedKey(plain, unprotectedFile);
    if (available) {
      await writeEncrypted(encryptedFile, key);
      fs.rmSync(unprotectedFile, { force: true });
      log(
        'info',
        'engine-key',
        'settings key moved from an unprotected file into the system keyring',
      );
      return { key, protection: protectionOfKeystore() };
    }
    warnUnprotected(unprotectedFile);
    return { key, protection: 'unprotected-file' };
  }

  const key = crypto.randomBytes(KEY_BYTES);
  if (available) {
    await writeEncrypted(encryptedFile, key);
    log('info', 'engine-key', 'new settings key created and protected by the system keyring');
    return { key, protection: protectionOfKeystore() };
  }
  writeAtomically(unprotectedFile, key);
  warnUnprotected(unprotectedFile);
  return { key, protection: 'unprotected-file' };
}

async function encryptionAvailable(): Promise<boolean> {
  try {
    return await safeStorage.isAsyncEncryptionAvailable();
  } catch {
    return false;
  }
}

/** Linux may fall back to a built-in password ("basic_text"): better than nothing, but say so. */
function protectionOfKeystore(): Exclude<KeyProtection, 'key-file'> {
  const protection = keyProtectionOf({
    platform: process.platform,
    encryptionAvailable: true,
    ...(process.platform === 'linux'
      ? { linuxBackend: safeStorage.getSelectedStorageBackend() }
      : {}),
  });
  const warning = keyProtectionWarning(protection);
  if (warning) log('warn', 'engine-key', warning);
  return protection;
}

function warnUnprotected(file: string): void {
  log('warn', 'engine-key', keyProtectionWarning('unprotected-file', file) ?? '');
}

function readIfExists(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new EngineKeyError(`${file} cannot be read: ${(error as Error).message}`);
  }
}

function checkedKey(key: Buffer, file: string): Buffer {
  if (key.length !== KEY_BYTES) {
    throw new EngineKeyError(`${file} is damaged (${key.length} bytes instead of ${KEY_BYTES})`);
  }
  return key;
}

async function writeEncrypted(file: string, key: Buffer): Promise<void> {
  writeAtomically(file, await safeStorage.encryptStringAsync(key.toString('base64')));
}

/** Write to a temporary file and rename, so a crash never leaves half a key. */
function writeAtomically(file: string, data: Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, data, { mode: 0o600 });
  fs.chmodSync(temporary, 0o600);
  fs.renameSync(temporary, file);
}
