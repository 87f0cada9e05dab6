import { describeAttributeEligibility } from './attribute-eligibility.ts';
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

const KIND_LABEL: Readonly<Record<BrevoTargetKind, string>> = {
  email: BREVO_EMAIL_ATTRIBUTE,
  sms: BREVO_SMS_ATTRIBUTE,
  text: 'text',
  date: 'date',
  float: 'float',
  boolean: 'boolean',
  category: 'category',
  multipleChoice: 'multiple-choice',
};

// Per field object, the answer for each kind: describe results are reused for
// every keystroke of the form, so each pair is computed once.
const cache = new WeakMap<SalesforceField, Map<BrevoTargetKind, RuleIssue | null>>();

/**
 * R5/R6: `null` when `field` may feed an attribute of this kind, otherwise
 * why not — the field's own reason (formula, boolean, …) before any type
 * mismatch. The issue names the Salesforce field.
 */
export function checkFieldForKind(field: SalesforceField, kind: BrevoTargetKind): RuleIssue | null {
  let byKind = cache.get(field);
  if (!byKind) {
    byKind = new Map();
    cache.set(field, byKind);
  }
  const cached = byKind.get(kind);
  if (cached !== undefined) return cached;
  const eligibility = describeFieldEligibility(field);
  let issue: RuleIssue | null = null;
  if (!eligibility.mappable) issue = eligibility.issue;
  else if (!eligibility.targets.has(kind)) {
    issue = createIssue(RuleCode.FieldTypeIncompatible, field.name, {
      salesforceField: field.name,
      fieldType: field.type,
      attributeType: KIND_LABEL[kind],
    });
  }
  byKind.set(kind, issue);
  return issue;
}

interface FieldChoices {
  readonly eligibleFields: readonly SalesforceField[];
  readonly ineligibleFields: readonly IneligibleField[];
}

function sortFields(salesforceFields: readonly SalesforceField[], kind: BrevoTargetKind): FieldChoices {
  const eligibleFields: SalesforceField[] = [];
  const ineligibleFields: IneligibleField[] = [];
  for (const field of salesforceFields) {
    const issue = checkFieldForKind(field, kind);
    if (issue) ineligibleFields.push({ field, issue });
    else eligibleFields.push(field);
  }
  return { eligibleFields, ineligibleFields };
}

/**
 * R5/R6 for the mapping form: for each Brevo attribute, whether it can be
 * mapped, the eligible Salesforce fields and why each other field is not.
 * O(kinds × fields): fields are sorted once per attribute kind and each
 * (field, kind) answer is memoised per field object.
 */
export function describeMappingOptions(
  salesforceFields: readonly SalesforceField[],
  brevoAttributes: readonly BrevoAttribute[],
): MappingOption[] {
  // Attributes of the same kind offer the same fields: sort the fields once per kind.
  const choicesByKind = new Map<BrevoTargetKind, FieldChoices>();
  return orderBrevoAttributes(brevoAttributes).map((attribute) => {
    const eligibility = describeAttributeEligibility(attribute);
    if (!eligibility.mappable) {
      return { attribute, kind: null, issue: eligibility.issue, eligibleFields: [], ineligibleFields: [] };
    }
    let choices = choicesByKind.get(eligibility.kind);
    if (!choices) {
      choices = sortFields(salesforceFields, eligibility.kind);
      choicesByKind.set(eligibility.kind, choices);
    }
    return { attribute, kind: eligibility.kind, issue: null, ...choices };
  });
}
