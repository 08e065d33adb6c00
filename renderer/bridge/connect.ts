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

/** Web mode opened without the engine's token: the screen says which address to open. */
export class NoEngineError extends Error {
  override name = 'NoEngineError';
  readonly code = 'no-engine-token';
}

export function connectEngine(): { client: EngineClient; carrier: 'desktop' | 'web' } {
  if (window.lotse) return { client: new EngineClient(window.lotse), carrier: 'desktop' };
  const token = takeEngineToken();
  if (!token) {
    throw new NoEngineError('no engine token: open the address printed by "npm run web"');
  }
  return { client: new EngineClient(createWebSocketCarrier(token)), carrier: 'web' };
}
