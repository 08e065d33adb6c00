/** Dial pad: type or click digits, Enter dials. */
import { useState, type FormEvent } from 'react';
import { useFrom, useServices } from '../../services/services-context';
import { useT } from './phone-messages';
import { usePhoneWords } from './phone-wording';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

export function DialPad() {
  const { phone, phoneStore, engineStore } = useServices();
  const t = useT();
  const words = usePhoneWords();
  const [target, setTarget] = useState('');
  const registered = useFrom(phoneStore, (s) => s.registration.state === 'registered');
  const idle = useFrom(phoneStore, (s) => s.call.state === 'idle' || s.call.state === 'ended');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!target.trim()) return;
    phone
      .dial(target)
      .catch((error: unknown) => engineStore.getState().addLocalLog('error', words.error(error)));
  };

  return (
    <form aria-label={t('dialPad')} className="panel" onSubmit={submit}>
      <h2>{t('dialPad')}</h2>
      <label htmlFor="dial-target">{t('numberToDial')}</label>
      <div className="row">
        <input
          id="dial-target"
          value={target}
          onChange={(e) => setTarget(e.target.value)}
          autoComplete="off"
          inputMode="tel"
        />
        <button
          type="button"
          aria-label={t('deleteDigit')}
          onClick={() => setTarget((v) => v.slice(0, -1))}
        >
          ⌫
        </button>
      </div>
      <div className="keypad">
        {KEYS.map((key) => (
          <button key={key} type="button" onClick={() => setTarget((v) => v + key)}>
            {key}
          </button>
        ))}
      </div>
      <button type="submit" className="primary" disabled={!registered || !idle || !target.trim()}>
        {t('dial')}
      </button>
    </form>
  );
}
