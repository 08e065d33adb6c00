/** The current call: who, how long, and the buttons that fit its state. */
import { useEffect, useState, type FormEvent } from 'react';
import { useFrom, useServices, useT } from '../../app/services';

function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Speak a text into the call with the engine's voice (the bot's voice). */
function SayForm() {
  const { client, engineStore } = useServices();
  const t = useT();
  const [text, setText] = useState('');
  const [slow, setSlow] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    client
      .request('voice.say', { text, rate: slow ? 0.8 : 1 })
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

export function CallPanel() {
  const { phone, phoneStore, client, engineStore } = useServices();
  const t = useT();
  const call = useFrom(phoneStore, (s) => s.call);
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
      })
      .catch((error: Error) => engineStore.getState().addLocalLog('error', error.message));
  };

  return (
    <section aria-labelledby="call-heading" className={`panel call call-${call.state}`}>
      <h2 id="call-heading">{t('call')}</h2>
      <p role="status" aria-live="assertive" data-testid="call-state" data-state={call.state}>
        <strong>{t(`call_${call.state}`)}</strong>
        {call.remote && (
          <span>
            {' '}
            · {call.direction === 'incoming' ? t('from') : t('to')}{' '}
            <span data-testid="call-remote">
              {call.remoteName ? `${call.remoteName} (${call.remote})` : call.remote}
            </span>
          </span>
        )}
        {call.state === 'connected' && call.connectedAt !== undefined && (
          <span>
            {' '}
            · {t('duration')} {formatDuration(now - call.connectedAt)}
          </span>
        )}
      </p>
      {call.state === 'connected' && <SayForm />}
      {call.state === 'ended' && call.endReason && (
        <p data-testid="call-end-reason" className="detail">
          {call.endReason}
        </p>
      )}
      <div className="row">
        {call.state === 'ringing' && (
          <>
            <button type="button" className="primary" onClick={() => void phone.answer()}>
              {t('answer')}
            </button>
            <button type="button" onClick={() => phone.decline()}>
              {t('decline')}
            </button>
          </>
        )}
        {(call.state === 'connected' || call.state === 'dialing') && (
          <button type="button" className="danger" onClick={() => phone.hangup()}>
            {t('hangup')}
          </button>
        )}
        {call.state === 'connected' && (
          <>
            <button
              type="button"
              aria-pressed={call.muted}
              onClick={() => phone.setMuted(!call.muted)}
            >
              {call.muted ? t('unmute') : t('mute')}
            </button>
            <button type="button" onClick={sendTestTone}>
              {t('testTone')}
            </button>
          </>
        )}
        {call.state === 'ended' && (
          <button type="button" onClick={() => phone.clearEndedCall()}>
            {t('dismiss')}
          </button>
        )}
      </div>
    </section>
  );
}
