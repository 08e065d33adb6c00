/** How the settings name each call shortcut's action, and why a set of keys is refused. */
import type { Translate } from '../../i18n/define-messages';
import type { ShortcutKeys, ShortcutProblem } from '../../stores/call-shortcuts';
import type { SettingsMessageKey } from './settings-messages';

export const SHORTCUT_LABELS: Record<keyof ShortcutKeys, SettingsMessageKey> = {
  answer: 'actionAnswer',
  hangup: 'actionHangup',
  mute: 'actionMute',
  hold: 'actionHold',
  transfer: 'actionTransfer',
  acceptSuggestion: 'actionAcceptSuggestion',
  focusTranscript: 'actionFocusTranscript',
  focusCase: 'actionFocusCase',
  viewWorkspace: 'actionViewWorkspace',
  viewHistory: 'actionViewHistory',
  viewWorklist: 'actionViewWorklist',
  viewSettings: 'actionViewSettings',
  viewDiagnostics: 'actionViewDiagnostics',
};

/** Why the keys cannot be saved, in the agent's language, naming the actions as the form does. */
export function describeShortcutProblem(
  t: Translate<SettingsMessageKey>,
  problem: ShortcutProblem,
): string {
  const action = t(SHORTCUT_LABELS[problem.shortcut]);
  switch (problem.code) {
    case 'not-a-key':
      return t('shortcutNotAKey', { action });
    case 'altgr':
      return t('shortcutAltGr', { action, key: problem.key });
    case 'taken':
      return t('shortcutTaken', {
        action,
        key: problem.key,
        other: t(SHORTCUT_LABELS[problem.other]),
      });
  }
}
