/**
 * Bundles the test caller page (caller-page.ts + sip.js) with esbuild into a
 * fresh temp dir next to caller.html, ready for serveDirectory().
 *
 * Why bundle at test time: the page must be served by a real HTTP server
 * (TESTBED pitfall 10) and import sip.js, which the browser cannot resolve
 * from node_modules. esbuild takes ~50 ms, so a build per test process is
 * cheaper than keeping a built artefact in sync. The result is memoised per
 * process; the temp dir is removed when the process exits.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = fileURLToPath(new URL('./caller-page.ts', import.meta.url));
const HTML = fileURLToPath(new URL('./caller.html', import.meta.url));

let built: Promise<string> | undefined;

/** Returns a directory holding caller.html, caller.js and caller.js.map. */
export function buildCallerPage(): Promise<string> {
  built ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'lotse-test-caller-'));
    process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
    await build({
      entryPoints: [ENTRY],
      outfile: join(outDir, 'caller.js'),
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'chrome120',
      sourcemap: true,
      logLevel: 'silent',
    });
    copyFileSync(HTML, join(outDir, 'caller.html'));
    return outDir;
  })();
  built.catch(() => {
    built = undefined;
  });
  return built;
}
