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
import type { CarrierStatus, ModelDialogRequest } from './messages';

export const IPC_CHANNELS = {
  /** preload → main: the page has started and wants a port to the engine. */
  enginePortRequest: 'lotse:engine-port-request',
  /** main → preload: a MessagePort to the engine that has just started. */
  enginePort: 'lotse:engine-port',
  /** main → preload: the engine process is gone (the value is ENGINE_CLOSED). */
  engineStatus: 'lotse:engine-status',
  /**
   * preload → main (invoke, a ModelDialogRequest): the open dialog for a
   * speech model; answers the chosen path or null.
   */
  chooseModelPath: 'lotse:choose-model-path',
} as const;

/** Longest dialog title or filter name taken from the page. */
const MAX_DIALOG_TEXT = 200;

/** Checks a ModelDialogRequest from the other side of the IPC boundary (no zod here: see above). */
export function isModelDialogRequest(value: unknown): value is ModelDialogRequest {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, title, filterName } = value as Partial<Record<keyof ModelDialogRequest, unknown>>;
  const text = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= MAX_DIALOG_TEXT;
  return (kind === 'zip' || kind === 'folder') && text(title) && text(filterName);
}

/** The one value sent on IPC_CHANNELS.engineStatus. */
export const ENGINE_CLOSED = 'closed' satisfies CarrierStatus;
