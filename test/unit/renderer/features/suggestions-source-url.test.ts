/** A suggestion's source is a link only for https:// (issue 13, point 7). */
import { describe, expect, it } from 'vitest';
import { linkableSourceUrl } from '../../../../renderer/features/suggestions/source-url';

describe('linkableSourceUrl', () => {
  it('links https sources', () => {
    expect(linkableSourceUrl('https://www.gesetze-im-internet.de/sgb_2/__42.html')).toBe(
      'https://www.gesetze-im-internet.de/sgb_2/__42.html',
    );
  });

  it.each([
    'http://www.gesetze-im-internet.de/',
    'javascript:alert(1)',
    '/relative',
    '',
    null,
    'https://u:p@x.de/',
  ])('shows %s as text', (url) => {
    expect(linkableSourceUrl(url)).toBeUndefined();
  });
});
