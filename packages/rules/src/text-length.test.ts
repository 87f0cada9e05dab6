import { describe, expect, it } from 'vitest';
import { field } from './__fixtures__/salesforce-lead.ts';
import { checkTextLength } from './text-length.ts';

describe('checkTextLength (R9)', () => {
  it.each([
    ['FirstName', 40, null],
    ['FirstName', 41, 'text_too_long'],
    ['LastName', 80, null],
    ['LastName', 81, 'text_too_long'],
    ['Description', 32_000, null],
    ['Birthdate__c', 100, null], // not a text field
  ])('%s with %i characters → %s', (name, length, code) => {
    expect(checkTextLength(field(name), 'x'.repeat(length))?.code ?? null).toBe(code);
  });

  it('names the field and the maximum', () => {
    expect(checkTextLength(field('FirstName'), 'é'.repeat(41))).toMatchObject({
      field: 'FirstName',
      rule: 'R9',
      params: { max: 40, length: 41 },
    });
  });

  it('has no limit when Salesforce gives none', () => {
    expect(checkTextLength({ name: 'X', type: 'string' }, 'x'.repeat(10_000))).toBeNull();
  });
});
