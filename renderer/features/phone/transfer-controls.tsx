/**
 * Transfer: a number field with "Direkt vermitteln" (blind transfer, REFER)
 * and "Rückfrage" (consultation call first); during a consultation call
 * "Verbinden" (REFER with Replaces) and "Rückfrage beenden". The status
 * line follows the transfer as the other side reports it (NOTIFY).
 */
import { useState, type FormEvent, type RefObject } from 'react';
import { useFrom, useServices } from '../../services/services-context';
import { useT } from './phone-messages';
import { usePhoneWords } from './phone-wording';
import { isLive } from '../../phone/call-machine';

export function TransferControls(props: {
  open: boolean;
  inputRef: RefObject<HTMLInputElement | null>;
  onDone: () => void;
}) {
  const { phone, phoneStore, engineStore } = useServices();
  const t = useT();
  const words = usePhoneWords();
  const [target, setTarget] = useState('');
  const [busy, setBusy] = useState(false);
  const lines = useFrom(phoneStore, (s) => s.lines);
  const consult = lines.find((l) => l.consultFor && isLive(l.state));
  const original = consult && lines.find((l) => l.id === consult.consultFor);
  const report = (error: unknown) =>
    engineStore.getState().addLocalLog('error', words.error(error));

  if (consult && original && isLive(original.state)) {
    const ready = consult.state === 'connected' && original.state === 'connected';
    const transferring =
      original.transfer?.state && !['done', 'failed'].includes(original.transfer.state);
    return (
      <div
        className="row transfer"
        role="group"
        aria-label={t('consultCall')}
        data-testid="consult-controls"
      >
        <button
          type="button"
          className="primary"
          disabled={!ready || Boolean(transferring)}
          onClick={() => {
            try {
              phone.completeTransfer();
            } catch (error) {
              report(error);
            }
          }}
        >
          {t('completeTransfer')}
        </button>
        <button type="button" onClick={() => phone.cancelConsult().catch(report)}>
          {t('cancelConsult')}
        </button>
      </div>
    );
  }
  if (!props.open) return null;

  const blind = (event: FormEvent) => {
    event.preventDefault();
    if (!target.trim()) return;
    try {
      phone.transferBlind(target);
      setTarget('');
      props.onDone();
    } catch (error) {
      report(error);
    }
  };
  const consultFirst = () => {
    if (!target.trim()) return;
    setBusy(true);
    phone
      .startConsult(target)
      .then(() => {
        setTarget('');
        props.onDone();
      })
      .catch(report)
      .finally(() => setBusy(false));
  };

  return (
    <form id="transfer-form" className="transfer" aria-label={t('transfer')} onSubmit={blind}>
      <label htmlFor="transfer-target">{t('transferTarget')}</label>
      <div className="row">
        <input
          id="transfer-target"
          ref={props.inputRef}
          value={target}
          onChange={(e) => setTarget(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') props.onDone();
          }}
          autoComplete="off"
          inputMode="tel"
        />
        <button type="submit" disabled={!target.trim() || busy}>
          {t('transferBlind')}
        </button>
        <button type="button" disabled={!target.trim() || busy} onClick={consultFirst}>
          {t('transferConsult')}
        </button>
      </div>
    </form>
  );
}

/** How the transfer of the foreground call (or of the call it consults for) stands. */
export function TransferStatus() {
  const { phoneStore } = useServices();
  const t = useT();
  const words = usePhoneWords();
  const transfer = useFrom(phoneStore, (s) => {
    const own = s.call.transfer;
    if (own) return own;
    const original = s.call.consultFor
      ? s.lines.find((l) => l.id === s.call.consultFor)
      : undefined;
    return original?.transfer;
  });
  if (!transfer) return null;
  const code = transfer.statusCode !== undefined ? ` (${transfer.statusCode})` : '';
  return (
    <p
      className={`detail transfer-status transfer-${transfer.state}`}
      role="status"
      aria-live="polite"
      data-testid="transfer-status"
      data-state={transfer.state}
      data-status-code={transfer.statusCode ?? ''}
    >
      {t(`transfer_${transfer.state}`, { target: transfer.target })}
      {transfer.state === 'failed' && transfer.failure
        ? `: ${words.transferFailure(transfer.failure)}`
        : code}
    </p>
  );
}
