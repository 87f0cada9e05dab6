import { describe, expect, it } from 'vitest';
import { brevoAttributes, field, fieldsByName, leadFields } from './__fixtures__/salesforce-lead.ts';
import { mapBrevoContactToSalesforce } from './brevo-to-salesforce.ts';
import { allowedDirections, checkDirection, effectiveDirection, SyncDirection, type SyncDirection as Direction } from './field-directions.ts';
import { mappingSettingsSchema, validateMapping } from './mapping.ts';
import { mapSalesforceRecordToBrevo } from './salesforce-to-brevo.ts';

const { Both, SalesforceToBrevo, BrevoToSalesforce } = SyncDirection;

describe('allowedDirections', () => {
  it.each([
    ['a writable text field', 'FIRSTNAME', 'FirstName', [Both, SalesforceToBrevo, BrevoToSalesforce], null],
    ['a writable date field', 'BIRTHDAY', 'Birthdate__c', [Both, SalesforceToBrevo, BrevoToSalesforce], null],
    ['a formula', 'FIRSTNAME', 'FullName__c', [SalesforceToBrevo], 'direction_formula'],
    ['a system field', 'BIRTHDAY', 'CreatedDate', [SalesforceToBrevo], 'direction_read_only'],
    ['EMAIL', 'EMAIL', 'Email', [Both, SalesforceToBrevo], 'direction_identifier'],
    ['SMS', 'SMS', 'MobilePhone', [Both, SalesforceToBrevo], 'direction_identifier'],
  ])('%s: %j (%s)', (_label, attribute, fieldName, directions, code) => {
    const choice = allowedDirections(attribute, field(fieldName));
    expect(choice.directions).toEqual(directions);
    expect(choice.issue?.code ?? null).toBe(code);
    if (choice.issue) expect(choice.issue.field).toBe(attribute);
  });
});

describe('effectiveDirection', () => {
  it.each<[string, string, Direction | undefined, Direction]>([
    ['FIRSTNAME', 'FirstName', undefined, Both],
    ['FIRSTNAME', 'FirstName', SalesforceToBrevo, SalesforceToBrevo],
    ['FIRSTNAME', 'FirstName', BrevoToSalesforce, BrevoToSalesforce],
    ['FIRSTNAME', 'FullName__c', undefined, SalesforceToBrevo],
    ['FIRSTNAME', 'FullName__c', Both, SalesforceToBrevo],
    ['BIRTHDAY', 'CreatedDate', BrevoToSalesforce, SalesforceToBrevo],
    ['EMAIL', 'Email', BrevoToSalesforce, Both],
    ['EMAIL', 'Email', SalesforceToBrevo, SalesforceToBrevo],
  ])('%s ← %s chosen %s → %s', (attribute, fieldName, chosen, expected) => {
    expect(effectiveDirection(attribute, field(fieldName), chosen)).toBe(expected);
  });
});

describe('checkDirection and validateMapping', () => {
  it.each<[string, string, Direction | undefined, string | null]>([
    ['FIRSTNAME', 'FirstName', undefined, null],
    ['FIRSTNAME', 'FirstName', BrevoToSalesforce, null],
    ['FIRSTNAME', 'FullName__c', SalesforceToBrevo, null],
    ['FIRSTNAME', 'FullName__c', Both, 'direction_formula'],
    ['FIRSTNAME', 'FullName__c', BrevoToSalesforce, 'direction_formula'],
    ['BIRTHDAY', 'CreatedDate', Both, 'direction_read_only'],
    ['EMAIL', 'Email', BrevoToSalesforce, 'direction_identifier'],
    ['SMS', 'MobilePhone', BrevoToSalesforce, 'direction_identifier'],
  ])('%s ← %s as %s: %s', (attribute, fieldName, chosen, code) => {
    expect(checkDirection(attribute, field(fieldName), chosen)?.code ?? null).toBe(code);
    const mapping = { EMAIL: 'Email', [attribute]: fieldName };
    const issues = validateMapping(mapping, leadFields, brevoAttributes, chosen ? { directions: { [attribute]: chosen } } : {});
    expect(issues.map((issue) => [issue.code, issue.field])).toEqual(code ? [[code, attribute]] : []);
  });

  it('the settings schema refuses a direction or a conflict policy that is not one', () => {
    expect(mappingSettingsSchema.safeParse({ directions: { EMAIL: 'sideways' } }).success).toBe(false);
    expect(mappingSettingsSchema.safeParse({ conflictPolicy: 'coin_toss' }).success).toBe(false);
    expect(mappingSettingsSchema.safeParse({ directions: { FIRSTNAME: 'brevo_to_salesforce' }, conflictPolicy: 'salesforce_wins' }).success).toBe(true);
  });
});

describe('the sync follows each pair’s direction', () => {
  const mapping = { EMAIL: 'Email', FIRSTNAME: 'FirstName', LASTNAME: 'LastName' };
  const record = { Id: '00Q000000000001AAA', Email: 'ada@example.com', FirstName: 'Ada', LastName: 'Lovelace' };
  const brevo = { EMAIL: 'ada@example.com', FIRSTNAME: 'Augusta', LASTNAME: 'Byron' };

  it.each<[Direction | undefined, boolean, boolean]>([
    [undefined, true, true],
    [Both, true, true],
    [SalesforceToBrevo, true, false],
    [BrevoToSalesforce, false, true],
  ])('FIRSTNAME %s: to Brevo %s, to Salesforce %s', (direction, toBrevo, toSalesforce) => {
    const directions = direction ? { FIRSTNAME: direction } : {};
    const toBrevoChange = mapSalesforceRecordToBrevo(record, mapping, fieldsByName, { directions });
    expect('FIRSTNAME' in toBrevoChange.attributes).toBe(toBrevo);
    expect(toBrevoChange.attributes.LASTNAME).toBe('Lovelace');
    const toSalesforceChange = mapBrevoContactToSalesforce(brevo, mapping, fieldsByName, { directions });
    expect('FirstName' in toSalesforceChange.fields).toBe(toSalesforce);
    expect(toSalesforceChange.fields.LastName).toBe('Byron');
  });

  it('a formula and a system field flow to Brevo and are never written back', () => {
    const formulaMapping = { EMAIL: 'Email', FIRSTNAME: 'FullName__c', BIRTHDAY: 'CreatedDate' };
    const row = { Id: '00Q000000000001AAA', FullName__c: 'Ada Lovelace', CreatedDate: '2026-01-02T03:04:05.000+0000' };
    expect(mapSalesforceRecordToBrevo(row, formulaMapping, fieldsByName).attributes).toEqual({ FIRSTNAME: 'Ada Lovelace', BIRTHDAY: '2026-01-02' });
    const back = mapBrevoContactToSalesforce({ FIRSTNAME: 'X', BIRTHDAY: '2026-02-02' }, formulaMapping, fieldsByName, { directions: { FIRSTNAME: Both, BIRTHDAY: BrevoToSalesforce } });
    expect(back.fields).toEqual({});
  });
});
