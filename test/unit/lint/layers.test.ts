/**
 * The layering rules are enforced by ESLint (eslint.config.js) and the
 * folder-cycle rule by dependency-cruiser (.dependency-cruiser.cjs); these
 * tests make sure each one actually bites, by linting small snippets as if
 * they lived in each layer, and by cruising a small tree with a cycle.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { cruise, type IConfiguration } from 'dependency-cruiser';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });
const LAYER_RULES = new Set([
  'no-restricted-imports',
  'no-restricted-syntax',
  'boundaries/dependencies',
]);

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId !== null && LAYER_RULES.has(m.ruleId))
    .map((m) => m.message);
}

/** `import { a } from '<from>'` in a file of `file`, with the import used. */
function importing(from: string): string {
  return `import { a } from '${from}';\nexport const b = a;\n`;
}

describe('layering rules between the processes', () => {
  it.each([
    ['electron/engine/speech/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['electron/engine/bot/x.ts', "import { useState } from 'react';\nexport const a = useState;\n"],
    ['electron/engine/bot/x.ts', importing('../../../renderer/app/app')],
    ['renderer/features/x.ts', importing('../../electron/engine/core/engine')],
    ['renderer/features/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n"],
    [
      'renderer/features/x.ts',
      "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n",
    ],
    ['renderer/stores/x.ts', "import { useState } from 'react';\nexport const a = useState;\n"],
    ['renderer/phone/x.ts', "import { useState } from 'react';\nexport const a = useState;\n"],
    ['electron/contract/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n"],
    ['electron/main/x.ts', importing('../engine/core/engine')],
    ['electron/preload/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n"],
  ])('%s may not: %s', async (file, code) => {
    expect(await violations(file, code)).not.toEqual([]);
  });
});

describe('layers inside the engine', () => {
  it.each([
    // util, log and metrics are the bottom
    ['electron/engine/util/x.ts', importing('../cases/case-system')],
    ['electron/engine/log/x.ts', importing('../store/db/open-store')],
    ['electron/engine/metrics/x.ts', importing('../core/engine')],
    // store imports only the bottom
    ['electron/engine/store/x.ts', importing('../knowledge/knowledge-base')],
    ['electron/engine/store/db/x.ts', importing('../../cases/case-system')],
    // a domain never imports core, web or an entry point
    ['electron/engine/voice/x.ts', importing('../core/engine')],
    ['electron/engine/nlu/intents/x.ts', importing('../../core/engine')],
    ['electron/engine/bot/x.ts', importing('../web/web-server')],
    ['electron/engine/cases/x.ts', importing('../web-main')],
    // core does not import the web carrier
    ['electron/engine/core/x.ts', importing('../web/web-server')],
  ])('%s may not: %s', async (file, code) => {
    expect(await violations(file, code)).not.toEqual([]);
  });

  it.each([
    ['electron/engine/bot/x.ts', importing('../nlu/intents/safety-rules')],
    ['electron/engine/cases/x.ts', importing('../util/german-format')],
    ['electron/engine/cases/x.ts', importing('../store/db/open-store')],
    ['electron/engine/core/x.ts', importing('../bot/live-bots')],
    ['electron/engine/core/x.ts', importing('../../contract')],
    ['electron/engine/web/x.ts', importing('../core/engine')],
  ])('%s may: %s', async (file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });
});

describe('layers inside the renderer', () => {
  it.each([
    // the phone core knows only the contract
    ['renderer/phone/x.ts', importing('../sip/sip-phone')],
    ['renderer/phone/x.ts', importing('../stores/bot-store')],
    // sip/, audio/ and bridge/ sit below the stores and the screen
    ['renderer/sip/x.ts', importing('../stores/bot-store')],
    ['renderer/audio/x.ts', importing('../features/phone/call-panel')],
    ['renderer/bridge/x.ts', importing('../app/app')],
    // stores sit below the shared UI plumbing
    ['renderer/stores/x.ts', importing('../services/services-context')],
    ['renderer/stores/x.ts', importing('../i18n/define-messages')],
    // i18n, services and ui never import a feature
    ['renderer/i18n/x.ts', importing('../features/bot/bot-desk')],
    ['renderer/services/x.ts', importing('../features/assist/assist-desk')],
    ['renderer/ui/x.tsx', importing('../app/app')],
    // features never import the app
    ['renderer/features/bot/x.ts', importing('../../app/create-services')],
  ])('%s may not: %s', async (file, code) => {
    expect(await violations(file, code)).not.toEqual([]);
  });

  it.each([
    ['renderer/features/x.ts', importing('../../electron/contract')],
    ['renderer/sip/x.ts', importing('../phone/phone-store')],
    ['renderer/stores/x.ts', importing('../bridge/engine-client')],
    ['renderer/features/bot/x.ts', importing('../../stores/bot-store')],
    ['renderer/features/phone/x.ts', importing('../assist/assist-desk-context')],
    ['renderer/app/x.ts', importing('../features/bot/bot-desk')],
    ['electron/engine/core/x.ts', importing('../../contract')],
    ['electron/main/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    [
      'electron/preload/x.ts',
      "import { contextBridge } from 'electron';\nexport const a = contextBridge;\n",
    ],
  ])('%s may: %s', async (file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });
});

describe('import cycles between folders (dependency-cruiser)', () => {
  const require = createRequire(import.meta.url);
  const config = require(path.resolve('.dependency-cruiser.cjs')) as IConfiguration;
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A small tree in a temporary folder, cruised with the project's rules. */
  async function cruiseTree(files: Record<string, string>): Promise<string[]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-cycles-'));
    dirs.push(dir);
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    const { tsConfig: _tsConfig, ...options } = config.options ?? {};
    const roots = ['renderer', 'electron'].filter((root) => fs.existsSync(path.join(dir, root)));
    const result = await cruise(roots, {
      ...options,
      baseDir: dir,
      validate: true,
      ruleSet: { forbidden: config.forbidden ?? [] },
    });
    if (typeof result.output === 'string') throw new Error(result.output);
    return (result.output.summary.violations ?? []).map((v) => v.rule.name);
  }

  it('finds two folders that import each other through different files', async () => {
    const found = await cruiseTree({
      'renderer/stores/a.ts': "import { c } from '../sip/c';\nexport const a = c;\n",
      'renderer/sip/b.ts': "import { d } from '../stores/d';\nexport const b = d;\n",
      'renderer/sip/c.ts': 'export const c = 1;\n',
      'renderer/stores/d.ts': 'export const d = 2;\n',
    });
    expect(found).toContain('no-folder-cycles');
  });

  it('finds a circle around three engine folders', async () => {
    const found = await cruiseTree({
      'electron/engine/bot/a.ts': "import { b } from '../knowledge/b';\nexport const a = b;\n",
      'electron/engine/knowledge/b.ts': "import { c } from '../cases/c';\nexport const b = c;\n",
      'electron/engine/cases/c.ts': 'export const c = 1;\n',
      'electron/engine/cases/d.ts': "import { e } from '../bot/e';\nexport const d = e;\n",
      'electron/engine/bot/e.ts': 'export const e = 1;\n',
    });
    expect(found).toContain('no-folder-cycles');
  });

  it('accepts folders that depend one way only', async () => {
    const found = await cruiseTree({
      'renderer/stores/a.ts': "import { c } from '../sip/c';\nexport const a = c;\n",
      'renderer/sip/c.ts': "import { d } from '../phone/d';\nexport const c = d;\n",
      'renderer/phone/d.ts': 'export const d = 2;\n',
    });
    expect(found).toEqual([]);
  });
});
