/**
 * Where the knowledge articles and site profiles are found.
 *
 * Like the voices they ship as plain resources: in the packaged app
 * electron-builder copies resources/ to `<process.resourcesPath>/resources`,
 * in development and tests they sit in the repository's resources/. An
 * explicit folder (or LOTSE_KNOWLEDGE_DIR) wins, so an office can edit its
 * answers without a new build.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The first existing `resources/<name>` folder, or an Error listing every candidate. */
function findResourceFolder(
  name: string,
  explicitDirectory: string | undefined,
  envValue: string | undefined,
): string {
  const pinned = explicitDirectory ?? envValue;
  if (pinned) {
    const folder = path.resolve(pinned);
    if (!fs.existsSync(folder)) throw new Error(`${name} folder not found: ${folder}`);
    return folder;
  }
  const candidates: string[] = [];
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(path.join(resourcesPath, 'resources', name));
  // dist/electron/engine.cjs → the repository's resources/ (development builds).
  if (process.argv[1]) {
    candidates.push(path.resolve(path.dirname(process.argv[1]), '..', '..', 'resources', name));
  }
  candidates.push(path.join(process.cwd(), 'resources', name));
  const unique = [...new Set(candidates)];
  const found = unique.find((folder) => fs.existsSync(folder));
  if (!found) throw new Error(`${name} folder not found; looked in: ${unique.join(', ')}`);
  return found;
}

/** The folder of knowledge articles. */
export function findKnowledgeDirectory(
  explicitDirectory?: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return findResourceFolder('knowledge', explicitDirectory, env.LOTSE_KNOWLEDGE_DIR);
}

/** A site profile file by id (`demo` → resources/site-profile/demo.json). */
export function findSiteProfile(
  id = 'demo',
  explicitDirectory?: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const folder = findResourceFolder('site-profile', explicitDirectory, env.LOTSE_SITE_PROFILE_DIR);
  return path.join(folder, `${id}.json`);
}
