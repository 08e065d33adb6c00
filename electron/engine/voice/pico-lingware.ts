/**
 * Where the SVOX Pico German lingware (resources/voices/pico/) is found.
 *
 * The files ship as plain resources, not inside the bundle: in the packaged
 * app electron-builder copies resources/ to `<process.resourcesPath>/resources`,
 * in development and tests they sit in the repository's resources/. A folder
 * given explicitly (or in LOTSE_PICO_DIR) wins, so operators can swap the voice
 * without rebuilding.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The two files a Pico voice needs: text analysis and signal generation. */
export interface PicoLingware {
  /** Text analysis (lexicon, pronunciation, prosody). */
  readonly textAnalysisFile: string;
  /** Signal generation (the speaker). */
  readonly signalGenerationFile: string;
}

/** File names of the German voice inside a lingware folder. */
export const GERMAN_LINGWARE_FILES = {
  textAnalysis: 'de-DE_ta.bin',
  signalGeneration: 'de-DE_gl0_sg.bin',
} as const;

/** Candidate folders, most specific first; each is tried in order. */
export function picoLingwareCandidates(
  explicitDirectory?: string,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const candidates: string[] = [];
  if (explicitDirectory) candidates.push(path.resolve(explicitDirectory));
  if (env.LOTSE_PICO_DIR) candidates.push(path.resolve(env.LOTSE_PICO_DIR));
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(path.join(resourcesPath, 'resources', 'voices', 'pico'));
  // dist/electron/engine.cjs → the repository's resources/ (development builds).
  if (process.argv[1]) {
    candidates.push(
      path.resolve(path.dirname(process.argv[1]), '..', '..', 'resources', 'voices', 'pico'),
    );
  }
  candidates.push(path.join(process.cwd(), 'resources', 'voices', 'pico'));
  return [...new Set(candidates)];
}

/**
 * The German lingware files, or an Error that lists every folder tried. An
 * explicit folder that lacks the files is an error of its own (no silent
 * fallback to another voice than the one configured).
 */
export function findGermanLingware(
  explicitDirectory?: string,
  env: NodeJS.ProcessEnv = process.env,
): PicoLingware {
  const inFolder = (folder: string): PicoLingware => ({
    textAnalysisFile: path.join(folder, GERMAN_LINGWARE_FILES.textAnalysis),
    signalGenerationFile: path.join(folder, GERMAN_LINGWARE_FILES.signalGeneration),
  });
  const complete = (lingware: PicoLingware): boolean =>
    fs.existsSync(lingware.textAnalysisFile) && fs.existsSync(lingware.signalGenerationFile);

  const pinned = explicitDirectory ?? env.LOTSE_PICO_DIR;
  if (pinned) {
    const lingware = inFolder(path.resolve(pinned));
    if (!complete(lingware)) {
      throw new Error(
        `German Pico voice not found in ${path.resolve(pinned)}: it needs ` +
          `${GERMAN_LINGWARE_FILES.textAnalysis} and ${GERMAN_LINGWARE_FILES.signalGeneration}`,
      );
    }
    return lingware;
  }
  const candidates = picoLingwareCandidates(undefined, env);
  for (const folder of candidates) {
    const lingware = inFolder(folder);
    if (complete(lingware)) return lingware;
  }
  throw new Error(
    `German Pico voice (${GERMAN_LINGWARE_FILES.textAnalysis}, ` +
      `${GERMAN_LINGWARE_FILES.signalGeneration}) not found; looked in: ${candidates.join(', ')}. ` +
      'Set LOTSE_PICO_DIR to the folder that holds them.',
  );
}
