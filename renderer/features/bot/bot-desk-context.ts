/** The bot's desk for the bot's screen areas, provided by the composition root. */
import { createContext, useContext } from 'react';
import type { BotDesk } from './bot-desk';

export const BotDeskContext = createContext<BotDesk | null>(null);

export function useBotDesk(): BotDesk {
  const desk = useContext(BotDeskContext);
  if (!desk) throw new Error('BotDeskContext missing');
  return desk;
}
