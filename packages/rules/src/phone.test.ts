import { describe, expect, it } from 'vitest';
import { checkPhone, countPhoneDigits, decidePhoneChange, toBrevoSmsNumber } from './phone.ts';

describe('checkPhone (R10)', () => {
  it.each([
    ['5 digits', '12345', 'phone_digits_out_of_range'],
    ['6 digits', '123456', null],
    ['16 digits', '1234567890123456', null],
    ['17 digits', '12345678901234567', 'phone_digits_out_of_range'],
    ['leading +, 16 digits', '+1234567890123456', null],
    ['leading +, 17 digits', '+12345678901234567', 'phone_digits_out_of_range'],
    ['spaces', '+33 6 12 34 56 78', null],
    ['dashes', '06-12-34-56-78', null],
    ['dots', '06.12.34.56.78', null],
    ['brackets', '(555) 123-4567', null],
    ['surrounding whitespace', '  0612345678 ', null],
    ['separators only, 5 digits', '(1) 2-3.4 5', 'phone_digits_out_of_range'],
    ['two +', '++33612345678', 'phone_invalid_characters'],
    ['+ not leading', '33+612345678', 'phone_invalid_characters'],
    ['letters', '0612345abc', 'phone_invalid_characters'],
    ['extension', '0612345678 ext 12', 'phone_invalid_characters'],
    ['slash', '06/12/34/56/78', 'phone_invalid_characters'],
    ['square brackets', '[06] 12345678', 'phone_invalid_characters'],
    ['non-ASCII digits', '٠٦١٢٣٤٥٦٧٨', 'phone_invalid_characters'],
    ['empty', '', 'phone_digits_out_of_range'],
  ])('%s (%j) → %s', (_label, value, code) => {
    expect(checkPhone(value)?.code ?? null).toBe(code);
  });

  it('reports the digit count and range', () => {
    expect(checkPhone('12345', 'Phone')).toMatchObject({
      field: 'Phone',
      params: { min: 6, max: 16, digits: 5 },
      messageKey: 'rules.phone.digitsOutOfRange',
    });
  });

  it('counts digits only', () => {
    expect(countPhoneDigits('+33 (0)6-12.34')).toBe(8);
  });
});

describe('decidePhoneChange (R10/R11)', () => {
  it.each([
    ['missing', undefined, 'unchanged'],
    ['null', null, 'keep_previous'],
    ['empty string', '', 'keep_previous'],
    ['blank', '   ', 'keep_previous'],
    ['valid', ' 0612345678 ', 'write'],
    ['5 digits', '12345', 'reject'],
    ['not a string', { n: 1 }, 'reject'],
  ])('%s → %s', (_label, value, action) => {
    expect(decidePhoneChange(value, 'Phone').action).toBe(action);
  });

  it('keeps Brevo’s value when emptied, with a warning', () => {
    expect(decidePhoneChange('', 'Phone')).toMatchObject({ action: 'keep_previous', warning: { code: 'phone_emptied_kept', rule: 'R11' } });
  });

  it('writes the trimmed value', () => {
    expect(decidePhoneChange(' 0612345678 ')).toEqual({ action: 'write', value: '0612345678' });
  });
});

describe('toBrevoSmsNumber', () => {
  it.each([
    ['+33 6 12 34 56 78', undefined, '+33612345678'],
    ['06 12 34 56 78', 'FR', '+33612345678'],
    ['(415) 555-2671', 'US', '+14155552671'],
    ['+39 347 123 4567', 'FR', '+393471234567'],
  ] as const)('%j with default %s → %s', (value, defaultCountry, expected) => {
    expect(toBrevoSmsNumber(value, defaultCountry ? { defaultCountry } : {})).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['06 12 34 56 78', undefined],
    ['123456', 'FR'],
    ['+999 1234567', undefined],
  ] as const)('%j with default %s cannot be made international', (value, defaultCountry) => {
    const result = toBrevoSmsNumber(value, defaultCountry ? { defaultCountry } : {}, 'MobilePhone');
    expect(!result.ok && result.issue).toMatchObject({ code: 'phone_not_international', field: 'MobilePhone' });
  });
});
