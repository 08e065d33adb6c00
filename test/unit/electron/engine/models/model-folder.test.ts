import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkModelFolder } from '../../../../../electron/engine/models/model-folder';
import { ModelError } from '../../../../../electron/engine/models/model-error';
import {
  syntheticVoskModelFiles,
  writeModelFolder,
} from '../../../../fixtures/synthetic-vosk-model';

const root = mkdtempSync(join(tmpdir(), 'lotse-model-folder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function model(change?: (files: Map<string, string | Buffer>) => void): string {
  const files = syntheticVoskModelFiles();
  change?.(files);
  const dir = join(root, `m${n++}`);
  writeModelFolder(dir, files);
  return dir;
}

function problem(dir: string): ModelError {
  try {
    checkModelFolder(dir);
  } catch (error) {
    if (error instanceof ModelError) return error;
    throw error;
  }
  throw new Error('expected a ModelError');
}

describe('checkModelFolder', () => {
  it('accepts the synthetic model and reads what the worker needs', () => {
    expect(checkModelFolder(model())).toMatchObject({
      graph: 'HCLG',
      grammarSupported: false,
      frameSubsamplingFactor: 3,
    });
  });

  it('names the missing file', () => {
    expect(problem(model((f) => f.delete('am/final.mdl'))).message).toMatch(/am\/final\.mdl/);
    expect(problem(model((f) => f.delete('conf/model.conf'))).message).toMatch(/model\.conf/);
    expect(problem(model((f) => f.delete('graph/HCLG.fst'))).message).toMatch(/HCLG\.fst/);
    expect(problem(join(root, 'nowhere')).message).toMatch(/not found/);
  });

  it('points to the subfolder when a zip was unpacked one level too deep', () => {
    const outer = join(root, 'outer');
    writeModelFolder(join(outer, 'vosk-model-small-de-0.15'), syntheticVoskModelFiles());
    expect(problem(outer).message).toMatch(/subfolder vosk-model-small-de-0\.15/);
  });

  it('rejects a cut-off final.mdl and a graph that is not an OpenFst file', () => {
    const cut = model();
    truncateSync(join(cut, 'am/final.mdl'), 50);
    expect(problem(cut).message).toMatch(/final\.mdl is only 50 bytes/);
    const fst = model();
    writeFileSync(join(fst, 'graph/HCLG.fst'), 'not an fst');
    expect(problem(fst).message).toMatch(/not an OpenFst file/);
  });

  it('rejects an 8 kHz model with its own code', () => {
    const error = problem(
      model((f) => f.set('conf/mfcc.conf', '--sample-frequency=8000\n--use-energy=false\n')),
    );
    expect(error.code).toBe('wrong_sample_rate');
    expect(error.message).toMatch(/8000 Hz/);
  });
});
