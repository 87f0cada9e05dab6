import { describe, expect, it } from 'vitest';
import { fieldsByName } from './__fixtures__/salesforce-lead.ts';
import { decideBrevoToSalesforce, mapBrevoContactToSalesforce } from './brevo-to-salesforce.ts';

const mapping = {
  EMAIL: 'Email',
  SMS: 'MobilePhone',
  FIRSTNAME: 'FirstName',
  LASTNAME: 'LastName',
  COMPANY: 'Company',
  BIRTHDAY: 'Birthdate__c',
  LAST_VISIT: 'LastVisit__c',
  EMPLOYEES: 'NumberOfEmployees',
  REVENUE: 'AnnualRevenue',
  FULLNAME: 'FullName__c',
  CREATED: 'CreatedDate',
};
const map = (values: Record<string, unknown>) => mapBrevoContactToSalesforce(values, mapping, fieldsByName);
const codes = (issues: readonly { code: string }[]) => issues.map((i) => i.code);

describe('mapBrevoContactToSalesforce', () => {
  it('writes mapped values by Salesforce field', () => {
    expect(
      map({
        EMAIL: 'ada@example.com',
        SMS: '+33612345678',
        FIRSTNAME: 'Ada',
        BIRTHDAY: '1990-09-25',
        LAST_VISIT: '2024-03-11',
        EMPLOYEES: '12',
        REVENUE: 99.5,
        UNMAPPED: 'x',
      }),
    ).toEqual({
      fields: {
        Email: 'ada@example.com',
        MobilePhone: '+33612345678',
        FirstName: 'Ada',
        Birthdate__c: '1990-09-25',
        LastVisit__c: '2024-03-11T00:00:00.000Z',
        NumberOfEmployees: 12,
        AnnualRevenue: 99.5,
      },
      warnings: [],
      errors: [],
    });
  });

  it('leaves attributes absent from the change alone, clears emptied ones', () => {
    expect(map({ FIRSTNAME: null }).fields).toEqual({ FirstName: null });
    expect(map({ FIRSTNAME: '' }).fields).toEqual({ FirstName: null });
    expect(map({}).fields).toEqual({});
  });

  it.each([
    ['empty string', ''],
    ['null', null],
    ['blank', '  '],
  ])('R8: a LastName emptied as %s is not written; the other fields are', (_label, value) => {
    const change = map({ LASTNAME: value, FIRSTNAME: 'Ada' });
    expect(change.fields).toEqual({ FirstName: 'Ada' });
    expect(change.warnings).toMatchObject([{ code: 'last_name_emptied', field: 'LastName', rule: 'R8' }]);
    expect(change.errors).toEqual([]);
  });

  it('R8: a LastName that is set is written', () => {
    expect(map({ LASTNAME: 'Lovelace' }).fields).toEqual({ LastName: 'Lovelace' });
  });

  it('another required field emptied is not written either', () => {
    expect(codes(map({ COMPANY: '' }).warnings)).toEqual(['required_field_emptied']);
  });

  it.each([
    [40, []],
    [41, ['text_too_long']],
  ])('R9: a Lead FirstName of %i characters → errors %j', (length, expected) => {
    const change = map({ FIRSTNAME: 'a'.repeat(length), EMAIL: 'ada@example.com' });
    expect(codes(change.errors)).toEqual(expected);
    expect('FirstName' in change.fields).toBe(expected.length === 0);
    expect(change.fields.Email).toBe('ada@example.com');
  });

  it('R9: the error says the field and its maximum', () => {
    expect(map({ FIRSTNAME: 'a'.repeat(41) }).errors[0]).toMatchObject({ field: 'FirstName', params: { max: 40, length: 41 } });
  });

  it.each([
    ['1990-09-25', null],
    ['2024-02-29', null],
    ['1990-02-30', 'date_invalid'],
    ['2023-02-29', 'date_invalid'],
    ['25/09/1990', 'date_invalid'],
  ])('R7: Brevo date %j → warning %s', (value, code) => {
    const change = map({ BIRTHDAY: value });
    expect(change.warnings[0]?.code ?? null).toBe(code);
    expect('Birthdate__c' in change.fields).toBe(code === null);
  });

  it.each([
    ['EMPLOYEES', '12.5', 'number_invalid'],
    ['EMPLOYEES', 'many', 'number_invalid'],
    ['REVENUE', '12.5', null],
    ['FIRSTNAME', { a: 1 }, 'invalid_input'],
    ['EMAIL', 'not an email', 'email_invalid'],
    ['EMAIL', 'ada@example.com', null],
  ])('%s = %j → warning %s', (attribute, value, code) => {
    expect(map({ [attribute]: value }).warnings[0]?.code ?? null).toBe(code);
  });

  it('never writes formula or read-only fields', () => {
    expect(map({ FULLNAME: 'x', CREATED: '2024-01-01' })).toEqual({ fields: {}, warnings: [], errors: [] });
  });
});

describe('decideBrevoToSalesforce (R12)', () => {
  it.each([
    ['00Q000000000001AAA', true],
    ['00Q000000000001', true],
    [null, false],
    [undefined, false],
    ['', false],
    ['my-own-ext-id', false],
  ])('ext_id %j → sync %s', (extId, sync) => {
    const decision = decideBrevoToSalesforce(extId);
    expect(decision.sync).toBe(sync);
    if (!decision.sync) expect(decision.issue.code).toBe('not_linked');
  });
});
