/**
 * Which links the desktop app opens in the system browser (issue 13,
 * point 7): https only, default port, no credentials, hosts on the
 * allow-list (and their subdomains) only; the allow-list covers every source
 * the bundled knowledge base cites, the site profile's own sites and what
 * LOTSE_EXTERNAL_LINK_HOSTS adds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EXTERNAL_LINK_HOSTS,
  externalLinkDecision,
  isAllowedExternalUrl,
  loadExternalLinkAllowList,
  parseLinkHosts,
  siteProfileCandidates,
  siteProfileLinkHosts,
} from '../../../../electron/main/external-links';

const ROOT = path.resolve(__dirname, '../../../..');
const allow = ['gesetze-im-internet.de', 'arbeitsagentur.de'];

/** Every `url:` of an article's `source:` block in resources/knowledge. */
function knowledgeSourceUrls(): string[] {
  const urls: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.md') && entry.name !== 'README.md') {
        const text = fs.readFileSync(full, 'utf8');
        const block = /^source:\n((?:[ \t]+.*\n)+)/m.exec(text)?.[1] ?? '';
        const url = /url:\s*(\S+)/.exec(block)?.[1];
        if (url) urls.push(url);
      }
    }
  };
  walk(path.join(ROOT, 'resources/knowledge'));
  return urls;
}

describe('external links', () => {
  it.each([
    'https://www.gesetze-im-internet.de/sgb_2/__42.html',
    'https://gesetze-im-internet.de/',
    'https://WWW.Arbeitsagentur.DE/buergergeld?x=1#top',
  ])('opens %s', (url) => {
    const decision = externalLinkDecision(url, allow);
    expect(decision).toEqual({ allowed: true, url: new URL(url).href });
  });

  it.each([
    ['http://www.gesetze-im-internet.de/sgb_2/__42.html', 'not https'],
    ['https://www.gesetze-im-internet.de.evil.example/', 'host not on the allow-list'],
    ['https://evilgesetze-im-internet.de/', 'host not on the allow-list'],
    ['https://example.org/', 'host not on the allow-list'],
    ['https://user:pw@www.arbeitsagentur.de/', 'user name or password in the URL'],
    ['https://www.arbeitsagentur.de:8443/', 'not the default port'],
    ['javascript:alert(1)', 'not https'],
    ['file:///etc/passwd', 'not https'],
    ['lotse://app/index.html', 'not https'],
    ['not a url', 'not a URL'],
  ])('refuses %s (%s)', (url, reason) => {
    const decision = externalLinkDecision(url, allow);
    expect(decision.allowed).toBe(false);
    expect(decision).toMatchObject({ reason });
    expect(isAllowedExternalUrl(url, allow)).toBe(false);
  });

  it('logs only the origin of a refused link, never its path or query', () => {
    const decision = externalLinkDecision('https://example.org/akte?name=Erika+Muster', allow);
    expect(decision).toMatchObject({ allowed: false, origin: 'https://example.org' });
  });

  it('allows every source the bundled knowledge base cites', () => {
    const urls = knowledgeSourceUrls();
    expect(urls.length).toBeGreaterThan(50);
    const refused = urls.filter((url) => !isAllowedExternalUrl(url, DEFAULT_EXTERNAL_LINK_HOSTS));
    expect(refused).toEqual([]);
  });

  it('reads LOTSE_EXTERNAL_LINK_HOSTS: host names, separated by commas or spaces', () => {
    expect(
      parseLinkHosts(' jobcenter-musterstadt.de, www.kreis.example.de  beratung.example '),
    ).toEqual({
      hosts: ['jobcenter-musterstadt.de', 'www.kreis.example.de', 'beratung.example'],
      rejected: [],
    });
    expect(parseLinkHosts('https://x.de, localhost, *.y.de, ok.de').rejected).toEqual([
      'https://x.de',
      'localhost',
      '*.y.de',
    ]);
    expect(parseLinkHosts(undefined)).toEqual({ hosts: [], rejected: [] });
  });

  it('takes the website and the portal from the site profile', () => {
    const demo = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'resources/site-profile/demo.json'), 'utf8'),
    ) as unknown;
    expect(siteProfileLinkHosts(demo)).toEqual([
      'www.jobcenter-musterstadt.example.invalid',
      'portal.jobcenter-musterstadt.example.invalid',
    ]);
    expect(siteProfileLinkHosts({ office: { website: 'http://plain.example.de' } })).toEqual([]);
    expect(siteProfileLinkHosts(null)).toEqual([]);
  });

  it('finds the site profile where the engine does, and ignores an id that is a path', () => {
    const candidates = siteProfileCandidates({
      env: {},
      resourcesPath: '/opt/Lotse/resources',
      appDir: '/repo/dist/electron',
      cwd: '/repo',
    });
    expect(candidates).toEqual([
      '/opt/Lotse/resources/resources/site-profile/demo.json',
      '/repo/resources/site-profile/demo.json',
    ]);
    expect(
      siteProfileCandidates({
        env: { LOTSE_SITE_PROFILE: 'kreis', LOTSE_SITE_PROFILE_DIR: '/etc/lotse' },
        appDir: '/repo/dist/electron',
        cwd: '/repo',
      }),
    ).toEqual(['/etc/lotse/kreis.json']);
    expect(
      siteProfileCandidates({
        env: { LOTSE_SITE_PROFILE: '../../secret' },
        appDir: '/x',
        cwd: '/x',
      }),
    ).toEqual([]);
  });

  it('builds the allow-list from the defaults, the site profile and the variable, and says what it ignored', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-links-'));
    try {
      const profile = path.join(dir, 'kreis.json');
      fs.writeFileSync(
        profile,
        JSON.stringify({
          office: { website: 'https://www.kreis.example.de' },
          portal: { url: 'https://portal.kreis.example.de' },
        }),
      );
      const list = loadExternalLinkAllowList({
        env: { LOTSE_EXTERNAL_LINK_HOSTS: 'beratung.example.de, not/a/host' },
        siteProfileFiles: [path.join(dir, 'missing.json'), profile],
      });
      expect(list.hosts).toEqual([
        ...DEFAULT_EXTERNAL_LINK_HOSTS,
        'www.kreis.example.de',
        'portal.kreis.example.de',
        'beratung.example.de',
      ]);
      expect(list.problems).toEqual([
        'LOTSE_EXTERNAL_LINK_HOSTS: "not/a/host" is not a host name (e.g. www.example.de); ignored',
      ]);
      expect(isAllowedExternalUrl('https://portal.kreis.example.de/login', list.hosts)).toBe(true);
      const none = loadExternalLinkAllowList({ env: {}, siteProfileFiles: [] });
      expect(none.hosts).toEqual([...DEFAULT_EXTERNAL_LINK_HOSTS]);
      expect(none.problems[0]).toMatch(/no site profile found/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
