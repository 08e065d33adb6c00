/**
 * suggest: the caseworker's suggestions. Ranking on a 5,000-article knowledge
 * base (suggest/ranking.ts), then, when present, the screen's rendering of the
 * lists (suggest/rendering.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { report } from './report';
import { runRanking } from './suggest/ranking';

export async function run(): Promise<void> {
  await runRanking(report);
  const rendering = path.join(import.meta.dirname, 'suggest', 'rendering.ts');
  if (fs.existsSync(rendering)) {
    const module = (await import(pathToFileURL(rendering).href)) as {
      runRendering: () => Promise<void>;
    };
    await module.runRendering();
  }
}
