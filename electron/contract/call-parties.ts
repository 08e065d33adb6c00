/**
 * Who takes part in a call, as the contract names them: the transcript's
 * speakers and who confirmed the caller's identity.
 */
import { z } from 'zod';

/** Who said it: the caller, the agent at the desk, or the bot's voice. */
export const speakerSchema = z.enum(['caller', 'agent', 'bot']);
export type Speaker = z.infer<typeof speakerSchema>;

/** Who confirmed the caller's identity: the bot (number and date of birth, or PIN) or the agent. */
export const verifierSchema = speakerSchema.extract(['bot', 'agent']);
export type Verifier = z.infer<typeof verifierSchema>;
