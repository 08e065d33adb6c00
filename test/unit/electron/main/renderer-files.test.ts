import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../../electron/contract';
import { mimeTypeOf, resolveAppPath } from '../../../../electron/main/renderer-files';

const root = path.resolve('/srv/lotse/renderer');

describe('lotse://app/ file mapping', () => {
  it('maps app URLs below the renderer folder', () => {
    expect(resolveAppPath(root, 'lotse://app/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, 'lotse://app/assets/index-1.js')).toBe(
      path.join(root, 'assets/index-1.js'),
    );
  });

  it.each([
    'lotse://app/../secret.txt',
    'lotse://app/%2e%2e/%2e%2e/etc/passwd',
    'lotse://app/..%2f..%2fetc/passwd',
    'lotse://app/a%5c..%5c..%5cwin.ini',
    'lotse://app/x%00.js',
    'lotse://app/%E0%A4%A',
    'lotse://other/index.html',
    'https://app/index.html',
  ])('never leaves the renderer folder for %s', (url) => {
    const file = resolveAppPath(root, url);
    expect(file === null || file.startsWith(root + path.sep)).toBe(true);
  });

  it('refuses other schemes, hosts, NUL bytes and broken escapes outright', () => {
    for (const url of [
      'lotse://other/index.html',
      'https://app/index.html',
      'lotse://app/x%00.js',
      'lotse://app/%E0%A4%A',
    ]) {
      expect(resolveAppPath(root, url)).toBeNull();
    }
  });

  it('names the types the renderer needs', () => {
    expect(mimeTypeOf('a.js')).toMatch(/javascript/);
    expect(mimeTypeOf('a.wasm')).toBe('application/wasm');
    expect(mimeTypeOf('a.wav')).toMatch(/audio\/(x-)?wav/);
  });
});

describe('Content-Security-Policy', () => {
  it('is the same in renderer/index.html as in the headers (bar frame-ancestors)', () => {
    const html = fs.readFileSync(path.resolve('renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    const expected = CONTENT_SECURITY_POLICY.split('; ')
      .filter((d) => !d.startsWith('frame-ancestors'))
      .join('; ');
    expect(meta).toBe(expected);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self'(;|$)/);
  });
});
