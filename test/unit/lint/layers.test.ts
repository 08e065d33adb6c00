/**
 * The layering rules are enforced by ESLint (eslint.config.js); these tests
 * make sure they actually bite, by linting small snippets as if they lived in
 * each layer.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

describe('layering rules', () => {
  it.each([
    ['electron/engine/speech/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['electron/engine/bot/x.ts', "import { useState } from 'react';\nexport const a = useState;\n"],
    [
      'electron/engine/bot/x.ts',
      "import { App } from '../../../renderer/app/app';\nexport const a = App;\n",
    ],
    [
      'renderer/features/x.ts',
      "import { Engine } from '../../electron/engine/core/engine';\nexport const a = Engine;\n",
    ],
    ['renderer/features/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n"],
    [
      'renderer/features/x.ts',
      "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n",
    ],
    ['renderer/stores/x.ts', "import { useState } from 'react';\nexport const a = useState;\n"],
    ['electron/contract/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n"],
    [
      'electron/main/x.ts',
      "import { Engine } from '../engine/core/engine';\nexport const a = Engine;\n",
    ],
    ['electron/preload/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n"],
  ])('%s may not: %s', async (file, code) => {
    expect(await violations(file, code)).not.toEqual([]);
  });

  it.each([
    [
      'renderer/features/x.ts',
      "import { requestSchemas } from '../../electron/contract';\nexport const a = requestSchemas;\n",
    ],
    [
      'electron/engine/core/x.ts',
      "import { requestSchemas } from '../../contract';\nexport const a = requestSchemas;\n",
    ],
    ['electron/main/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    [
      'electron/preload/x.ts',
      "import { contextBridge } from 'electron';\nexport const a = contextBridge;\n",
    ],
  ])('%s may: %s', async (file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });
});
