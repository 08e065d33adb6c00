/**
 * Taking an arriving call, by its button or by the answer shortcut: the
 * call is answered or taken over from the bot, the workspace comes to the
 * front, the focus goes to the transcript and the desk says what happened.
 */
import { flushSync } from 'react-dom';
import type { Language } from '../../i18n/language';
import type { Services } from '../../services/services-context';
import { formatCaller } from '../../i18n/phone-number';
import { showFocus } from '../../ui/show-focus';
import type { BotDesk } from '../bot/bot-desk';
import { arrivalMessages } from './arrival-messages';
import { currentArrival, type Arrival } from './arrival';

/**
 * Focus to the transcript (its list, or its heading while nothing was said),
 * with the heading in view, once the workspace is shown.
 */
export function focusTranscript(): boolean {
  const target =
    document.getElementById('transcript-focus') ?? document.getElementById('transcript-heading');
  if (!target) return false;
  showFocus(target);
  return true;
}

/** Who calls, as the arrival and its confirmation name them. */
export function callerName(arrival: Arrival): string | undefined {
  const line = arrival.line;
  if (!line?.remote && !line?.remoteName) return undefined;
  return formatCaller(line.remote, line.remoteName);
}

/** The call arriving at this desk now, from the stores. */
export function arrivalNow(services: Services): Arrival | undefined {
  const { call, lines } = services.phoneStore.getState();
  const bot = services.botStore.getState();
  return currentArrival(bot.call, bot.practice?.callId, call, lines);
}

/** Takes the arriving call; false when nothing arrives. */
export function takeArrival(
  services: Services,
  bot: BotDesk,
  language: Language,
  arrival: Arrival | undefined = arrivalNow(services),
): boolean {
  if (!arrival) return false;
  const { phone, engineStore, viewStore } = services;
  const report = (error: unknown) =>
    engineStore
      .getState()
      .addLocalLog('error', error instanceof Error ? error.message : String(error));
  if (arrival.kind === 'handoff')
    void (arrival.practice ? bot.takeOverPractice() : bot.takeOver()).catch(report);
  else if (arrival.kind === 'ringing') phone.answer().catch(report);
  else phone.answerWaiting(arrival.callId).catch(report);
  const who = callerName(arrival) ?? arrivalMessages.translate(language, 'theCaller');
  flushSync(() => viewStore.getState().go('workspace'));
  focusTranscript();
  viewStore.getState().say(
    arrivalMessages.translate(language, arrival.kind === 'handoff' ? 'taken' : 'answered', {
      who,
    }),
  );
  return true;
}
