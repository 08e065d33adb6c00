/**
 * Diagnostics of the live call, out of the caseworker's way: the engine's
 * test tone into the call, how touch tones are sent, and announcements typed
 * by the caseworker and spoken with the engine's voice.
 */
import { useState, type FormEvent } from 'react';
import { useFrom, useServices } from '../../services/services-context';
import { DtmfMethodChoice } from './dtmf-pad';
import { useT } from './phone-messages';

/** Speak a text into the call with the engine's voice (marked as the caseworker's in the transcript). */
function SayForm({ callId, disabled }: { callId: string | undefined; disabled: boolean }) {
  const { client, engineStore } = useServices();
  const t = useT();
  const [text, setText] = useState('');
  const [slow, setSlow] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim() || disabled) return;
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
      <button type="submit" disabled={!text.trim() || disabled}>
        {t('say')}
      </button>
    </form>
  );
}

export function CallDiagnostics() {
  const { client, engineStore, phoneStore } = useServices();
  const t = useT();
  const call = useFrom(phoneStore, (s) => s.call);
  const gaps = useFrom(engineStore, (s) => s.playoutGaps);
  const live = call.state === 'connected' && !call.held;
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
      aria-labelledby="call-diagnostics-heading"
      className="panel"
      data-testid="call-diagnostics"
    >
      <h2 id="call-diagnostics-heading">{t('diagnostics')}</h2>
      {!live && <p className="detail">{t('diagnosticsNoCall')}</p>}
      <div className="row">
        <button type="button" onClick={sendTestTone} disabled={!live}>
          {t('testTone')}
        </button>
      </div>
      <p className="detail" data-testid="playout-gaps" data-count={gaps}>
        {t('playoutGaps', { n: gaps })}
      </p>
      <DtmfMethodChoice />
      <SayForm callId={call.id} disabled={!live} />
    </section>
  );
}
