/**
 * The Electron IPC channels between the main process and the window's
 * preload. The preload asks for a port once its page has started; from then
 * on the window gets a new port to the engine every time an engine process
 * starts, and a 'closed' status every time one exits:
 *
 *   preload --enginePortRequest--> main
 *   main --enginePort (MessagePort transferred)--> preload   (after every engine start)
 *   main --engineStatus = 'closed'--> preload                 (after every engine exit)
 *
 * Plain constants without zod: the sandboxed preload bundles this file
 * alone (import it by its path, not through the contract's index).
 */
import type { CarrierStatus } from './messages';

export const IPC_CHANNELS = {
  /** preload → main: the page has started and wants a port to the engine. */
  enginePortRequest: 'lotse:engine-port-request',
  /** main → preload: a MessagePort to the engine that has just started. */
  enginePort: 'lotse:engine-port',
  /** main → preload: the engine process is gone (the value is ENGINE_CLOSED). */
  engineStatus: 'lotse:engine-status',
} as const;

/** The one value sent on IPC_CHANNELS.engineStatus. */
export const ENGINE_CLOSED = 'closed' satisfies CarrierStatus;
