import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Logger, type LogEntry } from '../../../../electron/engine/log/logger';
import { loadOrCreateKeyFile } from '../../../../electron/engine/store/key-file';
import { SecretBox } from '../../../../electron/engine/store/secret-box';
import { DEFAULT_ACCOUNT, SettingsStore } from '../../../../electron/engine/store/settings-store';

let dir: string;
let entries: LogEntry[];
let logger: Logger;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-settings-'));
  entries = [];
  logger = new Logger({ stderr: false });
  logger.addSink((e) => entries.push(e));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const account = {
  serverUrl: 'wss://sip.example:8443',
  sipUri: 'sip:1001@jobcenter.example',
  authUser: '1001',
  displayName: 'Herr Muster',
  iceServers: [{ urls: 'stun:stun.jobcenter.example' }],
  autoRegister: true,
};

describe('SettingsStore', () => {
  it('starts with defaults and no password', () => {
    const store = new SettingsStore(dir, new SecretBox(crypto.randomBytes(32)), logger.scope('t'));
    expect(store.getAccount()).toEqual({ ...DEFAULT_ACCOUNT, hasPassword: false });
    expect(store.getPassword()).toBe('');
  });

  it('keeps the password encrypted on disk and returns it to the same key', () => {
    const key = crypto.randomBytes(32);
    const store = new SettingsStore(dir, new SecretBox(key), logger.scope('t'));
    const view = store.saveAccount({ ...account, password: 'Sehr-Geheim-42' });
    expect(view).toEqual({
      ...account,
      autoAnswer: false,
      doNotDisturb: false,
      botFirst: false,
      hasPassword: true,
    });
    const onDisk = fs.readFileSync(path.join(dir, 'settings.json'), 'utf8');
    expect(onDisk).not.toContain('Sehr-Geheim-42');
    expect(onDisk).toContain('sip:1001@jobcenter.example');
    if (process.platform !== 'win32')
      expect(fs.statSync(path.join(dir, 'settings.json')).mode & 0o077).toBe(0);

    const reopened = new SettingsStore(dir, new SecretBox(key), logger.scope('t'));
    expect(reopened.getPassword()).toBe('Sehr-Geheim-42');
    // undefined keeps it, '' removes it
    reopened.saveAccount({ ...account, displayName: 'Neu' });
    expect(reopened.getPassword()).toBe('Sehr-Geheim-42');
    reopened.saveAccount({ ...account, password: '' });
    expect(reopened.getAccount().hasPassword).toBe(false);
  });

  it('keeps the call policy when a form without it saves, and loads old files with it off', () => {
    const store = new SettingsStore(dir, new SecretBox(crypto.randomBytes(32)), logger.scope('t'));
    expect(store.saveAccount({ ...account, autoAnswer: true }).autoAnswer).toBe(true);
    const view = store.saveAccount({ ...account, displayName: 'Ohne Richtlinie' });
    expect(view.autoAnswer).toBe(true);
    expect(view.doNotDisturb).toBe(false);
    const file = path.join(dir, 'settings.json');
    const old = JSON.parse(fs.readFileSync(file, 'utf8'));
    delete old.account.autoAnswer;
    delete old.account.doNotDisturb;
    fs.writeFileSync(file, JSON.stringify(old));
    const reopened = new SettingsStore(
      dir,
      new SecretBox(crypto.randomBytes(32)),
      logger.scope('t'),
    );
    expect(reopened.getAccount()).toMatchObject({ autoAnswer: false, doNotDisturb: false });
  });

  it('with the wrong key, reports the problem and asks for the password again', () => {
    new SettingsStore(dir, new SecretBox(crypto.randomBytes(32)), logger.scope('t')).saveAccount({
      ...account,
      password: 'pw',
    });
    const other = new SettingsStore(dir, new SecretBox(crypto.randomBytes(32)), logger.scope('t'));
    expect(other.getAccount().serverUrl).toBe(account.serverUrl);
    expect(other.getPassword()).toBe('');
    expect(entries.some((e) => e.level === 'error' && /cannot be decrypted/.test(e.message))).toBe(
      true,
    );
  });

  it('moves a damaged file aside instead of overwriting it', () => {
    fs.writeFileSync(path.join(dir, 'settings.json'), '{"version": 1, "account": {"serverUrl": 5');
    const store = new SettingsStore(dir, new SecretBox(crypto.randomBytes(32)), logger.scope('t'));
    expect(store.getAccount().serverUrl).toBe(DEFAULT_ACCOUNT.serverUrl);
    const aside = fs.readdirSync(dir).filter((f) => f.startsWith('settings.json.damaged-'));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, aside[0] ?? ''), 'utf8')).toContain('"serverUrl": 5');
    expect(entries.some((e) => e.level === 'error' && /damaged/.test(e.message))).toBe(true);
  });

  it('refuses invalid input without touching the stored settings', () => {
    const store = new SettingsStore(dir, new SecretBox(crypto.randomBytes(32)), logger.scope('t'));
    store.saveAccount(account);
    expect(() => store.saveAccount({ ...account, serverUrl: 'http://nope' })).toThrow();
    expect(store.getAccount().serverUrl).toBe(account.serverUrl);
  });
});

describe('web mode key file', () => {
  it('creates a 32-byte owner-only key once and reuses it', () => {
    const a = loadOrCreateKeyFile(dir);
    const b = loadOrCreateKeyFile(dir);
    expect(a.length).toBe(32);
    expect(b.equals(a)).toBe(true);
    if (process.platform !== 'win32')
      expect(fs.statSync(path.join(dir, 'settings.key')).mode & 0o077).toBe(0);
  });

  it('refuses a damaged key file rather than replacing it', () => {
    fs.writeFileSync(path.join(dir, 'settings.key'), 'short');
    expect(() => loadOrCreateKeyFile(dir)).toThrow(/damaged/);
  });
});
