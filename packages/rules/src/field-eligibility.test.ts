import { describe, expect, it } from 'vitest';
import { field } from './__fixtures__/salesforce-lead.ts';
import { describeFieldEligibility } from './field-eligibility.ts';

describe('describeFieldEligibility (R5/R6)', () => {
  it.each([
    ['Salutation2__c', 'field_picklist'],
    ['Id', 'field_identifier'],
    ['OwnerId', 'field_identifier'],
    ['Address', 'field_type_unsupported'],
    ['CallTime__c', 'field_type_unsupported'],
  ])('%s is not mappable: %s', (name, code) => {
    const eligibility = describeFieldEligibility(field(name));
    expect(eligibility.mappable).toBe(false);
    if (!eligibility.mappable) expect(eligibility.issue).toMatchObject({ code, field: name, rule: 'R6' });
  });

  it.each([
    ['Email', ['email', 'text']],
    ['FirstName', ['email', 'text']],
    ['Description', ['text']],
    ['Website', ['text']],
    ['Phone', ['sms', 'text']],
    ['Birthdate__c', ['date']],
    ['LastVisit__c', ['date']],
    ['AnnualRevenue', ['float']],
    ['NumberOfEmployees', ['float']],
    ['Score__c', ['float']],
    ['Probability__c', ['float']],
    ['HasOptedOutOfEmail', ['boolean']],
    ['LeadSource', ['category']],
    ['Interests__c', ['multipleChoice']],
  ])('%s feeds %j', (name, kinds) => {
    const eligibility = describeFieldEligibility(field(name));
    expect(eligibility.mappable && [...eligibility.targets].sort()).toEqual([...kinds].sort());
  });

  it('a formula maps like any field of its type (it syncs Salesforce → Brevo only)', () => {
    const eligibility = describeFieldEligibility(field('FullName__c'));
    expect(eligibility.mappable && [...eligibility.targets].sort()).toEqual(['email', 'text']);
  });

  it('an unknown future type is unsupported, not a crash', () => {
    const eligibility = describeFieldEligibility({ name: 'X', type: 'hologram' });
    expect(!eligibility.mappable && eligibility.issue.params).toMatchObject({ fieldType: 'hologram' });
  });
});
