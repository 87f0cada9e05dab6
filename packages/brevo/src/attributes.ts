import type { BrevoAttribute } from '@contact-sync/rules';
import type { RetryOptions } from '@contact-sync/retry';
import type { BrevoClient } from '@getbrevo/brevo';
import { brevoCall } from './call.ts';

/** `GET /contacts/attributes`: the account's contact attributes, as the mapping rules read them. */
export async function listAttributes(client: BrevoClient, retry?: RetryOptions): Promise<BrevoAttribute[]> {
  const response = await brevoCall(() => client.contacts.getAttributes(), { idempotent: true, ...(retry ? { retry } : {}) });
  return response.attributes.map((attribute) => ({
    name: attribute.name,
    category: attribute.category,
    ...(attribute.type !== undefined ? { type: attribute.type } : {}),
    ...(attribute.enumeration ? { enumeration: attribute.enumeration.map((option) => ({ value: option.value, label: option.label })) } : {}),
    ...(attribute.multiCategoryOptions ? { multiCategoryOptions: [...attribute.multiCategoryOptions] } : {}),
  }));
}
