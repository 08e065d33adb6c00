/**
 * Issue 14, point 5 – whose words are whose: the wrap-up note is signed by
 * the person at the desk (the office's configured name, else the
 * operating-system account), never the SIP display name.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createEngine,
  staffNameFromEnv,
  type EngineParts,
} from '../../../../../electron/engine/core/bootstrap';
import { Engine, operatingSystemAccount } from '../../../../../electron/engine/core/engine';
import { FakeEngineConnection } from '../../../../fakes/fake-engine-connection';

let dir: string;
let parts: EngineParts | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-staff-words-'));
});
afterEach(async () => {
  await parts?.close();
  parts = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

const start = (env: Record<string, string | undefined>) =>
  (parts = createEngine({
    mode: 'web',
    dataDir: dir,
    key: crypto.randomBytes(32),
    stderr: false,
    voice: null,
    retentionTimers: null,
    env,
  }));

async function proposedHeader(engine: Engine): Promise<string> {
  const peer = new FakeEngineConnection(engine);
  const reply = await peer.request('wrapup.propose', { callId: 'call-note@pbx.example' });
  if (!reply.ok) throw new Error(reply.error.message);
  return (reply.result as { note: string }).note.split('\n')[0] ?? '';
}

describe('the wrap-up note names the person at the desk', () => {
  it('takes the name the office configured (LOTSE_STAFF_NAME), not the SIP display name', async () => {
    const { engine } = start({ LOTSE_STAFF_NAME: '  K.   Beispiel ' });
    const peer = new FakeEngineConnection(engine);
    // The SIP account as every desk has it: the workstation's line, not a person.
    expect(await peer.request('settings.getAccount', {})).toMatchObject({
      ok: true,
      result: { displayName: 'Lotse Arbeitsplatz' },
    });
    const header = await proposedHeader(engine);
    expect(header).toMatch(/ – Mitarbeiter\/in: K\. Beispiel$/);
    expect(header).not.toContain('Lotse Arbeitsplatz');
  });

  it('takes the operating-system account when the office configured no name', async () => {
    const { engine } = start({ LOTSE_STAFF_NAME: '   ' });
    const header = await proposedHeader(engine);
    expect(header).toMatch(
      new RegExp(` – Mitarbeiter/in: ${operatingSystemAccount().replace(/\W/g, '\\$&')}$`),
    );
    expect(header).not.toContain('Lotse Arbeitsplatz');
  });

  it('reads the configured name as one line of at most 100 characters', () => {
    expect(staffNameFromEnv({})).toBeUndefined();
    expect(staffNameFromEnv({ LOTSE_STAFF_NAME: '\n' })).toBeUndefined();
    expect(staffNameFromEnv({ LOTSE_STAFF_NAME: 'Frau\nK. Beispiel' })).toBe('Frau K. Beispiel');
    expect(staffNameFromEnv({ LOTSE_STAFF_NAME: 'x'.repeat(150) })).toHaveLength(100);
  });
});
