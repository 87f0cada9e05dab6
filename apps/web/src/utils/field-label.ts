import type { SalesforceField } from '@contact-sync/rules';

/** A Salesforce field as the org shows it, with its API name when that differs: "Mobile Phone (MobilePhone)". */
export function fieldLabel(field: SalesforceField): string {
  return field.label && field.label !== field.name ? `${field.label} (${field.name})` : field.name;
}
