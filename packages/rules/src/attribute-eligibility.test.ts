import { describe, expect, it } from 'vitest';
import { describeAttributeEligibility } from './attribute-eligibility.ts';
import type { BrevoAttribute } from './field-types.ts';

describe('describeAttributeEligibility (R6)', () => {
  it.each<[BrevoAttribute, string]>([
    [{ name: 'EMAIL', category: 'normal', type: 'text' }, 'email'],
    [{ name: 'SMS', category: 'normal', type: 'text' }, 'sms'],
    [{ name: 'FIRSTNAME', category: 'normal', type: 'text' }, 'text'],
    [{ name: 'NOTES', category: 'normal' }, 'text'],
    [{ name: 'BIRTHDAY', category: 'normal', type: 'date' }, 'date'],
    [{ name: 'SCORE', category: 'normal', type: 'float' }, 'float'],
    [{ name: 'OPT_IN', category: 'normal', type: 'boolean' }, 'boolean'],
    [{ name: 'GENDER', category: 'category', type: 'category' }, 'category'],
    [{ name: 'GENDER2', category: 'category' }, 'category'],
    [{ name: 'HOBBIES', category: 'normal', type: 'multiple-choice', multiCategoryOptions: ['Chess'] }, 'multipleChoice'],
  ])('%j is mappable as %s', (attribute, kind) => {
    expect(describeAttributeEligibility(attribute)).toEqual({ mappable: true, kind });
  });

  it.each<[BrevoAttribute, string]>([
    [{ name: 'TYPED', category: 'normal', type: 'category' }, 'attribute_category'],
    [{ name: 'TOTAL', category: 'calculated' }, 'attribute_calculated'],
    [{ name: 'GLOBAL', category: 'global' }, 'attribute_calculated'],
    [{ name: 'ORDER_ID', category: 'transactional', type: 'id' }, 'attribute_transactional'],
    [{ name: 'OWNER', category: 'normal', type: 'user' }, 'attribute_type_unsupported'],
  ])('%j is not mappable: %s', (attribute, code) => {
    const eligibility = describeAttributeEligibility(attribute);
    expect(!eligibility.mappable && eligibility.issue).toMatchObject({ code, field: attribute.name });
  });
});
