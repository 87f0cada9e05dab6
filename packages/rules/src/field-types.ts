/**
 * The inputs of the mapping rules: the subset of a Salesforce describe field
 * and of a Brevo contact attribute (GET /v3/contacts/attributes) they read.
 * Extra properties of the real payloads are allowed and ignored.
 */

/** Salesforce `DescribeFieldResult.type` values (SOAP/REST describe). */
export type SalesforceFieldType =
  | 'string' | 'textarea' | 'email' | 'phone' | 'url' | 'encryptedstring'
  | 'date' | 'datetime' | 'time'
  | 'double' | 'currency' | 'percent' | 'int' | 'long'
  | 'boolean' | 'picklist' | 'multipicklist' | 'combobox'
  | 'id' | 'reference'
  | 'address' | 'location' | 'base64' | 'anyType' | 'complexvalue' | 'datacategorygroupreference'
  // Future Salesforce types must not break compilation of callers.
  | (string & {});

export interface SalesforceField {
  readonly name: string;
  readonly label?: string;
  readonly type: SalesforceFieldType;
  /** Maximum length of text fields, 0 for other types. */
  readonly length?: number;
  /** `true` for formula fields. */
  readonly calculated?: boolean;
  readonly createable?: boolean;
  readonly updateable?: boolean;
  readonly nillable?: boolean;
  /** Salesforce can filter a query on it (describe's `filterable`): a record filter may name it. */
  readonly filterable?: boolean;
  /** Picklists: the values Salesforce offers (describe's `picklistValues`). */
  readonly picklistValues?: readonly SalesforcePicklistValue[];
  /** A restricted picklist refuses any other value (`INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST`). */
  readonly restrictedPicklist?: boolean;
}

/** One entry of describe's `picklistValues`. */
export interface SalesforcePicklistValue {
  readonly value: string;
  readonly label?: string | null;
  readonly active?: boolean;
}

/** One option of a Brevo category attribute (`enumeration` of GET /v3/contacts/attributes). */
export interface BrevoCategoryOption {
  readonly value: number;
  readonly label: string;
}

/**
 * An option a Salesforce picklist value is paired with: a category option (Brevo stores its numeric
 * `value`) or a multiple-choice option (Brevo knows it by its label only, so no `value`).
 */
export interface BrevoOption {
  readonly value?: number;
  readonly label: string;
}

export type BrevoAttributeCategory = 'normal' | 'transactional' | 'category' | 'calculated' | 'global';

export type BrevoAttributeType =
  | 'text' | 'date' | 'float' | 'boolean' | 'id' | 'category' | 'multiple-choice' | 'user'
  | (string & {});

export interface BrevoAttribute {
  readonly name: string;
  readonly category: BrevoAttributeCategory | (string & {});
  readonly type?: BrevoAttributeType;
  /** Category attributes: the options a contact may hold (Brevo stores the numeric `value`). */
  readonly enumeration?: readonly BrevoCategoryOption[];
  /** Multiple-choice attributes: the options a contact may hold several of, by label. */
  readonly multiCategoryOptions?: readonly string[];
}

/** The contact's email: Brevo's identifier, sent as `email`, listed first by the form. */
export const BREVO_EMAIL_ATTRIBUTE = 'EMAIL';
/** The contact's mobile number for SMS, in international format, listed second. */
export const BREVO_SMS_ATTRIBUTE = 'SMS';

/**
 * Attributes the sync itself writes to link a Brevo contact to its Salesforce
 * record (R14: the Salesforce Id as `ext_id`). A mapping that fed them would
 * overwrite the link, so no mapping may name them.
 */
export const BREVO_LINK_ATTRIBUTES: readonly string[] = ['EXT_ID'];

/** Whether `name` is one of the link attributes (Brevo attribute names are case-insensitive). */
export function isLinkAttribute(name: string): boolean {
  return BREVO_LINK_ATTRIBUTES.includes(name.toUpperCase());
}

/** What a Brevo attribute holds, as far as the mapping rules are concerned. */
export type BrevoTargetKind = 'email' | 'sms' | 'text' | 'date' | 'float' | 'boolean' | 'category' | 'multipleChoice';
