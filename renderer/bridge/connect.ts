/**
 * Picks the carrier: the preload's `window.lotse` inside the desktop app, the
 * loopback WebSocket in web mode. Nothing else in the renderer knows which.
 */
import type { LotseBridge } from '../../electron/contract';
import { EngineClient } from './engine-client';
import { createWebSocketCarrier, takeEngineToken } from './websocket-carrier';

declare global {
  interface Window {
    lotse?: LotseBridge;
  }
}

export class NoEngineError extends Error {
  override name = 'NoEngineError';
}

export function connectEngine(): { client: EngineClient; carrier: 'desktop' | 'web' } {
  if (window.lotse) return { client: new EngineClient(window.lotse), carrier: 'desktop' };
  const token = takeEngineToken();
  if (!token) {
    throw new NoEngineError(
      'Kein Zugangsschlüssel zur Engine: bitte die Adresse öffnen, die "npm run web" ausgibt. / ' +
        'No engine token: open the address printed by "npm run web".',
    );
  }
  return { client: new EngineClient(createWebSocketCarrier(token)), carrier: 'web' };
}
