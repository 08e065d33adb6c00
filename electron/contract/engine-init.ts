/**
 * The first message the Electron main process sends to the engine utility
 * process, with the MessagePort of one window transferred alongside. The
 * contract (messages.ts) then runs over that port. The shell builds it
 * (electron/main/engine-process.ts), the engine checks it
 * (electron/engine/utility-main.ts).
 */
import { z } from 'zod';
import { engineModeSchema, keyProtectionSchema } from './messages';

export const engineInitMessageSchema = z.object({
  t: z.literal('init'),
  /** The engine's data folder (the user's app data). */
  dataDir: z.string().min(1),
  /** The engine's key (stores, PIN hashes), base64; never logged. */
  keyBase64: z.string().min(1),
  /** The utility process only ever runs the desktop engine. */
  mode: engineModeSchema.extract(['desktop']),
  /** How the shell keeps the key (safeStorage, its weak Linux fallback, a plain file). */
  keyProtection: keyProtectionSchema.optional(),
});
export type EngineInitMessage = z.infer<typeof engineInitMessageSchema>;
