/**
 * The weak key storage warning: how the shell judges safeStorage's answer
 * (the Electron calls themselves need an Electron binary, which this machine
 * has not), what the engine tells the window, and what the settings show.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineInitMessageSchema } from '../../../../electron/contract';
import { createEngine } from '../../../../electron/engine/core/bootstrap';
import { keyProtectionOf, keyProtectionWarning } from '../../../../electron/main/key-protection';
import { keyProtectionNotice } from '../../../../renderer/features/settings/key-protection-notice';
import { settingsMessages } from '../../../../renderer/features/settings/settings-messages';
import { FakeEngineConnection } from '../../../fakes/fake-engine-connection';

describe('key protection', () => {
  it('is weak on Linux without a keyring (basic_text), unprotected without safeStorage', () => {
    const on = (platform: NodeJS.Platform, encryptionAvailable: boolean, linuxBackend?: string) =>
      keyProtectionOf({ platform, encryptionAvailable, ...(linuxBackend ? { linuxBackend } : {}) });
    expect(on('linux', true, 'basic_text')).toBe('weak-os-keystore');
    expect(on('linux', true, 'unknown')).toBe('weak-os-keystore');
    expect(on('linux', true, 'gnome_libsecret')).toBe('os-keystore');
    expect(on('linux', true, 'kwallet5')).toBe('os-keystore');
    expect(on('linux', false)).toBe('unprotected-file');
    expect(on('win32', true)).toBe('os-keystore');
    expect(on('darwin', true)).toBe('os-keystore');
    expect(on('win32', false)).toBe('unprotected-file');
    expect(keyProtectionWarning('weak-os-keystore')).toMatch(
      /basic_text.*GNOME Keyring or KWallet/,
    );
    expect(keyProtectionWarning('unprotected-file', '/u/engine-key.unprotected')).toMatch(
      /unencrypted in \/u\/engine-key\.unprotected/,
    );
    expect(keyProtectionWarning('os-keystore')).toBeNull();
  });

  it('reaches the window: the init message carries it, engine.hello tells it, the log warns', async () => {
    expect(
      engineInitMessageSchema.parse({
        t: 'init',
        dataDir: '/d',
        keyBase64: 'a2V5',
        mode: 'desktop',
        keyProtection: 'weak-os-keystore',
      }).keyProtection,
    ).toBe('weak-os-keystore');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-key-protection-'));
    const parts = createEngine({
      mode: 'desktop',
      dataDir: dir,
      key: crypto.randomBytes(32),
      keyProtection: 'weak-os-keystore',
      stderr: false,
      voice: null,
      retentionTimers: null,
    });
    try {
      const hello = await new FakeEngineConnection(parts.engine).request('engine.hello', {
        client: 'unit',
      });
      expect(hello).toMatchObject({ ok: true, result: { keyProtection: 'weak-os-keystore' } });
      expect(fs.readFileSync(path.join(dir, 'logs', 'engine.log'), 'utf8')).toMatch(
        /weakly protected \(weak-os-keystore\)/,
      );
    } finally {
      await parts.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is shown in the settings, in German and English, only when weak', () => {
    expect(keyProtectionNotice('weak-os-keystore')).toBe('keyWeak');
    expect(keyProtectionNotice('unprotected-file')).toBe('keyUnprotected');
    expect(keyProtectionNotice('os-keystore')).toBeNull();
    expect(keyProtectionNotice('key-file')).toBeNull();
    expect(keyProtectionNotice(undefined)).toBeNull();
    const { de, en } = settingsMessages.tables as unknown as Record<
      'de' | 'en',
      Record<string, string>
    >;
    expect(de.keyWeak).toMatch(/Schlüsselbund/);
    expect(en.keyWeak).toMatch(/keyring/);
    expect(de.keyUnprotected).toMatch(/ungeschützt/);
  });
});
