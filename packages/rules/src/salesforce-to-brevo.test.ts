import { describe, expect, it } from 'vitest';
import { fieldsByName } from './__fixtures__/salesforce-lead.ts';
import { mapSalesforceRecordToBrevo } from './salesforce-to-brevo.ts';
import { checkContactIdentifier, checkLinkedFromOtherOrg } from './identifiers.ts';

const mapping = {
  EMAIL: 'Email',
  SMS: 'MobilePhone',
  FIRSTNAME: 'FirstName',
  LASTNAME: 'LastName',
  PHONE_TEXT: 'Phone',
  BIRTHDAY: 'Birthdate__c',
  LAST_VISIT: 'LastVisit__c',
  REVENUE: 'AnnualRevenue',
};
const Id = '00Q000000000001AAA';
const map = (record: Record<string, unknown>) =>
  mapSalesforceRecordToBrevo({ Id, ...record }, mapping, fieldsByName, { defaultCountry: 'FR' });
const codes = (issues: readonly { code: string }[]) => issues.map((i) => i.code);

describe('mapSalesforceRecordToBrevo', () => {
  it('maps a full record, linking it by Salesforce Id (R14)', () => {
    const change = map({
      Email: ' Ada@Example.COM ',
      MobilePhone: '06 12 34 56 78',
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Phone: '+44 20 7946 0958',
      Birthdate__c: '1990-09-25',
      LastVisit__c: '2024-03-10T23:30:00.000-0300',
      AnnualRevenue: 1200.5,
    });
    expect(change).toEqual({
      extId: Id,
      email: 'ada@example.com',
      sms: '+33612345678',
      attributes: {
        FIRSTNAME: 'Ada',
        LASTNAME: 'Lovelace',
        PHONE_TEXT: '+44 20 7946 0958',
        BIRTHDAY: '1990-09-25',
        LAST_VISIT: '2024-03-11',
        REVENUE: 1200.5,
      },
      rejections: [],
      warnings: [],
    });
  });

  it('leaves fields absent from the record unchanged', () => {
    expect(map({ FirstName: 'Ada' })).toMatchObject({ attributes: { FIRSTNAME: 'Ada' }, rejections: [], warnings: [] });
    expect(map({ FirstName: 'Ada' })).not.toHaveProperty('email');
  });

  it.each([
    ['null', null],
    ['empty string', ''],
  ])('clears an attribute emptied as %s', (_label, value) => {
    expect(map({ FirstName: value, Birthdate__c: value, AnnualRevenue: value }).attributes).toEqual({
      FIRSTNAME: null,
      BIRTHDAY: null,
      REVENUE: null,
    });
  });

  it.each([
    ['null', null],
    ['empty string', ''],
  ])('R14: an email emptied as %s keeps the Brevo email; other fields still sync', (_label, value) => {
    const change = map({ Email: value, FirstName: 'Ada' });
    expect(change).not.toHaveProperty('email');
    expect(change.attributes).toEqual({ FIRSTNAME: 'Ada' });
    expect(codes(change.warnings)).toEqual(['email_emptied_kept']);
    expect(change.rejections).toEqual([]);
  });

  it('R14: a changed email is carried over', () => {
    expect(map({ Email: 'new@example.com' }).email).toBe('new@example.com');
  });

  it('rejects a text field mapped to EMAIL that does not hold an email', () => {
    const change = mapSalesforceRecordToBrevo({ Id, Nickname__c: 'ada at home' }, { EMAIL: 'Nickname__c' }, fieldsByName);
    expect(codes(change.rejections)).toEqual(['email_invalid']);
  });

  it.each([
    ['5 digits on SMS', { MobilePhone: '12345' }, ['phone_digits_out_of_range']],
    ['17 digits on SMS', { MobilePhone: '12345678901234567' }, ['phone_digits_out_of_range']],
    ['letters on a text attribute', { Phone: 'call me' }, ['phone_invalid_characters']],
    ['valid but not a real number', { MobilePhone: '123456' }, ['phone_not_international']],
  ])('R10: rejects the record: %s', (_label, record, expected) => {
    expect(codes(map({ FirstName: 'Ada', ...record }).rejections)).toEqual(expected);
  });

  it.each([
    ['null', null],
    ['empty string', ''],
  ])('R11: a phone emptied as %s is not propagated', (_label, value) => {
    const change = map({ MobilePhone: value, Phone: value, FirstName: 'Ada' });
    expect(change).not.toHaveProperty('sms');
    expect(change.attributes).toEqual({ FIRSTNAME: 'Ada' });
    expect(codes(change.warnings)).toEqual(['phone_emptied_kept', 'phone_emptied_kept']);
    expect(change.rejections).toEqual([]);
  });

  it('R7: a date Salesforce sent unreadable is skipped with a warning', () => {
    const change = map({ Birthdate__c: '25/09/1990', FirstName: 'Ada' });
    expect(change.attributes).toEqual({ FIRSTNAME: 'Ada' });
    expect(change.warnings[0]).toMatchObject({ code: 'date_invalid', field: 'Birthdate__c', params: { value: '25/09/1990' } });
  });

  it('a number that is not one is skipped with a warning', () => {
    expect(codes(map({ AnnualRevenue: 'lots' }).warnings)).toEqual(['number_invalid']);
    expect(map({ AnnualRevenue: '12.5' }).attributes).toEqual({ REVENUE: 12.5 });
  });

  it('without a default country, a national SMS number is rejected', () => {
    const change = mapSalesforceRecordToBrevo({ Id, MobilePhone: '06 12 34 56 78' }, mapping, fieldsByName);
    expect(codes(change.rejections)).toEqual(['phone_not_international']);
  });
});

describe('checkContactIdentifier (R5 per record)', () => {
  it('skips a record that would be created with neither email nor SMS, naming the field mapped to EMAIL', () => {
    expect(checkContactIdentifier({}, { EMAIL: 'Email', FIRSTNAME: 'FirstName' }, false)).toMatchObject({ code: 'no_email_or_sms', rule: 'R5', field: 'Email' });
    expect(checkContactIdentifier({}, { SMS: 'MobilePhone' }, false)).toMatchObject({ code: 'no_email_or_sms', field: 'MobilePhone' });
  });

  it('lets a record with an email or an SMS, or one already linked, through', () => {
    expect(checkContactIdentifier({ email: 'a@b.test' }, { EMAIL: 'Email' }, false)).toBeNull();
    expect(checkContactIdentifier({ sms: '+393331234567' }, { SMS: 'MobilePhone' }, false)).toBeNull();
    expect(checkContactIdentifier({}, { EMAIL: 'Email' }, true)).toBeNull();
  });
});

describe('checkLinkedFromOtherOrg (R14 across Salesforce orgs)', () => {
  it('refuses a record another org’s integration links, unless its own link knows its contact', () => {
    expect(checkLinkedFromOtherOrg(true, false)).toMatchObject({ code: 'linked_other_org', rule: 'R14', field: 'ext_id', messageKey: 'rules.sync.linkedOtherOrg' });
    expect(checkLinkedFromOtherOrg(true, true)).toBeNull();
    expect(checkLinkedFromOtherOrg(false, false)).toBeNull();
  });
});
