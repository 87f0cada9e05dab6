import { z } from 'zod';
import { RuleCode } from './codes.ts';
import { BREVO_EMAIL_ATTRIBUTE, BREVO_SMS_ATTRIBUTE, type SalesforceField } from './field-types.ts';
import { createIssue, type RuleIssue } from './issue.ts';

/**
 * Which way one mapped pair syncs. `both` is the seed's behaviour and the
 * default: an absent direction means `both` where Salesforce lets us write the
 * field, Salesforce → Brevo otherwise.
 */
export const SyncDirection = {
  Both: 'both',
  SalesforceToBrevo: 'salesforce_to_brevo',
  BrevoToSalesforce: 'brevo_to_salesforce',
} as const;
export type SyncDirection = (typeof SyncDirection)[keyof typeof SyncDirection];

export const SYNC_DIRECTIONS: readonly SyncDirection[] = Object.values(SyncDirection);
export const syncDirectionSchema = z.enum(SYNC_DIRECTIONS as [SyncDirection, ...SyncDirection[]], { error: RuleCode.InvalidInput });

/** The directions one pair may take, and why the others are not offered (null: all are). */
export interface DirectionChoice {
  readonly directions: readonly SyncDirection[];
  readonly issue: RuleIssue | null;
}

const ALL: DirectionChoice = { directions: SYNC_DIRECTIONS, issue: null };

/**
 * Whether the API lets the integration write the field: formulas and read-only or system fields
 * (`updateable: false`: CreatedDate, a field the user's profile cannot edit) only flow to Brevo.
 */
export function isWritableField(field: SalesforceField): boolean {
  return field.calculated !== true && field.updateable !== false;
}

/**
 * The directions a Brevo attribute fed by `field` may sync in. A field Salesforce does not let us
 * write syncs Salesforce → Brevo only (its reason names the field). EMAIL and SMS identify the Brevo
 * contact a record creates: Brevo → Salesforce only would create contacts without them.
 * `issue` is anchored on the attribute (the form's row).
 */
export function allowedDirections(attribute: string, field: SalesforceField): DirectionChoice {
  if (!isWritableField(field)) {
    const code = field.calculated === true ? RuleCode.DirectionFormula : RuleCode.DirectionReadOnly;
    return { directions: [SyncDirection.SalesforceToBrevo], issue: createIssue(code, attribute, { salesforceField: field.name }) };
  }
  if (attribute === BREVO_EMAIL_ATTRIBUTE || attribute === BREVO_SMS_ATTRIBUTE) {
    return { directions: [SyncDirection.Both, SyncDirection.SalesforceToBrevo], issue: createIssue(RuleCode.DirectionIdentifier, attribute, { attribute }) };
  }
  return ALL;
}

/** The direction a pair syncs in: the chosen one, or the default (both ways where allowed). */
export function effectiveDirection(attribute: string, field: SalesforceField, chosen: SyncDirection | undefined): SyncDirection {
  const { directions } = allowedDirections(attribute, field);
  if (chosen !== undefined && directions.includes(chosen)) return chosen;
  return directions[0]!;
}

/** Whether a Salesforce change of the pair is written to Brevo. */
export function syncsToBrevo(direction: SyncDirection): boolean {
  return direction !== SyncDirection.BrevoToSalesforce;
}

/** Whether a Brevo change of the pair is written to Salesforce. */
export function syncsToSalesforce(direction: SyncDirection): boolean {
  return direction !== SyncDirection.SalesforceToBrevo;
}

/** A direction the pair cannot take (`null`: fine, or none chosen). */
export function checkDirection(attribute: string, field: SalesforceField, chosen: SyncDirection | undefined): RuleIssue | null {
  if (chosen === undefined) return null;
  const choice = allowedDirections(attribute, field);
  if (choice.directions.includes(chosen)) return null;
  return choice.issue;
}
