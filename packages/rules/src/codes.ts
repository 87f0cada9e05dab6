/**
 * Every stable code the rules package emits. Codes are the contract with the
 * API (returned as `code`), the sync (stored on run records) and the UI
 * (translated through the message key). Never rename a code: add a new one.
 */
export const RuleCode = {
  PlanRequired: 'plan_required',
  NameRequired: 'name_required',
  NameTooLong: 'name_too_long',
  NameDirectionControl: 'name_direction_control',
  NameTaken: 'name_taken',
  ConnectionLimitReached: 'connection_limit_reached',
  ConsentRequired: 'consent_required',
  ListRequired: 'list_required',
  InvalidInput: 'invalid_input',

  EmailOrSmsRequired: 'email_or_sms_required',
  UnknownBrevoAttribute: 'unknown_brevo_attribute',
  UnknownSalesforceField: 'unknown_salesforce_field',
  SalesforceFieldMappedTwice: 'salesforce_field_mapped_twice',
  FieldTypeIncompatible: 'field_type_incompatible',

  FieldPicklist: 'field_picklist',
  FieldIdentifier: 'field_identifier',
  FieldTypeUnsupported: 'field_type_unsupported',
  AttributeCategory: 'attribute_category',
  AttributeCalculated: 'attribute_calculated',
  AttributeTransactional: 'attribute_transactional',
  AttributeTypeUnsupported: 'attribute_type_unsupported',
  AttributeLink: 'attribute_link',
  DirectionFormula: 'direction_formula',
  DirectionReadOnly: 'direction_read_only',
  DirectionIdentifier: 'direction_identifier',
  ConflictSalesforceKept: 'conflict_salesforce_kept',
  ConflictBrevoKept: 'conflict_brevo_kept',
  OptOutKeptInBrevo: 'opt_out_kept_in_brevo',
  ValuePairUnknown: 'value_pair_unknown',
  ValuePairedTwice: 'value_paired_twice',
  ValueUnpaired: 'value_unpaired',
  BooleanInvalid: 'boolean_invalid',
  FilterUnknownField: 'filter_unknown_field',
  FilterFieldNotFilterable: 'filter_field_not_filterable',
  FilterOperatorUnsupported: 'filter_operator_unsupported',
  FilterValueRequired: 'filter_value_required',
  FilterValueInvalid: 'filter_value_invalid',

  DateInvalid: 'date_invalid',
  NumberInvalid: 'number_invalid',
  EmailInvalid: 'email_invalid',
  NoEmailOrSms: 'no_email_or_sms',
  EmailEmptiedKept: 'email_emptied_kept',
  LastNameEmptied: 'last_name_emptied',
  RequiredFieldEmptied: 'required_field_emptied',
  TextTooLong: 'text_too_long',
  PhoneDigitsOutOfRange: 'phone_digits_out_of_range',
  PhoneInvalidCharacters: 'phone_invalid_characters',
  PhoneNotInternational: 'phone_not_international',
  PhoneEmptiedKept: 'phone_emptied_kept',
  NotLinked: 'not_linked',
  LinkedFromOtherOrg: 'linked_other_org',
  Duplicate: 'duplicate',
  DeleteRefused: 'delete_refused',
  DeleteFailed: 'delete_failed',
  DeleteUnconfirmed: 'delete_unconfirmed',
  LeadConvertedFollowed: 'lead_converted_followed',
  LeadConvertedNotSynced: 'lead_converted_not_synced',
  QuotaWarning: 'quota_warning',
  QuotaExceeded: 'quota_exceeded',
} as const;

export type RuleCode = (typeof RuleCode)[keyof typeof RuleCode];

/** The SPEC §3 rule a code enforces, stored on run records next to the code. */
export type RuleId =
  | 'R1' | 'R2' | 'R3' | 'R4' | 'R5' | 'R6' | 'R7' | 'R8' | 'R9'
  | 'R10' | 'R11' | 'R12' | 'R13' | 'R14' | 'R15' | 'R16' | 'R17' | 'input';

interface CodeInfo {
  readonly messageKey: string;
  readonly rule: RuleId;
}

