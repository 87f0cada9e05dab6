import { describeAttributeEligibility, describeAttributeType } from './attribute-eligibility.ts';
import { RuleCode } from './codes.ts';
import { describeFieldEligibility } from './field-eligibility.ts';
import {
  BREVO_EMAIL_ATTRIBUTE,
  BREVO_SMS_ATTRIBUTE,
  type BrevoAttribute,
  type BrevoTargetKind,
  type SalesforceField,
} from './field-types.ts';
import { createIssue, type RuleIssue } from './issue.ts';

export interface IneligibleField {
  readonly field: SalesforceField;
  readonly issue: RuleIssue;
}

/** What the mapping form shows for one Brevo attribute. */
export interface MappingOption {
  readonly attribute: BrevoAttribute;
  /** `null` when the attribute itself cannot be mapped. */
  readonly kind: BrevoTargetKind | null;
  /** Why the attribute cannot be mapped (R6); the row is shown disabled. */
  readonly issue: RuleIssue | null;
  /** Fields the dropdown offers, in describe order. */
  readonly eligibleFields: readonly SalesforceField[];
  /** Fields shown disabled, each with its reason (empty when the attribute is not mappable). */
  readonly ineligibleFields: readonly IneligibleField[];
}

const EMAIL_ATTRIBUTE: BrevoAttribute = { name: BREVO_EMAIL_ATTRIBUTE, category: 'normal', type: 'text' };
const SMS_ATTRIBUTE: BrevoAttribute = { name: BREVO_SMS_ATTRIBUTE, category: 'normal', type: 'text' };

/**
 * The attributes the form lists: EMAIL and SMS first (added when Brevo's list
 * omits them, since every account has them), then the others in Brevo's order.
 */
export function orderBrevoAttributes(attributes: readonly BrevoAttribute[]): BrevoAttribute[] {
  const email = attributes.find((a) => a.name === BREVO_EMAIL_ATTRIBUTE) ?? EMAIL_ATTRIBUTE;
  const sms = attributes.find((a) => a.name === BREVO_SMS_ATTRIBUTE) ?? SMS_ATTRIBUTE;
  const others = attributes.filter((a) => a.name !== BREVO_EMAIL_ATTRIBUTE && a.name !== BREVO_SMS_ATTRIBUTE);
  return [email, sms, ...others];
}

/**
 * R5/R6: `null` when `field` may feed `attribute`, otherwise why not — the
 * field's own reason (formula, boolean, …) before any type mismatch.
 */
export function checkFieldForAttribute(
  field: SalesforceField,
  attribute: BrevoAttribute,
  kind: BrevoTargetKind,
): RuleIssue | null {
  const eligibility = describeFieldEligibility(field);
  if (!eligibility.mappable) return eligibility.issue;
  if (eligibility.targets.has(kind)) return null;
  return createIssue(RuleCode.FieldTypeIncompatible, field.name, {
    salesforceField: field.name,
    fieldType: field.type,
    attribute: attribute.name,
    attributeType: describeAttributeType(attribute),
  });
}

/**
 * R5/R6 for the mapping form: for each Brevo attribute, whether it can be
 * mapped, the eligible Salesforce fields and why each other field is not.
 * O(attributes × fields); each field's own eligibility is computed once.
 */
export function describeMappingOptions(
  salesforceFields: readonly SalesforceField[],
  brevoAttributes: readonly BrevoAttribute[],
): MappingOption[] {
  return orderBrevoAttributes(brevoAttributes).map((attribute) => {
    const eligibility = describeAttributeEligibility(attribute);
    if (!eligibility.mappable) {
      return { attribute, kind: null, issue: eligibility.issue, eligibleFields: [], ineligibleFields: [] };
    }
    const eligibleFields: SalesforceField[] = [];
    const ineligibleFields: IneligibleField[] = [];
    for (const field of salesforceFields) {
      const issue = checkFieldForAttribute(field, attribute, eligibility.kind);
      if (issue) ineligibleFields.push({ field, issue });
      else eligibleFields.push(field);
    }
    return { attribute, kind: eligibility.kind, issue: null, eligibleFields, ineligibleFields };
  });
}
