/**
 * Loads an Emscripten-built WebAssembly package from node_modules (the
 * `@echogarden/*-wasm` packages: SVOX Pico, Sonic).
 *
 * Why not a plain `import '@echogarden/svoxpico-wasm'`: the engine is bundled
 * by esbuild into a CommonJS file (dist/electron/engine.cjs), and these
 * packages find their .wasm next to themselves through `import.meta.url`,
 * which is empty in a CommonJS bundle. So the package stays outside the bundle:
 * its directory is resolved at run time (anchored at the running script, like
 * libvosk), its JavaScript is loaded with a dynamic `import()` of a computed
 * URL (esbuild leaves those alone), and the .wasm bytes are read here and
 * handed over as `wasmBinary`, so the package never has to locate them itself.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The part of an Emscripten module every package here exposes. */
export interface EmscriptenModule {
  HEAPU8: Uint8Array;
  HEAP16: Int16Array;
  _malloc(size: number): number;
  _free(pointer: number): void;
}

/** Options an Emscripten factory accepts; only the ones used here. */
interface FactoryOptions {
  wasmBinary: Uint8Array;
  print?: (text: string) => void;
  printErr?: (text: string) => void;
}

type Factory<T> = (options: FactoryOptions) => Promise<T>;

/** The directories a package may be resolved from, most specific first. */
function resolutionAnchors(): string[] {
  const anchors: string[] = [];
  // The running script (dist/electron/engine.cjs, or vitest's bin in tests).
  if (process.argv[1]) anchors.push(path.resolve(process.argv[1]));
  anchors.push(path.join(process.cwd(), 'x'));
  return anchors;
}

/** The installed directory of `packageName`, or an Error naming where it looked. */
export function resolvePackageDirectory(packageName: string): string {
  const tried: string[] = [];
  for (const anchor of resolutionAnchors()) {
    try {
      return path.dirname(createRequire(anchor).resolve(`${packageName}/package.json`));
    } catch {
      tried.push(path.dirname(anchor));
    }
  }
  throw new Error(
    `the package ${packageName} is not installed (resolved from ${tried.join(', ')}); ` +
      'run npm install in the app directory',
  );
}

/**
 * Instantiates the Emscripten module of `packageName`, whose loader is
 * `jsFile` and whose binary is `wasmFile`, both in the package's directory.
 * Module output (stdout/stderr of the C code) goes to `log` rather than to the
 * process's console.
 */
export async function loadWasmPackage<T extends EmscriptenModule>(
  packageName: string,
  jsFile: string,
  wasmFile: string,
  log: (line: string) => void = () => {},
): Promise<T> {
  const directory = resolvePackageDirectory(packageName);
  let wasmBinary: Uint8Array;
  try {
    wasmBinary = await fs.promises.readFile(path.join(directory, wasmFile));
  } catch (error) {
    throw new Error(`${packageName}: cannot read ${wasmFile}: ${String(error)}`, { cause: error });
  }
  let factory: Factory<T>;
  try {
    const loaded = (await import(pathToFileURL(path.join(directory, jsFile)).href)) as {
      default?: unknown;
    };
    if (typeof loaded.default !== 'function') throw new Error('no default export');
    factory = loaded.default as Factory<T>;
  } catch (error) {
    throw new Error(`${packageName}: cannot load ${jsFile}: ${String(error)}`, { cause: error });
  }
  try {
    return await factory({ wasmBinary, print: log, printErr: log });
  } catch (error) {
    throw new Error(`${packageName}: WebAssembly start failed: ${String(error)}`, {
      cause: error,
    });
  }
}

/** Copies `bytes` into a fresh allocation on the module's heap; free it with `_free`. */
export function copyToHeap(module: EmscriptenModule, bytes: Uint8Array): number {
  const pointer = module._malloc(Math.max(1, bytes.length));
  if (pointer === 0) throw new Error(`out of WebAssembly memory (${bytes.length} bytes)`);
  // HEAPU8 is re-created when the memory grows: always read it afresh.
  module.HEAPU8.set(bytes, pointer);
  return pointer;
}
