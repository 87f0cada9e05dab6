import { describe, expect, it } from 'vitest';
import { brevoAttributes, leadFields } from './__fixtures__/salesforce-lead.ts';
import type { SalesforceField } from './field-types.ts';
import { describeMappingOptions, orderBrevoAttributes } from './mapping-eligibility.ts';

const options = describeMappingOptions(leadFields, brevoAttributes);
const optionFor = (name: string) => {
  const option = options.find((o) => o.attribute.name === name);
  if (!option) throw new Error(`no option for ${name}`);
  return option;
};
const eligibleNames = (name: string) => optionFor(name).eligibleFields.map((f) => f.name);
const reasonOf = (attribute: string, fieldName: string) =>
  optionFor(attribute).ineligibleFields.find((i) => i.field.name === fieldName)?.issue.code;

describe('describeMappingOptions (R5/R6)', () => {
  it('lists EMAIL and SMS first, adding EMAIL when Brevo omits it', () => {
    expect(options.map((o) => o.attribute.name).slice(0, 3)).toEqual(['EMAIL', 'SMS', 'FIRSTNAME']);
    expect(orderBrevoAttributes([]).map((a) => a.name)).toEqual(['EMAIL', 'SMS']);
    expect(options.filter((o) => o.attribute.name === 'SMS')).toHaveLength(1);
  });

  it.each([
    ['HOBBIES', ['Interests__c']],
    ['EMAIL', ['FirstName', 'LastName', 'Company', 'Email', 'Nickname__c', 'FullName__c']],
    ['SMS', ['Phone', 'MobilePhone']],
    ['BIRTHDAY', ['Birthdate__c', 'LastVisit__c', 'CreatedDate']],
    ['REVENUE', ['AnnualRevenue', 'NumberOfEmployees', 'Score__c', 'Probability__c']],
    [
      'FIRSTNAME',
      // A formula maps like its type (it then syncs Salesforce → Brevo only: field-directions.ts).
      ['FirstName', 'LastName', 'Company', 'Email', 'Phone', 'MobilePhone', 'Description', 'Website', 'Nickname__c', 'FullName__c'],
    ],
  ])('%s offers %j', (attribute, names) => {
    expect(eligibleNames(attribute)).toEqual(names);
  });

  it.each([
        ['FIRSTNAME', 'HasOptedOutOfEmail', 'field_type_incompatible'],
    ['FIRSTNAME', 'LeadSource', 'field_type_incompatible'],
    ['FIRSTNAME', 'Salutation2__c', 'field_picklist'],
    ['OPT_IN', 'FirstName', 'field_type_incompatible'],
    ['OPT_IN', 'LeadSource', 'field_type_incompatible'],
    ['GENDER', 'HasOptedOutOfEmail', 'field_type_incompatible'],
    // A multi-select picklist feeds a multiple-choice attribute only, and only it feeds one.
    ['GENDER', 'Interests__c', 'field_type_incompatible'],
    ['FIRSTNAME', 'Interests__c', 'field_type_incompatible'],
    ['HOBBIES', 'LeadSource', 'field_type_incompatible'],
    ['HOBBIES', 'FirstName', 'field_type_incompatible'],
    ['FIRSTNAME', 'Id', 'field_identifier'],
    ['FIRSTNAME', 'OwnerId', 'field_identifier'],
    ['FIRSTNAME', 'Address', 'field_type_unsupported'],
    ['FIRSTNAME', 'Birthdate__c', 'field_type_incompatible'],
    ['FIRSTNAME', 'AnnualRevenue', 'field_type_incompatible'],
    ['EMAIL', 'Phone', 'field_type_incompatible'],
    ['EMAIL', 'Description', 'field_type_incompatible'],
    ['SMS', 'FirstName', 'field_type_incompatible'],
    ['BIRTHDAY', 'FirstName', 'field_type_incompatible'],
    ['REVENUE', 'Birthdate__c', 'field_type_incompatible'],
  ])('%s shows %s disabled: %s', (attribute, fieldName, code) => {
    expect(reasonOf(attribute, fieldName)).toBe(code);
  });

  it('explains an incompatibility with both types', () => {
    const issue = optionFor('BIRTHDAY').ineligibleFields.find((i) => i.field.name === 'FirstName')?.issue;
    expect(issue?.params).toMatchObject({ field: 'FirstName', fieldType: 'string', attributeType: 'date' });
    const notes = optionFor('NOTES').ineligibleFields.find((i) => i.field.name === 'Birthdate__c')?.issue;
    expect(notes?.params).toMatchObject({ fieldType: 'date', attributeType: 'text' });
  });

  it.each([
    ['TOTAL_ORDERS', 'attribute_calculated'],
    ['ACCOUNT_TOTAL', 'attribute_calculated'],
    ['ORDER_ID', 'attribute_transactional'],
    ['OWNER', 'attribute_type_unsupported'],
  ])('%s is shown disabled: %s', (attribute, code) => {
    const option = optionFor(attribute);
    expect(option.issue?.code).toBe(code);
    expect(option.kind).toBeNull();
    expect(option.eligibleFields).toEqual([]);
  });

  it('every field is either eligible or explained, for a 300-field org', () => {
    const types = ['string', 'email', 'phone', 'date', 'datetime', 'double', 'boolean', 'picklist', 'reference', 'textarea'];
    const fields: SalesforceField[] = Array.from({ length: 300 }, (_, i) => ({
      name: `F${i}__c`,
      type: types[i % types.length]!,
      length: 255,
      calculated: i % 37 === 0,
    }));
    const result = describeMappingOptions(fields, brevoAttributes);
    for (const option of result.filter((o) => o.kind !== null)) {
      expect(option.eligibleFields.length + option.ineligibleFields.length).toBe(300);
    }
    const email = result.find((o) => o.attribute.name === 'EMAIL')!;
    expect(email.eligibleFields.every((f) => f.type === 'string' || f.type === 'email')).toBe(true);
  });
});
