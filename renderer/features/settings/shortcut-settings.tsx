/**
 * The agent's own call shortcuts: one letter or digit per action, pressed
 * with Ctrl+Alt. Checked before saving (no duplicates, no AltGr characters);
 * remembered on this desk.
 */
import { useState, type FormEvent } from 'react';
import { useFrom, useServices } from '../../services/services-context';
import { useT } from './settings-messages';
import {
  CALL_SHORTCUT_NAMES,
  shortcutKeysProblem,
  type ShortcutKeys,
} from '../../stores/call-shortcuts';
import { describeShortcutProblem, SHORTCUT_LABELS as LABELS } from './shortcut-labels';

export function ShortcutSettings() {
  const { shortcutsStore } = useServices();
  const t = useT();
  const saved = useFrom(shortcutsStore, (s) => s.keys);
  const [draft, setDraft] = useState<ShortcutKeys>(saved);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | undefined>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = shortcutKeysProblem(draft) ?? shortcutsStore.getState().save(draft);
    setStatus(
      problem
        ? { ok: false, text: describeShortcutProblem(t, problem) }
        : { ok: true, text: t('shortcutsSaved') },
    );
  };
  return (
    <form className="panel settings" onSubmit={submit} aria-labelledby="shortcut-settings-title">
      <h2 id="shortcut-settings-title">{t('shortcutSettings')}</h2>
      {CALL_SHORTCUT_NAMES.map((name) => (
        <label key={name} className="shortcut-key">
          <span>
            {t('shortcutKey')}: {t(LABELS[name])}
          </span>
          <input
            value={draft[name]}
            maxLength={1}
            size={2}
            data-testid={`shortcut-${name}`}
            onChange={(e) => setDraft({ ...draft, [name]: e.target.value.toUpperCase() })}
          />
        </label>
      ))}
      <div className="row">
        <button type="submit" className="primary">
          {t('shortcutsSave')}
        </button>
        <button
          type="button"
          onClick={() => {
            shortcutsStore.getState().reset();
            setDraft(shortcutsStore.getState().keys);
            setStatus(undefined);
          }}
        >
          {t('shortcutsReset')}
        </button>
      </div>
      {status && (
        <p
          role={status.ok ? 'status' : 'alert'}
          className={status.ok ? 'detail' : 'detail error'}
          data-testid="shortcut-status"
        >
          {status.text}
        </p>
      )}
    </form>
  );
}
