/**
 * Which links the desktop app opens in the system browser.
 *
 * The caseworker's screen shows the source of every suggested answer (a law
 * on gesetze-im-internet.de, a page of the Bundesagentur, the office's own
 * site). In the app such a link must open in the system browser – never in a
 * Lotse window, which has the engine's bridge – and only if its host is on an
 * allow-list: anything else that reaches window.open or a navigation (a
 * crafted article, a link in a case note, a script) is refused and logged.
 *
 * The list: the official sites the bundled knowledge base cites
 * (DEFAULT_EXTERNAL_LINK_HOSTS; a unit test checks every article's source
 * against it), the site profile's own website and portal, and
 * LOTSE_EXTERNAL_LINK_HOSTS (host names, separated by commas or spaces) for
 * what an office adds to its articles. An entry allows its host and every
 * subdomain of it. Only https:// on the default port, without user name or
 * password, is opened.
 *
 * Pure functions (no 'electron' import): main.ts plugs them into
 * setWindowOpenHandler and will-navigate and calls shell.openExternal.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Hosts of the official pages the bundled knowledge base cites as sources. */
export const DEFAULT_EXTERNAL_LINK_HOSTS: readonly string[] = [
  'gesetze-im-internet.de',
  'arbeitsagentur.de',
  'eur-lex.europa.eu',
  '112.de',
  'hilfetelefon.de',
  'nummergegenkummer.de',
  'telefonseelsorge.de',
  'rundfunkbeitrag.de',
];

export const EXTERNAL_LINK_HOSTS_VARIABLE = 'LOTSE_EXTERNAL_LINK_HOSTS';

/** A host name as an allow-list entry: letters, digits, hyphens, dots; at least one dot. */
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

export type ExternalLinkDecision =
  { allowed: true; url: string } | { allowed: false; reason: string; origin: string };

/** The entry as a lower-case host name, or undefined when it is not one. */
function normaliseHost(entry: string): string | undefined {
  const host = entry.trim().toLowerCase().replace(/\.$/, '');
  return HOST_NAME.test(host) ? host : undefined;
}

/**
 * Whether `url` may open in the system browser, and the normalised URL to
 * open (what the URL parser made of it, never the raw string).
 */
export function externalLinkDecision(
  url: string,
  allowList: readonly string[],
): ExternalLinkDecision {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { allowed: false, reason: 'not a URL', origin: '(invalid)' };
  }
  // The origin only, for the log: a query may carry anything.
  const origin = /^https?:$/.test(parsed.protocol) ? parsed.origin : `${parsed.protocol}…`;
  if (parsed.protocol !== 'https:') {
    return { allowed: false, reason: 'not https', origin };
  }
  if (parsed.username || parsed.password) {
    return { allowed: false, reason: 'user name or password in the URL', origin };
  }
  if (parsed.port !== '') {
    return { allowed: false, reason: 'not the default port', origin };
  }
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  const listed = allowList.some((entry) => host === entry || host.endsWith(`.${entry}`));
  if (!listed) return { allowed: false, reason: 'host not on the allow-list', origin };
  return { allowed: true, url: parsed.href };
}

export function isAllowedExternalUrl(url: string, allowList: readonly string[]): boolean {
  return externalLinkDecision(url, allowList).allowed;
}

/** LOTSE_EXTERNAL_LINK_HOSTS: the host names in it and the entries that are not host names. */
export function parseLinkHosts(value: string | undefined): { hosts: string[]; rejected: string[] } {
  const hosts: string[] = [];
  const rejected: string[] = [];
  for (const entry of (value ?? '').split(/[\s,]+/).filter(Boolean)) {
    const host = normaliseHost(entry);
    if (host) hosts.push(host);
    else rejected.push(entry);
  }
  return { hosts, rejected };
}

/** The hosts of a site profile's website and portal (resources/site-profile/*.json). */
export function siteProfileLinkHosts(profile: unknown): string[] {
  const root = (profile ?? {}) as {
    office?: { website?: unknown };
    portal?: { url?: unknown };
  };
  const hosts: string[] = [];
  for (const value of [root.office?.website, root.portal?.url]) {
    if (typeof value !== 'string') continue;
    try {
      const url = new URL(value);
      const host = url.protocol === 'https:' ? normaliseHost(url.hostname) : undefined;
      if (host) hosts.push(host);
    } catch {
      // Not a URL: the engine reports a broken profile itself.
    }
  }
  return hosts;
}

/**
 * Where the site profile may be, in the engine's order (knowledge-paths.ts):
 * LOTSE_SITE_PROFILE_DIR, the packaged app's resources, the repository's
 * resources/ next to dist/, the working directory. The id is the engine's
 * LOTSE_SITE_PROFILE (default demo); an id that is not a plain name is ignored.
 */
export function siteProfileCandidates(options: {
  env: Record<string, string | undefined>;
  resourcesPath?: string | undefined;
  appDir: string;
  cwd: string;
}): string[] {
  const id = options.env.LOTSE_SITE_PROFILE?.trim() || 'demo';
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(id)) return [];
  const file = `${id}.json`;
  const pinned = options.env.LOTSE_SITE_PROFILE_DIR?.trim();
  if (pinned) return [path.join(path.resolve(pinned), file)];
  const folders = [
    ...(options.resourcesPath ? [path.join(options.resourcesPath, 'resources')] : []),
    path.resolve(options.appDir, '..', '..', 'resources'),
    path.join(options.cwd, 'resources'),
  ];
  return [...new Set(folders.map((folder) => path.join(folder, 'site-profile', file)))];
}

export interface ExternalLinkAllowList {
  hosts: string[];
  /** What went wrong while building it (for the log): a bad entry, an unreadable profile. */
  problems: string[];
}

/** The whole allow-list: the defaults, the site profile's hosts and LOTSE_EXTERNAL_LINK_HOSTS. */
export function loadExternalLinkAllowList(options: {
  env: Record<string, string | undefined>;
  siteProfileFiles: readonly string[];
}): ExternalLinkAllowList {
  const problems: string[] = [];
  const fromProfile: string[] = [];
  const file = options.siteProfileFiles.find((candidate) => fs.existsSync(candidate));
  if (file) {
    try {
      fromProfile.push(...siteProfileLinkHosts(JSON.parse(fs.readFileSync(file, 'utf8'))));
    } catch (error) {
      problems.push(`site profile ${file} unreadable: ${(error as Error).message}`);
    }
  } else {
    problems.push('no site profile found: its website and portal are not on the link allow-list');
  }
  const configured = parseLinkHosts(options.env[EXTERNAL_LINK_HOSTS_VARIABLE]);
  for (const entry of configured.rejected) {
    problems.push(
      `${EXTERNAL_LINK_HOSTS_VARIABLE}: "${entry}" is not a host name (e.g. www.example.de); ignored`,
    );
  }
  const hosts = [...new Set([...DEFAULT_EXTERNAL_LINK_HOSTS, ...fromProfile, ...configured.hosts])];
  return { hosts, problems };
}
