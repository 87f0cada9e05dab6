import { z } from 'zod';
import { describeAttributeEligibility, linkAttributeIssue } from './attribute-eligibility.ts';
import { RuleCode } from './codes.ts';
import { conflictPolicySchema } from './conflicts.ts';
import { checkDirection, syncDirectionSchema, type SyncDirection } from './field-directions.ts';
import { checkValuePairs, valuePairsSchema } from './value-pairs.ts';
import { optOutSettingsSchema } from './opt-outs.ts';
import { recordFilterSchema, validateRecordFilter } from './record-filter.ts';
import { BREVO_EMAIL_ATTRIBUTE, BREVO_SMS_ATTRIBUTE, isLinkAttribute, type BrevoAttribute, type SalesforceField } from './field-types.ts';
import { createIssue, type RuleIssue } from './issue.ts';
import { checkFieldForKind, orderBrevoAttributes } from './mapping-eligibility.ts';

/**
 * Salesforce API names: a letter, then letters, digits and underscores
 * (custom fields end in `__c`). The names end up in SOQL, so nothing else passes.
 */
export const salesforceFieldNameSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, { error: RuleCode.InvalidInput });
export const brevoAttributeNameSchema = z.string().min(1, { error: RuleCode.InvalidInput }).max(200, { error: RuleCode.InvalidInput });

/**
 * R5: a mapping is `{ [brevoAttribute]: salesforceFieldName }`, so each Brevo
 * attribute takes at most one Salesforce field by construction. Unmapped
 * attributes are absent (not `null` or `''`).
 */
export const mappingSchema = z.record(brevoAttributeNameSchema, salesforceFieldNameSchema);
export type Mapping = z.infer<typeof mappingSchema>;

/**
 * What the user chose beside the pairs, all optional (absent: the seed's behaviour):
 * - `directions`: per Brevo attribute, which way it syncs (default both ways where Salesforce lets
 *   us write the field, see `allowedDirections`);
 * - `conflictPolicy`: what decides a field changed on both sides since the last sync (R17);
 * - `valuePairs`: per picklist ↔ category attribute, the option each Salesforce value is written as;
 * - `filter`: only the records that match it are synced (issue 16 §4, `record-filter.ts`).
 */
export const mappingSettingsSchema = z.strictObject({
  conflictPolicy: conflictPolicySchema.optional(),
  directions: z.record(brevoAttributeNameSchema, syncDirectionSchema).optional(),
  valuePairs: z.record(brevoAttributeNameSchema, valuePairsSchema).optional(),
  /** Absent: the defaults (`DEFAULT_OPT_OUT_SETTINGS`). */
  optOuts: optOutSettingsSchema.optional(),
  /** Absent: every record. */
  filter: recordFilterSchema.optional(),
});
export type MappingSettings = z.infer<typeof mappingSettingsSchema>;

/** The per-attribute directions of some settings (none chosen: empty). */
export function directionsOf(settings: MappingSettings | null | undefined): Readonly<Record<string, SyncDirection>> {
  return settings?.directions ?? {};
}

/**
 * R5/R6: every problem of a mapping against the org's fields and the
 * account's attributes; empty when the mapping can be saved. Issues name the
 * Brevo attribute (`field`) so the form shows them on the right row; the record filter's name its
 * condition (`filter.<group>.<condition>`).
 *
 * A Salesforce field may feed only one attribute: Brevo → Salesforce would
 * otherwise have two values for one field and no way to choose.
 */
export function validateMapping(
  mapping: Readonly<Record<string, string>>,
  salesforceFields: readonly SalesforceField[],
  brevoAttributes: readonly BrevoAttribute[],
  settings: MappingSettings = {},
): RuleIssue[] {
  const directions = directionsOf(settings);
  const fieldsByName = new Map(salesforceFields.map((field) => [field.name, field]));
  const attributesByName = new Map(orderBrevoAttributes(brevoAttributes).map((attribute) => [attribute.name, attribute]));
  const attributeByFieldName = new Map<string, string>();
  const issues: RuleIssue[] = [];

  if (!mapping[BREVO_EMAIL_ATTRIBUTE] && !mapping[BREVO_SMS_ATTRIBUTE]) {
    issues.push(createIssue(RuleCode.EmailOrSmsRequired));
  }
  for (const [attributeName, fieldName] of Object.entries(mapping)) {
    const issue = checkMappingEntry(attributeName, fieldName, attributesByName, fieldsByName, attributeByFieldName)
      ?? checkDirection(attributeName, fieldsByName.get(fieldName)!, directions[attributeName])
      ?? checkValuePairs(attributesByName.get(attributeName)!, fieldsByName.get(fieldName)!, settings.valuePairs?.[attributeName]);
    if (issue) issues.push(issue);
  }
  if (settings.filter) issues.push(...validateRecordFilter(settings.filter, salesforceFields));
  return issues;
}

function checkMappingEntry(
  attributeName: string,
  fieldName: string,
  attributesByName: ReadonlyMap<string, BrevoAttribute>,
  fieldsByName: ReadonlyMap<string, SalesforceField>,
  attributeByFieldName: Map<string, string>,
): RuleIssue | null {
  // Whether or not the account lists it: the sync writes it.
  if (isLinkAttribute(attributeName)) return linkAttributeIssue(attributeName);
  const attribute = attributesByName.get(attributeName);
  if (!attribute) return createIssue(RuleCode.UnknownBrevoAttribute, attributeName, { attribute: attributeName });
  const attributeEligibility = describeAttributeEligibility(attribute);
  if (!attributeEligibility.mappable) return attributeEligibility.issue;
  const field = fieldsByName.get(fieldName);
  if (!field) {
    return createIssue(RuleCode.UnknownSalesforceField, attributeName, { salesforceField: fieldName });
  }
  const fieldIssue = checkFieldForKind(field, attributeEligibility.kind);
  // Re-anchor the field's reason on the attribute row the user is editing.
  if (fieldIssue) {
    const { field: _salesforceField, ...params } = fieldIssue.params;
    return createIssue(fieldIssue.code, attributeName, { ...params, salesforceField: fieldName, attribute: attributeName });
  }
  const otherAttribute = attributeByFieldName.get(fieldName);
  if (otherAttribute !== undefined) {
    return createIssue(RuleCode.SalesforceFieldMappedTwice, attributeName, { salesforceField: fieldName, otherAttribute });
  }
  attributeByFieldName.set(fieldName, attributeName);
  return null;
}

/**
 * A mapping saved before the link attributes were refused (R14): the same
 * mapping without them, and the attributes taken out. The sync repairs such a
 * mapping at its next run instead of letting it overwrite the links.
 */
export function withoutLinkAttributes(mapping: Readonly<Record<string, string>>): { mapping: Record<string, string>; removed: string[] } {
  const kept: Record<string, string> = {};
  const removed: string[] = [];
  for (const [attribute, field] of Object.entries(mapping)) {
    if (isLinkAttribute(attribute)) removed.push(attribute);
    else kept[attribute] = field;
  }
  return { mapping: kept, removed };
}
