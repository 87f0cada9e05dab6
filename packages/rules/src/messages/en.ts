/** English messages for every rule message key (vue-i18n named interpolation). */
export const en = {
  rules: {
    plan: {
      required: 'This integration is available on the BrevoPlus plan only. Upgrade your plan to create or activate it.',
    },
    name: {
      required: 'Enter a name for the integration.',
      tooLong: 'The name can be at most {max} characters long.',
      directionControl: 'The name cannot contain invisible text-direction characters: they reverse how the text after them is shown.',
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
      picklist: 'A combo box also takes free text, so its values cannot be paired with Brevo options.',
      identifier: 'Record Ids and lookups cannot be synced.',
      typeUnsupported: 'Salesforce fields of type {fieldType} are not supported.',
      requiredEmptied: '{field} is required in Salesforce: emptying it in Brevo was not written to Salesforce.',
    },
    attribute: {
      category: 'This attribute is typed category outside Brevo’s category attributes: it has no options to pair values with.',
      calculated: 'Calculated attributes are computed by Brevo and cannot be synced.',
      transactional: 'Transactional attributes cannot be synced.',
      typeUnsupported: 'Brevo attributes of type {attributeType} are not supported.',
      link: '{attribute} holds the link between each Brevo contact and its Salesforce record: the integration fills it, so it cannot be mapped.',
    },
    direction: {
      formula: '{salesforceField} is a formula: Salesforce computes it, so it syncs Salesforce → Brevo only.',
      readOnly: 'Salesforce does not let the integration edit {salesforceField} (a read-only or system field): it syncs Salesforce → Brevo only.',
      identifier: '{attribute} identifies the contact a Salesforce record creates in Brevo: it cannot sync Brevo → Salesforce only.',
    },
    values: {
      pairUnknown: '{value} is not a value of {salesforceField} any more: choose the pairs again.',
      pairedTwice: 'The Brevo option {value} is paired with both {first} and {second}: pair it with one Salesforce value only.',
      unpaired: 'The value "{value}" of {field} has no pair in {attribute}: it was not synced. Pair it in the mapping.',
      booleanInvalid: 'The value "{value}" is not Yes or No; it was not synced.',
    },
    filter: {
      unknownField: 'The Salesforce field {salesforceField} does not exist.',
      notFilterable: 'Salesforce cannot filter records on {salesforceField}.',
      operatorUnsupported: 'This condition does not apply to {salesforceField} (a {fieldType} field).',
      valueRequired: 'Enter a value for {salesforceField}.',
      valueInvalid: '"{value}" is not a valid value of {salesforceField} (a {fieldType} field).',
    },
    conflict: {
      salesforceKept: '{attribute} was changed in both Salesforce and Brevo since the last sync: the Salesforce value was kept, as this integration’s conflict rule decides.',
      brevoKept: '{attribute} was changed in both Salesforce and Brevo since the last sync: the Brevo value was written to Salesforce, as this integration’s conflict rule decides.',
    },
    optOut: {
      keptInBrevo: 'Email opt-out was cleared in Salesforce, but the contact stays blocklisted in Brevo: a blocklisting is the contact’s own choice, and only the contact (or you, in Brevo) can lift it.',
    },
    contact: {
      noEmailOrSms: 'This record has neither an email address nor a mobile number, and Brevo needs one of them: it was not sent to Brevo and cost nothing.',
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
      linkedOtherOrg: 'The Brevo contact with this record’s Id (ext_id) is synced by an integration of another Salesforce org of this account: a sandbox copied from production keeps its records’ Ids. It was not synced, so that the two records are not mixed into one contact.',
    },
    duplicate: '{attribute}: this value already belongs to another Brevo contact. Records are never merged.',
    delete: {
      refused: 'Salesforce refused to delete this record (for example a contact with cases). It was not retried.',
      failed: 'The record could not be deleted in Salesforce: {reason}.',
      unconfirmed: 'A notice that this contact was deleted in Brevo arrived, but Brevo still has the contact: the Salesforce record was not deleted.',
    },
    leadConversion: {
      followed: 'This lead was converted in Salesforce to the contact {contactId}: its Brevo contact now syncs with that contact, through this account’s Salesforce contacts integration.',
      notSynced: 'This lead was converted in Salesforce to the contact {contactId}, and no Salesforce contacts integration of this org syncs contacts: its Brevo contact no longer syncs. It was kept in Brevo.',
    },
    quota: {
      warning: 'This integration has used {used} of its {limit} monthly operations.',
      exceeded: 'This integration reached its monthly quota of {limit} operations and was disabled.',
    },
    /** What the user can do about a record error, by its code (`fixHintKey`). */
    fix: {
      default: 'Correct the value in Salesforce or Brevo; the record is synced again at the next run.',
      phone_digits_out_of_range: 'Correct the phone number in Salesforce: 6 to 16 digits, with an optional leading +.',
      phone_invalid_characters: 'Remove letters and symbols from the phone number in Salesforce.',
      phone_not_international: 'Enter the phone number in Salesforce with its country code (for example +39).',
      phone_emptied_kept: 'Nothing to do: Brevo keeps the previous number. Enter a new one in Salesforce to change it.',
      email_emptied_kept: 'Nothing to do: Brevo keeps the previous email; the other fields keep syncing.',
      email_invalid: 'Correct the email address in Salesforce.',
      no_email_or_sms: 'Enter an email address (or a mobile number, if SMS is mapped) on the record in Salesforce: it is sent to Brevo at the next run.',
      duplicate: 'Another Brevo contact already has this email or mobile number: change it in Salesforce or merge the contacts in Brevo. Records are never merged automatically.',
      date_invalid: 'Enter the date in Brevo as YYYY-MM-DD.',
      number_invalid: 'Enter a number in the Brevo attribute.',
      last_name_emptied: 'Salesforce requires a last name: enter one in Brevo; the other fields were synced.',
      required_field_emptied: 'Salesforce requires this field: enter a value in Brevo; the other fields were synced.',
      text_too_long: 'Shorten the value in Brevo to the Salesforce field length, or map a longer field.',
      delete_refused: 'Delete or reassign the related records (such as cases) in Salesforce, then delete the record there.',
      delete_failed: 'Retry; if it keeps failing, check the record in Salesforce.',
      lead_converted_followed: 'Nothing to do: the Brevo contact stays one contact and follows the new Salesforce contact.',
      lead_converted_not_synced: 'To keep this contact in sync, create (or resume) a Salesforce contacts integration on the same Salesforce account: the contact then follows the converted lead.',
      delete_unconfirmed: 'Nothing to do if the contact should stay. To delete the record, delete the contact in Brevo (or the record in Salesforce).',
      not_linked: 'Nothing to do: contacts created in Brevo are not created in Salesforce.',
      linked_other_org: 'Sync each Salesforce org that shares record Ids (production and its full-copy sandbox) to its own Brevo account, or pause one of the two integrations.',
      invalid_input: "Check the record's values against Brevo's formats, then retry.",
      salesforce_rejected: 'Check the record in Salesforce (validation rules, permissions), then retry.',
      conflict_salesforce_kept: 'Nothing to do if the Salesforce value is right. Otherwise edit it in Salesforce, or change the conflict rule in the mapping.',
      conflict_brevo_kept: 'Nothing to do if the Brevo value is right. Otherwise edit it in Brevo, or change the conflict rule in the mapping.',
      opt_out_kept_in_brevo: 'Nothing to do if the contact still does not want emails. If they asked to receive them again, lift the blocklisting in Brevo.',
      value_unpaired: 'Pair this value in the mapping (Edit mapping): it is synced at the next change of the record.',
      quota_exceeded: 'Wait for next month or ask support to raise the quota, then activate again.',
    },
  },
} as const;
