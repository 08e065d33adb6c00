/**
 * Which source URLs the screen shows as a link. Sources are official pages
 * (laws, the Bundesagentur, the office's site): https only. Anything else
 * – http, javascript:, a relative path – is shown as text, never as a link.
 * In the desktop app a link opens in the system browser, and only for hosts
 * on the shell's allow-list (electron/main/external-links.ts); in web mode
 * the browser opens it in a new tab.
 */
export function linkableSourceUrl(url: string | undefined | null): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return undefined;
    return parsed.href;
  } catch {
    return undefined;
  }
}
