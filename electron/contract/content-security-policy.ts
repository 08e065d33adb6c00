/**
 * The renderer's Content-Security-Policy, one definition for both carriers:
 * the desktop window sends it with every lotse://app/ response, web mode with
 * every page it serves, and renderer/index.html repeats it as a meta tag
 * (without frame-ancestors, which a meta tag cannot express; a unit test keeps
 * them equal).
 *
 * connect-src allows any ws:/wss: origin because the SIP server (WebSocket
 * transport) is configured by the user; nothing else may be fetched from
 * outside the app. No 'unsafe-eval', no inline scripts.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "media-src 'self' blob: data:",
  "connect-src 'self' ws: wss:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
