/**
 * The way between the desk's views: a navigation bar of buttons (the one in
 * front marked as the current page), each with its shortcut; the worklist's
 * button counts its open items.
 */
import { useFrom, useServices } from '../services/services-context';
import { shortcutAria, type CallShortcut } from '../stores/call-shortcuts';
import { VIEW_NAMES, type ViewName } from '../stores/view-store';
import { useT } from './app-messages';

const SHORTCUT: Record<ViewName, CallShortcut> = {
  workspace: 'viewWorkspace',
  history: 'viewHistory',
  worklist: 'viewWorklist',
  settings: 'viewSettings',
  diagnostics: 'viewDiagnostics',
};

export function NavBar() {
  const { viewStore, shortcutsStore, botStore } = useServices();
  const t = useT();
  const view = useFrom(viewStore, (s) => s.view);
  const keys = useFrom(shortcutsStore, (s) => s.keys);
  const worklistOpen = useFrom(botStore, (s) => s.worklistOpen);
  const count = (name: ViewName): number => (name === 'worklist' ? worklistOpen : 0);
  return (
    <nav className="nav-bar" aria-label={t('views')}>
      <ul>
        {VIEW_NAMES.map((name) => {
          const key = keys[SHORTCUT[name]];
          const n = count(name);
          return (
            <li key={name}>
              <button
                type="button"
                data-testid={`nav-${name}`}
                aria-current={view === name ? 'page' : undefined}
                aria-keyshortcuts={shortcutAria(key)}
                title={t('keysCombo', { key })}
                onClick={() => viewStore.getState().go(name)}
              >
                {t(`view_${name}`)}
                {n > 0 && (
                  <span className="nav-count">
                    {' '}
                    <span aria-hidden="true">{n}</span>
                    <span className="visually-hidden">{t('openItems', { n })}</span>
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
