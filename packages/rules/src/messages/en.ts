/** English messages for every rule message key (vue-i18n named interpolation). */
export const en = {
  rules: {
    plan: {
      required: 'This integration is available on the BrevoPlus plan only. Upgrade your plan to create or activate it.',
    },
    name: {
      required: 'Enter a name for the integration.',
      tooLong: 'The name can be at most {max} characters long.',
      taken: 'An integration with this name already exists.',
    },
    connection: {
      limitReached: 'This Salesforce account is already connected to {max} integrations (contacts and leads combined). Delete one to connect it again.',
    },
    consent: {
      required: 'Tick opt-in consent before mapping fields.',
    },
    list: {
      required: 'Choose a Brevo list or create a new one.',
    },
    input: {
      invalid: 'This value is not valid.',
    },
    mapping: {
      emailOrSmsRequired: 'Map at least Email or SMS.',
      unknownAttribute: 'The Brevo attribute {attribute} does not exist.',
      unknownField: 'The Salesforce field {salesforceField} does not exist.',
      fieldMappedTwice: 'The Salesforce field {salesforceField} is already mapped to {otherAttribute}.',
      typeIncompatible: 'A Salesforce {fieldType} field cannot be mapped to a Brevo {attributeType} attribute.',
    },
    field: {
      formula: 'Formula fields are not supported.',
      boolean: 'Yes/No (boolean) fields are not supported.',
      picklist: 'Picklist fields are not supported.',
      multipicklist: 'Multi-select picklist fields are not supported.',
      identifier: 'Record Ids and lookups cannot be synced.',
      typeUnsupported: 'Salesforce fields of type {fieldType} are not supported.',
      requiredEmptied: '{field} is required in Salesforce: emptying it in Brevo was not written to Salesforce.',
    },
    attribute: {
      boolean: 'Yes/No (boolean) attributes are not supported.',
      category: 'Category attributes are not supported.',
      calculated: 'Calculated attributes are computed by Brevo and cannot be synced.',
      transactional: 'Transactional attributes cannot be synced.',
      typeUnsupported: 'Brevo attributes of type {attributeType} are not supported.',
    },
    date: {
      invalid: 'The date "{value}" is not a valid YYYY-MM-DD date; it was not synced.',
    },
    number: {
      invalid: 'The value "{value}" is not a valid number for {field}; it was not synced.',
    },
    email: {
      invalid: 'The email address "{value}" is not valid.',
      emptiedKept: 'The email was emptied in Salesforce; the Brevo email was kept and the other fields were synced.',
    },
    lastName: {
      emptied: 'The last name was emptied in Brevo; this change was not written to Salesforce.',
    },
    text: {
      tooLong: 'The value of {field} is {length} characters long; Salesforce allows at most {max}. It was not written.',
    },
    phone: {
      digitsOutOfRange: 'A phone number must have between {min} and {max} digits (this one has {digits}).',
      invalidCharacters: 'A phone number may only contain digits, spaces, dashes, dots, brackets and one leading +.',
      notInternational: 'This phone number cannot be turned into an international number for SMS.',
      emptiedKept: 'The phone was emptied in Salesforce; Brevo keeps the previous value.',
    },
    sync: {
      notLinked: 'This Brevo contact is not linked to a Salesforce record; it is not created in Salesforce.',
    },
    duplicate: '{attribute}: this value already belongs to another Brevo contact. Records are never merged.',
    delete: {
      refused: 'Salesforce refused to delete this record (for example a contact with cases). It was not retried.',
      failed: 'The record could not be deleted in Salesforce: {reason}.',
    },
    quota: {
      warning: 'This integration has used {used} of its {limit} monthly operations.',
      exceeded: 'This integration reached its monthly quota of {limit} operations and was disabled.',
    },
  },
} as const;
