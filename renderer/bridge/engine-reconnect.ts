/**
 * When the desk's engine goes away and when one is back, for both carriers:
 * the desktop app's port closes when the engine's utility process dies (the
 * main process starts a new one and hands the window a new port), web mode's
 * WebSocket closes when the engine process dies (its supervisor starts a new
 * one on the same address and the carrier reconnects).
 *
 *   connecting ──open──▶ up ──closed──▶ lost ──open──▶ up (restored) …
 *
 * `lost` comes once per outage, at once – the bots of live calls went with
 * the engine and their callers hear nothing, so the desk must ring a person
 * now, not when the engine is back. `restored` comes when the carrier is open
 * again: whether it is a new engine or the same one, it has forgotten this
 * window's calls (an engine ends a window's bot calls when its connection
 * closes), so the desk tells it again what is live.
 */
import type { CarrierStatus } from '../../electron/contract';

export interface EngineConnectionHandlers {
  lost(): void;
  restored(): void;
}

export function watchEngineConnection(
  client: { onStatus(listener: (status: CarrierStatus) => void): () => void },
  handlers: EngineConnectionHandlers,
): () => void {
  let wasOpen = false;
  let lost = false;
  return client.onStatus((status) => {
    if (status === 'open') {
      const back = lost;
      lost = false;
      wasOpen = true;
      if (back) handlers.restored();
      return;
    }
    if (status === 'closed' && wasOpen && !lost) {
      lost = true;
      handlers.lost();
    }
  });
}