/** One row per code: its message key (both catalogues must have it) and its rule. */
export const CODE_INFO = {
  plan_required: { messageKey: 'rules.plan.required', rule: 'R1' },
  name_required: { messageKey: 'rules.name.required', rule: 'R2' },
  name_too_long: { messageKey: 'rules.name.tooLong', rule: 'R2' },
  name_direction_control: { messageKey: 'rules.name.directionControl', rule: 'R2' },
  name_taken: { messageKey: 'rules.name.taken', rule: 'R2' },
  connection_limit_reached: { messageKey: 'rules.connection.limitReached', rule: 'R3' },
  consent_required: { messageKey: 'rules.consent.required', rule: 'R4' },
  list_required: { messageKey: 'rules.list.required', rule: 'input' },
  invalid_input: { messageKey: 'rules.input.invalid', rule: 'input' },

  email_or_sms_required: { messageKey: 'rules.mapping.emailOrSmsRequired', rule: 'R5' },
  unknown_brevo_attribute: { messageKey: 'rules.mapping.unknownAttribute', rule: 'R5' },
  unknown_salesforce_field: { messageKey: 'rules.mapping.unknownField', rule: 'R5' },
  salesforce_field_mapped_twice: { messageKey: 'rules.mapping.fieldMappedTwice', rule: 'R5' },
  field_type_incompatible: { messageKey: 'rules.mapping.typeIncompatible', rule: 'R5' },

  field_picklist: { messageKey: 'rules.field.picklist', rule: 'R6' },
  field_identifier: { messageKey: 'rules.field.identifier', rule: 'R6' },
  field_type_unsupported: { messageKey: 'rules.field.typeUnsupported', rule: 'R6' },
  attribute_category: { messageKey: 'rules.attribute.category', rule: 'R6' },
  attribute_calculated: { messageKey: 'rules.attribute.calculated', rule: 'R6' },
  attribute_transactional: { messageKey: 'rules.attribute.transactional', rule: 'R6' },
  attribute_type_unsupported: { messageKey: 'rules.attribute.typeUnsupported', rule: 'R6' },
  attribute_link: { messageKey: 'rules.attribute.link', rule: 'R14' },
  direction_formula: { messageKey: 'rules.direction.formula', rule: 'R5' },
  direction_read_only: { messageKey: 'rules.direction.readOnly', rule: 'R5' },
  direction_identifier: { messageKey: 'rules.direction.identifier', rule: 'R5' },
  conflict_salesforce_kept: { messageKey: 'rules.conflict.salesforceKept', rule: 'R17' },
  conflict_brevo_kept: { messageKey: 'rules.conflict.brevoKept', rule: 'R17' },
  opt_out_kept_in_brevo: { messageKey: 'rules.optOut.keptInBrevo', rule: 'R17' },
  value_pair_unknown: { messageKey: 'rules.values.pairUnknown', rule: 'R5' },
  value_paired_twice: { messageKey: 'rules.values.pairedTwice', rule: 'R5' },
  value_unpaired: { messageKey: 'rules.values.unpaired', rule: 'R5' },
  boolean_invalid: { messageKey: 'rules.values.booleanInvalid', rule: 'R5' },
  filter_unknown_field: { messageKey: 'rules.filter.unknownField', rule: 'R5' },
  filter_field_not_filterable: { messageKey: 'rules.filter.notFilterable', rule: 'R5' },
  filter_operator_unsupported: { messageKey: 'rules.filter.operatorUnsupported', rule: 'R5' },
  filter_value_required: { messageKey: 'rules.filter.valueRequired', rule: 'R5' },
  filter_value_invalid: { messageKey: 'rules.filter.valueInvalid', rule: 'R5' },

  date_invalid: { messageKey: 'rules.date.invalid', rule: 'R7' },
  number_invalid: { messageKey: 'rules.number.invalid', rule: 'R5' },
  email_invalid: { messageKey: 'rules.email.invalid', rule: 'R5' },
  no_email_or_sms: { messageKey: 'rules.contact.noEmailOrSms', rule: 'R5' },
  email_emptied_kept: { messageKey: 'rules.email.emptiedKept', rule: 'R14' },
  last_name_emptied: { messageKey: 'rules.lastName.emptied', rule: 'R8' },
  required_field_emptied: { messageKey: 'rules.field.requiredEmptied', rule: 'R8' },
  text_too_long: { messageKey: 'rules.text.tooLong', rule: 'R9' },
  phone_digits_out_of_range: { messageKey: 'rules.phone.digitsOutOfRange', rule: 'R10' },
  phone_invalid_characters: { messageKey: 'rules.phone.invalidCharacters', rule: 'R10' },
  phone_not_international: { messageKey: 'rules.phone.notInternational', rule: 'R10' },
  phone_emptied_kept: { messageKey: 'rules.phone.emptiedKept', rule: 'R11' },
  not_linked: { messageKey: 'rules.sync.notLinked', rule: 'R12' },
  linked_other_org: { messageKey: 'rules.sync.linkedOtherOrg', rule: 'R14' },
  duplicate: { messageKey: 'rules.duplicate', rule: 'R15' },
  delete_refused: { messageKey: 'rules.delete.refused', rule: 'R13' },
  delete_failed: { messageKey: 'rules.delete.failed', rule: 'R13' },
  delete_unconfirmed: { messageKey: 'rules.delete.unconfirmed', rule: 'R13' },
  lead_converted_followed: { messageKey: 'rules.leadConversion.followed', rule: 'R14' },
  lead_converted_not_synced: { messageKey: 'rules.leadConversion.notSynced', rule: 'R14' },
  quota_warning: { messageKey: 'rules.quota.warning', rule: 'R16' },
  quota_exceeded: { messageKey: 'rules.quota.exceeded', rule: 'R16' },
} as const satisfies Record<RuleCode, CodeInfo>;

export type MessageKey = (typeof CODE_INFO)[RuleCode]['messageKey'];

const HTTP_STATUS: Partial<Record<RuleCode, number>> = {
  plan_required: 403,
  name_taken: 409,
  connection_limit_reached: 409,
};

/** The HTTP status the API answers for a rule code; every other code is a 422 validation error. */
export function httpStatusOf(code: RuleCode): number {
  return HTTP_STATUS[code] ?? 422;
}

const ALL_CODES: ReadonlySet<string> = new Set(Object.values(RuleCode));

export function isRuleCode(value: unknown): value is RuleCode {
  return typeof value === 'string' && ALL_CODES.has(value);
}
