/**
 * The current call: who, how long, and the buttons that fit its state; hold,
 * transfer (blind, or after a consultation call), touch tones, the other
 * calls (knocking, held), the call policy, missed calls and the keyboard
 * shortcuts.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useFrom, useServices, type Services } from '../../services/services-context';
import { useAssistDesk } from '../assist/assist-desk-context';
import type { AssistDesk } from '../assist/assist-desk';
import { useT } from './phone-messages';
import { usePhoneWords } from './phone-wording';
import { matchCallShortcut, shortcutAria, type CallShortcut } from '../../stores/call-shortcuts';
import { CallPolicy } from './call-policy';
import { DtmfPad } from './dtmf-pad';
import { MissedCalls } from './missed-calls';
import { OtherCalls } from './other-calls';
import { TransferControls, TransferStatus } from './transfer-controls';

function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Speak a text into the call with the engine's voice (the bot's voice). */
function SayForm({ callId }: { callId: string | undefined }) {
  const { client, engineStore } = useServices();
  const t = useT();
  const [text, setText] = useState('');
  const [slow, setSlow] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    client
      // Named by its call: the voice is heard in this call only, and stops when it ends.
      .request('voice.say', { text, rate: slow ? 0.8 : 1, ...(callId ? { callId } : {}) })
      .then(() => setText(''))
      .catch((error: Error) => engineStore.getState().addLocalLog('error', error.message));
  };
  return (
    <form className="row" onSubmit={submit} aria-label={t('say')}>
      <label htmlFor="say-text" className="visually-hidden">
        {t('sayText')}
      </label>
      <input
        id="say-text"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={t('sayText')}
      />
      <label className="check">
        <input type="checkbox" checked={slow} onChange={(e) => setSlow(e.target.checked)} />{' '}
        {t('slowSpeech')}
      </label>
      <button type="submit" disabled={!text.trim()}>
        {t('say')}
      </button>
    </form>
  );
}

/** Moves the keyboard focus to a part of the screen (false when it is not there). */
function focusById(id: string): boolean {
  const element = document.getElementById(id);
  if (!element) return false;
  element.focus();
  element.scrollIntoView({ block: 'nearest' });
  return true;
}

/** What a shortcut does in the call's current state (nothing if it does not fit). */
function runShortcut(
  services: Services,
  assist: AssistDesk,
  shortcut: CallShortcut,
  openTransfer: () => void,
  wordError: (error: unknown) => string,
): boolean {
  const { phone, phoneStore, engineStore } = services;
  const { call, lines } = phoneStore.getState();
  const report = (error: unknown) => engineStore.getState().addLocalLog('error', wordError(error));
  switch (shortcut) {
    case 'answer':
      if (call.state === 'ringing') {
        void phone.answer();
        return true;
      }
      // During a call: take the knocking call, hold this one.
      if (lines.some((l) => l.state === 'ringing' && l.waiting)) {
        phone.answerWaiting().catch(report);
        return true;
      }
      return false;
    case 'hangup':
      if (call.state === 'ringing') phone.decline();
      else if (call.state === 'connected' || call.state === 'dialing') phone.hangup();
      else return false;
      return true;
    case 'mute':
      if (call.state !== 'connected') return false;
      phone.setMuted(!call.muted);
      return true;
    case 'hold':
      if (call.state !== 'connected' || call.holdPending) return false;
      phone.setHold(!call.held).catch(report);
      return true;
    case 'transfer':
      if (call.state !== 'connected' || call.consultFor) return false;
      openTransfer();
      return true;
    case 'acceptSuggestion':
      if (services.assistStore.getState().suggestions.length === 0) return false;
      void assist.acceptTop();
      return true;
    case 'focusTranscript':
      return focusById('transcript-focus');
    case 'focusCase':
      return focusById('case-heading');
  }
}

function useCallShortcuts(services: Services, assist: AssistDesk, openTransfer: () => void): void {
  const open = useRef(openTransfer);
  open.current = openTransfer;
  const words = usePhoneWords();
  const wordError = useRef(words.error);
  wordError.current = words.error;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const shortcut = matchCallShortcut(event, services.shortcutsStore.getState().keys);
      if (
        shortcut &&
        runShortcut(
          services,
          assist,
          shortcut,
          () => open.current(),
          (error) => wordError.current(error),
        )
      )
        event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [services, assist]);
}

export function CallPanel() {
  const services = useServices();
  const assist = useAssistDesk();
  const keys = useFrom(services.shortcutsStore, (s) => s.keys);
  const { phone, phoneStore, client, engineStore } = services;
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
  useCallShortcuts(services, assist, openTransfer);
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

  const sendTestTone = () => {
    client
      .request('audio.play', {
        leg: 'outgoing',
        source: { kind: 'tone', frequencyHz: 1000, durationMs: 3000, levelDbfs: -12 },
        ...(call.id ? { callId: call.id } : {}),
      })
      .catch((error: Error) => engineStore.getState().addLocalLog('error', error.message));
  };

  return (
    <section
      aria-labelledby="call-heading"
      className={`panel call call-${call.state}`}
      data-alert={alert}
      data-testid="call-panel"
    >
      <h2 id="call-heading">{t('call')}</h2>
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
            <span data-testid="call-remote">
              {call.remoteName ? `${call.remoteName} (${call.remote})` : call.remote}
            </span>
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
      {call.state === 'connected' && !call.held && <SayForm callId={call.id} />}
      {call.state === 'ended' && call.endReason && (
        <p data-testid="call-end-reason" className="detail">
          {words.endReason(call.endReason)}
        </p>
      )}
      <div className="row" data-testid="call-buttons">
        {call.state === 'ringing' && (
          <>
            <button
              type="button"
              className="primary"
              aria-keyshortcuts={shortcutAria(keys.answer)}
              title={`${t('answer')} (${t('keysCombo', { key: keys.answer })})`}
              onClick={() => void phone.answer()}
            >
              {t('answer')}
            </button>
            <button
              type="button"
              aria-keyshortcuts={shortcutAria(keys.hangup)}
              title={`${t('decline')} (${t('keysCombo', { key: keys.hangup })})`}
              onClick={() => phone.decline()}
            >
              {t('decline')}
            </button>
          </>
        )}
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
            <button type="button" onClick={sendTestTone} disabled={call.held}>
              {t('testTone')}
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
      {call.state === 'connected' && <DtmfPad />}
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
