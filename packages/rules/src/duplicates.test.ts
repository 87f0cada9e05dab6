import { describe, expect, it } from 'vitest';
import { checkDuplicate, duplicateFieldFromBrevoError, findDuplicatesInBatch } from './duplicates.ts';

describe('checkDuplicate (R15)', () => {
  it.each([
    ['nobody holds it', 'email', null, 7, null],
    ['nobody holds it (missing)', 'sms', undefined, 7, null],
    ['we hold it', 'email', 7, 7, null],
    ['another contact holds it', 'email', 8, 7, 'duplicate'],
    ['another contact holds it, we are new', 'sms', 8, null, 'duplicate'],
  ] as const)('%s → %s', (_label, field, owner, self, code) => {
    expect(checkDuplicate(field, owner, self)?.code ?? null).toBe(code);
  });

  it('names the clashing field', () => {
    expect(checkDuplicate('sms', 8, 7)).toMatchObject({ code: 'duplicate', field: 'sms', rule: 'R15', params: { attribute: 'SMS' } });
  });
});

describe('findDuplicatesInBatch (R15)', () => {
  it('the first record keeps the value, later ones are errors, never merged', () => {
    const issues = findDuplicatesInBatch([
      { key: 'A', email: 'ada@example.com', sms: '+33612345678' },
      { key: 'B', email: 'ADA@example.com' },
      { key: 'C', email: 'c@example.com', sms: '+33612345678' },
      { key: 'D', email: '' },
      { key: 'E', email: '' },
    ]);
    expect([...issues.keys()]).toEqual(['B', 'C']);
    expect(issues.get('B')?.map((i) => i.field)).toEqual(['email']);
    expect(issues.get('C')?.map((i) => i.field)).toEqual(['sms']);
  });
});

describe('duplicateFieldFromBrevoError', () => {
  it.each([
    [{ code: 'duplicate_parameter', message: 'Unable to update contact, SMS is already associated with another Contact' }, 'sms'],
    [{ code: 'duplicate_parameter', message: 'Contact already exist' }, 'email'],
    [{ code: 'invalid_parameter', message: 'Invalid phone number' }, null],
    [null, null],
  ])('%j → %s', (body, field) => {
    expect(duplicateFieldFromBrevoError(body)).toBe(field);
  });
});
