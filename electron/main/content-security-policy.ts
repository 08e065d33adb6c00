/**
 * The Content-Security-Policy of the desktop window, sent as a header with
 * every lotse://app/ response (the renderer's index.html carries the same
 * policy as a meta tag, which cannot express frame-ancestors).
 *
 * connect-src allows any ws:/wss: origin because the SIP server (WebSocket
 * transport) is configured by the user; nothing else may be fetched from
 * outside the app. No 'unsafe-eval', no inline scripts. Keep in step with the
 * web mode's policy (electron/engine/web/static-files.ts).
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
