import { describe, expect, it } from 'vitest';
import { brevoAttributes, leadFields } from './__fixtures__/salesforce-lead.ts';
import { describeMappingOptions } from './mapping-eligibility.ts';
import { mappingSchema, validateMapping, withoutLinkAttributes } from './mapping.ts';

const codesOf = (mapping: Record<string, string>) =>
  validateMapping(mapping, leadFields, brevoAttributes).map((issue) => [issue.code, issue.field ?? null]);

describe('validateMapping (R5/R6)', () => {
  it.each([
    ['Email only', { EMAIL: 'Email' }],
    ['SMS only', { SMS: 'MobilePhone' }],
    ['string to EMAIL', { EMAIL: 'Nickname__c' }],
    [
      'a full mapping',
      {
        EMAIL: 'Email',
        SMS: 'MobilePhone',
        FIRSTNAME: 'FirstName',
        LASTNAME: 'LastName',
        BIRTHDAY: 'LastVisit__c',
        REVENUE: 'AnnualRevenue',
        PHONE_TEXT: 'Phone',
        NOTES: 'Description',
      },
    ],
  ])('accepts %s', (_label, mapping) => {
    expect(codesOf(mapping)).toEqual([]);
  });

  it.each([
    ['nothing mapped', {}, [['email_or_sms_required', null]]],
    ['no Email or SMS', { FIRSTNAME: 'FirstName' }, [['email_or_sms_required', null]]],
    ['Email mapped to an empty choice', { EMAIL: '' }, [['email_or_sms_required', null], ['unknown_salesforce_field', 'EMAIL']]],
    ['unknown attribute', { EMAIL: 'Email', NOPE: 'FirstName' }, [['unknown_brevo_attribute', 'NOPE']]],
    ['unknown field', { EMAIL: 'Email', FIRSTNAME: 'Nope__c' }, [['unknown_salesforce_field', 'FIRSTNAME']]],
    ['incompatible', { EMAIL: 'Email', BIRTHDAY: 'FirstName' }, [['field_type_incompatible', 'BIRTHDAY']]],
    ['phone to EMAIL', { EMAIL: 'Phone' }, [['field_type_incompatible', 'EMAIL']]],
    ['picklist field to text', { EMAIL: 'Email', FIRSTNAME: 'LeadSource' }, [['field_type_incompatible', 'FIRSTNAME']]],
    ['combobox field', { EMAIL: 'Email', FIRSTNAME: 'Salutation2__c' }, [['field_picklist', 'FIRSTNAME']]],
    ['text to a boolean attribute', { EMAIL: 'Email', OPT_IN: 'FirstName' }, [['field_type_incompatible', 'OPT_IN']]],
    ['text to a category attribute', { EMAIL: 'Email', GENDER: 'FirstName' }, [['field_type_incompatible', 'GENDER']]],
    [
      'one field for two attributes',
      { EMAIL: 'Email', FIRSTNAME: 'FirstName', LASTNAME: 'FirstName' },
      [['salesforce_field_mapped_twice', 'LASTNAME']],
    ],
  ])('rejects %s', (_label, mapping, expected) => {
    expect(codesOf(mapping)).toEqual(expected);
  });

  it.each([
    ['EXT_ID from any text field', { EMAIL: 'Email', EXT_ID: 'FirstName' }],
    ['ext_id in any case', { EMAIL: 'Email', ext_id: 'LastName' }],
    ['EXT_ID when the account does not list it', { EMAIL: 'Email', EXT_ID: 'Email' }],
  ])('refuses the link attribute (R14): %s', (_label, mapping) => {
    const attribute = Object.keys(mapping).find((name) => name.toUpperCase() === 'EXT_ID')!;
    const withoutExtId = brevoAttributes.filter((a) => a.name !== 'EXT_ID');
    for (const attributes of [brevoAttributes, withoutExtId]) {
      expect(validateMapping(mapping, leadFields, attributes).map((issue) => [issue.code, issue.field])).toEqual([['attribute_link', attribute]]);
    }
  });

  it('offers no field for the link attribute, with the reason (the form and the API agree)', () => {
    const option = describeMappingOptions(leadFields, brevoAttributes).find((o) => o.attribute.name === 'EXT_ID')!;
    expect(option).toMatchObject({ kind: null, issue: { code: 'attribute_link', rule: 'R14', params: { attribute: 'EXT_ID' } }, eligibleFields: [] });
  });

  it('takes the link attributes out of a mapping saved before they were refused', () => {
    expect(withoutLinkAttributes({ EMAIL: 'Email', EXT_ID: 'Title', FIRSTNAME: 'FirstName' })).toEqual({ mapping: { EMAIL: 'Email', FIRSTNAME: 'FirstName' }, removed: ['EXT_ID'] });
    expect(withoutLinkAttributes({ EMAIL: 'Email' })).toEqual({ mapping: { EMAIL: 'Email' }, removed: [] });
  });

  it('names the Salesforce field in the params of a field reason', () => {
    const [issue] = validateMapping({ EMAIL: 'Email', FIRSTNAME: 'Salutation2__c' }, leadFields, brevoAttributes);
    expect(issue).toMatchObject({ field: 'FIRSTNAME', params: { field: 'FIRSTNAME', salesforceField: 'Salutation2__c' } });
  });
});

describe('mappingSchema', () => {
  it.each([
    [{ EMAIL: 'Email', FIRSTNAME: 'First_Name__c' }, true],
    [{}, true],
    [{ EMAIL: "Email FROM Lead WHERE Name='x'" }, false],
    [{ EMAIL: '' }, false],
    [{ EMAIL: null }, false],
    [{ '': 'Email' }, false],
  ])('%j → %s', (mapping, ok) => {
    expect(mappingSchema.safeParse(mapping).success).toBe(ok);
  });
});
