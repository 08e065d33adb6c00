/**
 * The lotse://app/ scheme the window is loaded from, instead of file://.
 *
 * file:// pages share one opaque origin with every file on the disk and make
 * CSP 'self' meaningless; a privileged standard scheme gives the renderer its
 * own origin (lotse://app), a secure context (getUserMedia, AudioWorklet),
 * fetch/CORS for module scripts and streaming for media, and lets us send a
 * real Content-Security-Policy header. The files come from dist/renderer
 * through renderer-files.ts, which guards against path traversal.
 */
import { protocol, type Session } from 'electron';
import { APP_SCHEME, createRendererFileHandler } from './renderer-files';
import { describeError, log } from './main-log';

/** Must run before the app's 'ready' event. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: {
        standard: true,
        secure: true,
        supportFetchAPI: true,
        corsEnabled: true,
        stream: true,
        codeCache: true,
      },
    },
  ]);
}

/** Serves rootDir (dist/renderer) on lotse://app/ for the given session. */
export function serveAppProtocol(session: Session, rootDir: string): void {
  const handler = createRendererFileHandler(rootDir);
  session.protocol.handle(APP_SCHEME, async (request) => {
    try {
      return await handler(request);
    } catch (error) {
      log('error', 'app-protocol', `failed to serve ${request.url}: ${describeError(error)}`);
      return new Response('internal error', {
        status: 500,
        headers: { 'Content-Type': 'text/plain' },
      });
    }
  });
}
