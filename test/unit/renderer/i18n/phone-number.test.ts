import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCaller, formatPhoneNumber } from '../../../../renderer/i18n/phone-number';

describe('phone numbers as the staff read them', () => {
  it('shows German numbers in national format, whichever way they come', () => {
    expect(formatPhoneNumber('+496912345678')).toBe('069 12345678');
    expect(formatPhoneNumber('0691234567')).toBe('069 1234567');
    expect(formatPhoneNumber('03012345678')).toBe('030 12345678');
    expect(formatPhoneNumber('0049301234567')).toBe('030 1234567');
    expect(formatPhoneNumber('+49 6151 123456')).toBe('06151 123456');
    expect(formatPhoneNumber('01701234567')).toBe('0170 1234567');
    expect(formatPhoneNumber('0800 1234567')).toBe('0800 1234567');
  });

  it('shows foreign numbers in international format', () => {
    expect(formatPhoneNumber('+33123456789')).toBe('+33 1 23 45 67 89');
    expect(formatPhoneNumber('0033123456789')).toBe('+33 1 23 45 67 89');
    expect(formatPhoneNumber('+905321234567')).toBe('+90 532 123 45 67');
    expect(formatPhoneNumber('+380441234567')).toBe('+380 44 123 4567');
    expect(formatPhoneNumber('+12025550123')).toBe('+1 202 555 0123');
  });

  it('takes the number out of a SIP or tel URI', () => {
    expect(formatPhoneNumber('sip:+496912345678@pbx.jobcenter.example')).toBe('069 12345678');
    expect(formatPhoneNumber('sip:0691234567@10.0.0.1;user=phone')).toBe('069 1234567');
    expect(formatPhoneNumber('sips:%2B33123456789@gw.example')).toBe('+33 1 23 45 67 89');
    expect(formatPhoneNumber('tel:+49-69-1234567')).toBe('069 1234567');
    expect(formatPhoneNumber('03012345678@127.0.0.1')).toBe('030 12345678');
  });

  it('leaves extensions, named SIP users and anything unclear as they came', () => {
    for (const remote of [
      '1001',
      '110',
      'agent',
      'erika',
      'sip:agent@127.0.0.1',
      'sip:1001@jobcenter.example',
      'anonymous',
      'Anonymous <sip:anonymous@anonymous.invalid>',
      '',
      '0',
      '00',
      '+49',
      '+',
      '0x1234',
      '0691234567 ext. 12',
      'sip:%E0%A4%A@host',
    ]) {
      expect(formatPhoneNumber(remote), remote).toBe(remote);
    }
  });

  it('never throws and returns the input or something made of its digits', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (remote) => {
        const shown = formatPhoneNumber(remote);
        if (shown === remote) return;
        // Reformatted: a number again, digits and grouping only.
        expect(shown).toMatch(/^[+\d][\d ()-]*$/);
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^(\+|0|00)[\d \-/]{0,20}$/), (remote) => {
        expect(() => formatPhoneNumber(remote)).not.toThrow();
      }),
    );
  });

  it('puts the caller’s name first, the number in brackets', () => {
    expect(formatCaller('+496912345678', 'Erika Mustermann')).toBe(
      'Erika Mustermann (069 12345678)',
    );
    expect(formatCaller('+496912345678')).toBe('069 12345678');
    expect(formatCaller('erika', 'Erika Mustermann')).toBe('Erika Mustermann (erika)');
    expect(formatCaller(undefined, 'Erika Mustermann')).toBe('Erika Mustermann');
    expect(formatCaller(undefined)).toBe('');
  });
});
