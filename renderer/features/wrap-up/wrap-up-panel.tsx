/**
 * After the call: the proposed contact note (reason, what was asked, what was
 * answered, follow-ups) for the agent to edit, the disposition and the final
 * intent label, saved through the case system's connector. The disposition
 * starts unchosen: saving without one marks the field (aria-invalid, its
 * message) until the agent picks one. If saving fails, the text stays here
 * (and on the desk) to try again.
 */
import { useDescribeProblem } from '../../i18n/describe-problem';
import { useAssistDesk } from '../assist/assist-desk-context';
import { useEffect, useRef } from 'react';
import { DISPOSITIONS, INTENT_NAMES, type Disposition } from '../../../electron/contract';
import type { WrapUpMessageKey } from './wrap-up-messages';
import { useFrom, useServices } from '../../services/services-context';
import { useT } from './wrap-up-messages';

export function WrapUpPanel() {
  const { assistStore } = useServices();
  const assist = useAssistDesk();
  const t = useT();
  const describe = useDescribeProblem();
  const draft = useFrom(assistStore, (s) => s.wrapUp);
  const heading = useRef<HTMLHeadingElement>(null);
  const dispositionField = useRef<HTMLSelectElement>(null);
  const shownFor = useRef<string | undefined>(undefined);
  useEffect(() => {
    // A new proposal: bring the agent's focus to it (keyboard users land on the
    // note) — unless a caller is waiting for them: the arrival's button keeps it.
    if (draft && shownFor.current !== draft.callId) {
      shownFor.current = draft.callId;
      if (!document.activeElement?.closest('.arrival')) heading.current?.focus();
    }
  }, [draft]);
  if (!draft) return null;
  const saving = draft.status === 'saving';
  const dispositionMissing = draft.missing === 'disposition';
  return (
    <section
      className="panel wrap-up"
      aria-labelledby="wrap-up-heading"
      data-testid="wrap-up"
      data-status={draft.status}
    >
      <h2 id="wrap-up-heading" ref={heading} tabIndex={-1}>
        {t('wrapUp')}
      </h2>
      {!draft.proposal.verified && <p className="detail">{t('wrapUpNotVerified')}</p>}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void assist.saveWrapUp();
          if (!draft.disposition) dispositionField.current?.focus();
        }}
      >
        <label htmlFor="wrap-up-note">{t('wrapUpNote')}</label>
        <textarea
          id="wrap-up-note"
          rows={9}
          maxLength={4000}
          value={draft.note}
          readOnly={draft.status === 'saved'}
          onChange={(e) =>
            assistStore.getState().editWrapUp({ note: e.target.value, status: 'draft' })
          }
          data-testid="wrap-up-note"
        />
        <div className="wrap-up-fields">
          <div>
            <label htmlFor="wrap-up-disposition">{t('disposition')}</label>
            <select
              id="wrap-up-disposition"
              ref={dispositionField}
              value={draft.disposition ?? ''}
              disabled={draft.status === 'saved'}
              aria-required="true"
              aria-invalid={dispositionMissing || undefined}
              aria-describedby={dispositionMissing ? 'wrap-up-disposition-error' : undefined}
              onChange={(e) => assist.chooseDisposition(e.target.value as Disposition)}
              data-testid="wrap-up-disposition"
            >
              <option value="" disabled>
                {t('dispositionNone')}
              </option>
              {DISPOSITIONS.map((d) => (
                <option key={d} value={d}>
                  {t(`disposition_${d}` as WrapUpMessageKey)}
                </option>
              ))}
            </select>
            {dispositionMissing && (
              <p
                id="wrap-up-disposition-error"
                role="alert"
                className="field-error"
                data-testid="wrap-up-disposition-error"
              >
                {t('dispositionMissing')}
              </p>
            )}
          </div>
          <div>
            <label htmlFor="wrap-up-intent">{t('finalIntent')}</label>
            <select
              id="wrap-up-intent"
              value={draft.intent ?? 'other'}
              disabled={draft.status === 'saved'}
              onChange={(e) => {
                const current = assistStore.getState().wrapUp;
                if (current)
                  assistStore.getState().setWrapUp({ ...current, intent: e.target.value });
              }}
              data-testid="wrap-up-intent"
            >
              {INTENT_NAMES.map((intent) => (
                <option key={intent} value={intent}>
                  {t(`intent_${intent}` as WrapUpMessageKey)}
                </option>
              ))}
            </select>
          </div>
        </div>
        {draft.status === 'saved' ? (
          <p role="status" className="ok" data-testid="wrap-up-saved" data-saved-to={draft.savedTo}>
            {t(draft.savedTo === 'case_system' ? 'wrapUpSavedCase' : 'wrapUpSavedDesk')}
          </p>
        ) : (
          <div className="row">
            <button type="submit" className="primary" disabled={saving} data-testid="wrap-up-save">
              {saving ? t('saving') : t('wrapUpSave')}
            </button>
            <button type="button" disabled={saving} onClick={() => assist.discardWrapUp()}>
              {t('wrapUpDiscard')}
            </button>
          </div>
        )}
        {draft.status === 'saved' && (
          <button type="button" onClick={() => assist.discardWrapUp()}>
            {t('wrapUpClose')}
          </button>
        )}
        {draft.status === 'error' && draft.problem && (
          <p role="alert" className="warning" data-testid="wrap-up-error">
            {draft.problem === 'empty' ? t('wrapUpEmpty') : describe(draft.problem)}
          </p>
        )}
      </form>
    </section>
  );
}
