import { RuleCode } from './codes.ts';
import {
  BREVO_EMAIL_ATTRIBUTE,
  BREVO_SMS_ATTRIBUTE,
  isLinkAttribute,
  type BrevoAttribute,
  type BrevoTargetKind,
} from './field-types.ts';
import { createIssue, type RuleIssue } from './issue.ts';

/** Why a link attribute (EXT_ID) is not in any mapping. */
export function linkAttributeIssue(attribute: string): RuleIssue {
  return createIssue(RuleCode.AttributeLink, attribute, { attribute });
}

export type AttributeEligibility =
  | { readonly mappable: true; readonly kind: BrevoTargetKind }
  | { readonly mappable: false; readonly issue: RuleIssue };

const KIND_BY_TYPE: Readonly<Record<string, BrevoTargetKind>> = {
  text: 'text',
  date: 'date',
  float: 'float',
  boolean: 'boolean',
  // Checkboxes: fed by a multi-select picklist whose values the user pairs with its options.
  'multiple-choice': 'multipleChoice',
};

/**
 * R6 from the Brevo side. `normal` attributes (text, date, float, boolean, multiple-choice) and
 * category attributes hold per-contact data we can write; calculated and global ones are computed by Brevo, transactional ones are
 * order data. `id` and `user` typed attributes are Brevo-managed. The link
 * attributes (EXT_ID) belong to the sync (R14).
 */
export function describeAttributeEligibility(attribute: BrevoAttribute): AttributeEligibility {
  const { name } = attribute;
  if (isLinkAttribute(name)) return { mappable: false, issue: linkAttributeIssue(name) };
  if (name === BREVO_EMAIL_ATTRIBUTE) return { mappable: true, kind: 'email' };
  if (name === BREVO_SMS_ATTRIBUTE) return { mappable: true, kind: 'sms' };
  const reason = (code: RuleCode) => ({
    mappable: false as const,
    issue: createIssue(code, name, { attributeType: attribute.type ?? attribute.category }),
  });
  switch (attribute.category) {
    case 'category':
      // A dropdown: fed by a picklist whose values the user pairs with its options.
      return { mappable: true, kind: 'category' };
    case 'calculated':
    case 'global':
      return reason(RuleCode.AttributeCalculated);
    case 'transactional':
      return reason(RuleCode.AttributeTransactional);
  }
  // A normal attribute typed category has no options of its own to pair with.
  if (attribute.type === 'category') return reason(RuleCode.AttributeCategory);
  // Brevo lists normal attributes without a type as text.
  const kind = KIND_BY_TYPE[attribute.type ?? 'text'];
  return kind ? { mappable: true, kind } : reason(RuleCode.AttributeTypeUnsupported);
}
