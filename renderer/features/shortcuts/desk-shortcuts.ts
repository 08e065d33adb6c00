/**
 * What each keyboard shortcut does in the desk's current state, and what the
 * desk then says: every shortcut answers, in words shown for a moment and
 * read by screen readers, with what it did or why it did nothing. Shortcuts
 * that move the focus bring their view to the front, keep the area's heading
 * in view and leave a visible focus ring.
 */
import { useEffect } from 'react';
import { flushSync } from 'react-dom';
import { languageStore } from '../../i18n/language';
import type { Services } from '../../services/services-context';
import { matchCallShortcut, type CallShortcut } from '../../stores/call-shortcuts';
import type { ViewName } from '../../stores/view-store';
import { showFocus } from '../../ui/show-focus';
import type { AssistDesk } from '../assist/assist-desk';
import type { BotDesk } from '../bot/bot-desk';
import { arrivalNow, focusTranscript, takeArrival } from '../arrival/take-arrival';
import { phoneMessages, type PhoneMessageKey } from '../phone/phone-messages';
import { usePhoneWords } from '../phone/phone-wording';
import { useAssistDesk } from '../assist/assist-desk-context';
import { useBotDesk } from '../bot/bot-desk-context';
import { useServices } from '../../services/services-context';

/** Moves the focus to an element of the workspace, its area's heading kept in view. */
function focusInWorkspace(services: Services, id: string): boolean {
  flushSync(() => services.viewStore.getState().go('workspace'));
  if (id === 'transcript-focus') return focusTranscript();
  const element = document.getElementById(id);
  if (!element) return false;
  showFocus(element);
  return true;
}

const VIEWS: Partial<Record<CallShortcut, ViewName>> = {
  viewWorkspace: 'workspace',
  viewHistory: 'history',
  viewWorklist: 'worklist',
  viewSettings: 'settings',
  viewDiagnostics: 'diagnostics',
};

/** The outcome of a shortcut: done or not, and the words the desk says (undefined: said elsewhere). */
type Outcome = { done: boolean; say?: PhoneMessageKey; params?: Record<string, string> };

function runShortcut(
  services: Services,
  desks: { bot: BotDesk; assist: AssistDesk },
  shortcut: CallShortcut,
  report: (error: unknown) => void,
): Outcome {
  const { phone, phoneStore } = services;
  const { call } = phoneStore.getState();
  const language = languageStore.getState().language;
  const view = VIEWS[shortcut];
  if (view) {
    flushSync(() => services.viewStore.getState().go(view));
    // The view's heading takes the focus, so the keyboard starts there.
    const heading = document.getElementById(
      view === 'workspace' ? 'call-heading' : `view-${view}-heading`,
    );
    if (heading) showFocus(heading);
    return {
      done: true,
      say: 'sc_view',
      params: { view: phoneMessages.translate(language, `view_${view}`) },
    };
  }
  switch (shortcut) {
    case 'answer':
      // A handoff, a ringing call or a knocking one: as its arrival's button.
      if (takeArrival(services, desks.bot, language, arrivalNow(services))) return { done: true };
      return { done: false, say: 'sc_noRinging' };
    case 'hangup':
      if (call.state === 'ringing') {
        phone.decline();
        return { done: true, say: 'sc_declined' };
      }
      if (call.state === 'connected' || call.state === 'dialing') {
        phone.hangup();
        return { done: true, say: 'sc_hungUp' };
      }
      return { done: false, say: 'sc_noCall' };
    case 'mute':
      if (call.state !== 'connected') return { done: false, say: 'sc_noCall' };
      phone.setMuted(!call.muted);
      return { done: true, say: call.muted ? 'sc_unmuted' : 'sc_muted' };
    case 'hold':
      if (call.state !== 'connected' || call.holdPending) return { done: false, say: 'sc_noCall' };
      phone.setHold(!call.held).catch(report);
      return { done: true, say: call.held ? 'sc_resumed' : 'sc_held' };
    case 'transfer':
      if (call.state !== 'connected' || call.consultFor)
        return { done: false, say: 'sc_noTransfer' };
      flushSync(() => services.viewStore.getState().go('workspace'));
      // The call panel opens its transfer field and puts the focus there.
      services.viewStore.getState().requestTransfer();
      return { done: true, say: 'sc_transfer' };
    case 'acceptSuggestion':
      if (services.assistStore.getState().suggestions.length === 0)
        return { done: false, say: 'sc_noSuggestion' };
      void desks.assist.acceptTop();
      return { done: true, say: 'sc_suggestion' };
    case 'focusTranscript':
      return focusInWorkspace(services, 'transcript-focus')
        ? { done: true, say: 'sc_transcript' }
        : { done: false, say: 'sc_noTranscript' };
    case 'focusCase':
      return focusInWorkspace(services, 'case-heading')
        ? { done: true, say: 'sc_case' }
        : { done: false, say: 'sc_noCase' };
    default:
      return { done: false };
  }
}

/** Listens for the agent's shortcuts on the whole window (never while they type in a field). */
export function useDeskShortcuts(): void {
  const services = useServices();
  const bot = useBotDesk();
  const assist = useAssistDesk();
  const words = usePhoneWords();
  const wordError = words.error;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const shortcut = matchCallShortcut(event, services.shortcutsStore.getState().keys);
      if (!shortcut) return;
      // The key is the desk's, done or not: no browser action behind it.
      event.preventDefault();
      const outcome = runShortcut(services, { bot, assist }, shortcut, (error) =>
        services.engineStore.getState().addLocalLog('error', wordError(error)),
      );
      if (outcome.say)
        services.viewStore
          .getState()
          .say(
            phoneMessages.translate(languageStore.getState().language, outcome.say, outcome.params),
          );
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [services, bot, assist, wordError]);
}
