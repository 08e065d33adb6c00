/**
 * The current call: who, how long, and the buttons that fit its state; hold,
 * transfer (blind, or after a consultation call), touch tones, the other
 * calls (knocking, held), the call policy, missed calls and the keyboard
 * shortcuts.
 */
import { useEffect, useRef, useState } from 'react';
import { useFrom, useServices } from '../../services/services-context';
import { useT } from './phone-messages';
import { usePhoneWords } from './phone-wording';
import { shortcutAria } from '../../stores/call-shortcuts';
import { formatCaller } from '../../i18n/phone-number';
import { CallPolicy } from './call-policy';
import { DtmfPad } from './dtmf-pad';
import { MissedCalls } from './missed-calls';
import { OtherCalls } from './other-calls';
import { TransferControls, TransferStatus } from './transfer-controls';

function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function CallPanel() {
  const services = useServices();
  const keys = useFrom(services.shortcutsStore, (s) => s.keys);
  const { phone, phoneStore, engineStore } = services;
  const t = useT();
  const words = usePhoneWords();
  const call = useFrom(phoneStore, (s) => s.call);
  const notice = useFrom(phoneStore, (s) => s.notice);
  const alert = useFrom(phoneStore, (s) => s.alert);
  const [transferOpen, setTransferOpen] = useState(false);
  const transferInput = useRef<HTMLInputElement>(null);
  const openTransfer = () => {
    setTransferOpen(true);
    // After the form rendered.
    setTimeout(() => transferInput.current?.focus(), 0);
  };
  // The transfer shortcut (features/shortcuts) asks through the view store.
  const transferRequests = useFrom(services.viewStore, (s) => s.transferRequests);
  const openTransferNow = useRef(openTransfer);
  openTransferNow.current = openTransfer;
  useEffect(() => {
    if (transferRequests > 0) openTransferNow.current();
  }, [transferRequests]);
  useEffect(() => {
    if (call.state !== 'connected' || call.consultFor) setTransferOpen(false);
  }, [call.state, call.consultFor, call.id]);
  const toggleHold = () =>
    phone
      .setHold(!call.held)
      .catch((error: unknown) => engineStore.getState().addLocalLog('error', words.error(error)));
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (call.state !== 'connected') return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [call.state]);

  return (
    <section
      aria-labelledby="call-heading"
      className={`panel call call-${call.state}`}
      data-alert={alert}
      data-testid="call-panel"
    >
      <h2 id="call-heading" tabIndex={-1}>
        {t('call')}
      </h2>
      <p
        role="status"
        aria-live="assertive"
        data-testid="call-state"
        data-state={call.state}
        data-held={call.held}
        data-reconnecting={call.reconnecting === true}
        data-call-id={call.id ?? ''}
      >
        <strong>{t(`call_${call.state}`)}</strong>
        {call.consultFor && call.state !== 'ended' && (
          <>
            {' '}
            <span className="badge consult" data-testid="call-consult">
              {t('consultCall')}
            </span>
          </>
        )}
        {call.state === 'connected' && call.held && (
          <>
            {' '}
            <span className="badge held" data-testid="call-held">
              {t('onHold')}
            </span>
          </>
        )}
        {call.state === 'connected' && call.reconnecting && (
          <>
            {' '}
            <span className="badge reconnecting" data-testid="call-reconnecting">
              {t('reconnecting')}
            </span>
          </>
        )}
        {call.remote && (
          <span>
            {' '}
            · {call.direction === 'incoming' ? t('from') : t('to')}{' '}
            <span data-testid="call-remote">{formatCaller(call.remote, call.remoteName)}</span>
          </span>
        )}
        {call.referredBy && (
          <span className="detail" data-testid="call-referred-by">
            {' '}
            · {t('referredBy', { from: call.referredBy })}
          </span>
        )}
        {call.state === 'connected' && call.connectedAt !== undefined && (
          <span>
            {' '}
            · {t('duration')} {formatDuration(now - call.connectedAt)}
          </span>
        )}
      </p>
      {notice && (
        <p className="detail notice" role="status" aria-live="polite" data-testid="call-notice">
          {words.notice(notice)}
        </p>
      )}
      <TransferStatus />
      {call.state === 'ended' && call.endReason && (
        <p data-testid="call-end-reason" className="detail">
          {words.endReason(call.endReason)}
        </p>
      )}
      <div className="row" data-testid="call-buttons">
        {(call.state === 'connected' || call.state === 'dialing') && (
          <button
            type="button"
            className="danger"
            aria-keyshortcuts={shortcutAria(keys.hangup)}
            title={`${t('hangup')} (${t('keysCombo', { key: keys.hangup })})`}
            onClick={() => phone.hangup()}
          >
            {t('hangup')}
          </button>
        )}
        {call.state === 'connected' && (
          <>
            <button
              type="button"
              aria-pressed={call.muted}
              aria-keyshortcuts={shortcutAria(keys.mute)}
              title={`${t('mute')} (${t('keysCombo', { key: keys.mute })})`}
              onClick={() => phone.setMuted(!call.muted)}
            >
              {call.muted ? t('unmute') : t('mute')}
            </button>
            <button
              type="button"
              aria-pressed={call.held}
              aria-keyshortcuts={shortcutAria(keys.hold)}
              title={`${t('hold')} (${t('keysCombo', { key: keys.hold })})`}
              disabled={call.holdPending}
              onClick={toggleHold}
            >
              {call.held ? t('resume') : t('hold')}
            </button>
            {!call.consultFor && (
              <button
                type="button"
                aria-expanded={transferOpen}
                aria-controls="transfer-form"
                aria-keyshortcuts={shortcutAria(keys.transfer)}
                title={`${t('transfer')} (${t('keysCombo', { key: keys.transfer })})`}
                onClick={() => (transferOpen ? setTransferOpen(false) : openTransfer())}
              >
                {t('transfer')}
              </button>
            )}
          </>
        )}
        {call.state === 'ended' && (
          <button type="button" onClick={() => phone.clearEndedCall()}>
            {t('dismiss')}
          </button>
        )}
      </div>
      <TransferControls
        open={transferOpen && call.state === 'connected' && !call.consultFor}
        inputRef={transferInput}
        onDone={() => setTransferOpen(false)}
      />
      <OtherCalls />
      {call.state === 'connected' && (
        <details className="keypad-details">
          <summary>{t('keypadOpen')}</summary>
          <DtmfPad />
        </details>
      )}
      <p className="detail shortcuts" data-testid="call-shortcuts">
        {t('shortcuts')}: {t('keysCombo', { key: keys.answer })} {t('answer')} ·{' '}
        {t('keysCombo', { key: keys.hangup })} {t('hangup')} · {t('keysCombo', { key: keys.mute })}{' '}
        {t('mute')} · {t('keysCombo', { key: keys.hold })} {t('hold')} ·{' '}
        {t('keysCombo', { key: keys.transfer })} {t('transfer')}
      </p>
      <CallPolicy />
      <MissedCalls />
    </section>
  );
}
