/**
 * The speech worker's minimal environment: which of the engine's variables
 * the worker process may see (the path, locale, home and temporary folders)
 * and nothing else – no case-system token, no other secret.
 */

/** What the worker may see of the engine's environment: the path, locale, home and temp folders. */
const WORKER_ENV_NAMES = [
  'PATH',
  'LANG',
  'LANGUAGE',
  'HOME',
  'TMPDIR',
  'TMP',
  'TEMP',
  // Windows: Node and the C runtime need these to start; the user's folder is its HOME.
  'SystemRoot',
  'SYSTEMROOT',
  'windir',
  'USERPROFILE',
  // Where libvosk is, when an administrator put it elsewhere (libvosk.ts).
  'LOTSE_LIBVOSK',
];

/**
 * The speech worker's environment: only the names above and the locale
 * (LC_*), plus ELECTRON_RUN_AS_NODE (inside Electron the worker's program is
 * Electron itself). Case-system tokens, passwords and every other variable
 * of the engine stay out of the process that runs native code on untrusted
 * files and audio.
 */
export function workerEnvironment(
  from: NodeJS.ProcessEnv = process.env,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(from)) {
    if (value === undefined) continue;
    // Windows names are case-insensitive there (Path): compare without case.
    const known = WORKER_ENV_NAMES.some((n) => n.toLowerCase() === name.toLowerCase());
    if (known || name.startsWith('LC_')) env[name] = value;
  }
  return { ...env, ...extra, ELECTRON_RUN_AS_NODE: '1' };
}
