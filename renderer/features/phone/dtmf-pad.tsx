/**
 * Touch tones during a call, sent the way the diagnostics chose (RFC 4733 in
 * the audio stream, or SIP INFO).
 */
import { useFrom, useServices } from '../../services/services-context';
import { useT } from './phone-messages';
import { usePhoneWords } from './phone-wording';
import type { DtmfMethod } from '../../phone/phone-store';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

export function DtmfPad() {
  const { phone, phoneStore, engineStore } = useServices();
  const t = useT();
  const words = usePhoneWords();
  const method = useFrom(phoneStore, (s) => s.dtmfMethod);
  const sent = useFrom(phoneStore, (s) => s.call.dtmfSent);
  const held = useFrom(phoneStore, (s) => s.call.held);

  const press = (key: string) => {
    phone
      .sendDtmf(key, method)
      .catch((error: unknown) => engineStore.getState().addLocalLog('error', words.error(error)));
  };
  return (
    <div role="group" aria-label={t('dtmf')} className="dtmf" data-testid="dtmf-pad">
      <div className="keypad">
        {KEYS.map((key) => (
          <button key={key} type="button" disabled={held} onClick={() => press(key)}>
            {key}
          </button>
        ))}
      </div>
      <p className="detail">
        {t('dtmfSent')}: <output data-testid="dtmf-sent">{sent}</output>
        {!sent && <span aria-hidden="true">–</span>}
      </p>
    </div>
  );
}

/** How touch tones are sent (a diagnostics setting: the phone server decides what works). */
export function DtmfMethodChoice() {
  const { phoneStore } = useServices();
  const t = useT();
  const method = useFrom(phoneStore, (s) => s.dtmfMethod);
  const choose = (value: DtmfMethod) => phoneStore.getState().setDtmfMethod(value);
  return (
    <fieldset className="row">
      <legend>
        {t('dtmf')}: {t('dtmfMethod')}
      </legend>
      <label className="check">
        <input
          type="radio"
          name="dtmf-method"
          checked={method === 'rfc4733'}
          onChange={() => choose('rfc4733')}
        />{' '}
        {t('dtmfRfc4733')}
      </label>
      <label className="check">
        <input
          type="radio"
          name="dtmf-method"
          checked={method === 'info'}
          onChange={() => choose('info')}
        />{' '}
        {t('dtmfInfo')}
      </label>
    </fieldset>
  );
}
