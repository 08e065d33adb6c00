// Builds every process: the Electron main process, the preload, the engine
// (as an Electron utility process and as the web-mode Node server) with
// esbuild, and the renderer with Vite. Output goes to dist/.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = path.join(root, 'dist/electron');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: root,
};

await Promise.all([
  esbuild({
    ...common,
    entryPoints: ['electron/main/main.ts'],
    outfile: path.join(out, 'main.cjs'),
    format: 'cjs',
    external: ['electron'],
  }),
  esbuild({
    ...common,
    // A sandboxed preload may only require('electron'): everything else is bundled.
    entryPoints: ['electron/preload/preload.ts'],
    outfile: path.join(out, 'preload.cjs'),
    format: 'cjs',
    external: ['electron'],
  }),
  esbuild({
    ...common,
    entryPoints: ['electron/engine/utility-main.ts'],
    outfile: path.join(out, 'engine.cjs'),
    format: 'cjs',
    // The native bits stay outside the bundle (loaded at run time). PGlite
    // too: it loads its .wasm and .data files from beside its own code.
    external: ['koffi', 'bufferutil', 'utf-8-validate', '@electric-sql/pglite'],
  }),
  esbuild({
    ...common,
    // The speech process: libvosk (through koffi) runs only here, so an
    // assertion in native code cannot take the engine down. fvad stays
    // external: it loads fvad.wasm from beside its own file.
    entryPoints: ['electron/engine/speech/speech-worker.ts'],
    outfile: path.join(out, 'speech-worker.cjs'),
    format: 'cjs',
    external: ['koffi', '@echogarden/fvad-wasm'],
  }),
  esbuild({
    ...common,
    // The voice thread: Pico and Sonic (WebAssembly) off the engine's event loop.
    entryPoints: ['electron/engine/voice/voice-worker.ts'],
    outfile: path.join(out, 'voice-worker.cjs'),
    format: 'cjs',
  }),
  esbuild({
    ...common,
    entryPoints: ['electron/engine/web-main.ts'],
    outfile: path.join(out, 'web.mjs'),
    format: 'esm',
    external: ['koffi', 'bufferutil', 'utf-8-validate', '@electric-sql/pglite'],
    banner: {
      js: "import { createRequire as __lotseRequire } from 'node:module'; const require = __lotseRequire(import.meta.url);",
    },
  }),
]);
await viteBuild({ configFile: path.join(root, 'build/vite.config.ts'), logLevel: 'warn' });
// stderr: benchmarks print JSON lines on stdout after the build.
console.error('build: dist/ ready');
