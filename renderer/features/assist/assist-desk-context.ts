/** The call assistant's desk (case, suggestions, wrap-up), provided by the composition root. */
import { createContext, useContext } from 'react';
import type { AssistDesk } from './assist-desk';

export const AssistDeskContext = createContext<AssistDesk | null>(null);

export function useAssistDesk(): AssistDesk {
  const desk = useContext(AssistDeskContext);
  if (!desk) throw new Error('AssistDeskContext missing');
  return desk;
}
