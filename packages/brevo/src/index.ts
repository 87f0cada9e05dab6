// Client, retry classification, lists, attributes and account (the BFF's).
export { getAccount, type BrevoAccountSummary } from './account.ts';
export { listAttributes } from './attributes.ts';
export { brevoCall } from './call.ts';
export { createBrevoClient, type CreateBrevoClientOptions } from './client.ts';
export { brevoRetryAfterMs, classifyBrevoError, isBrevoTimeout, type BrevoErrorClass } from './errors.ts';
export { createList, findList, listLists, MAX_LISTS_PAGE, PLUGIN_FOLDER_NAME, type BrevoListSummary } from './lists.ts';

// Sync: contacts, webhooks, transactional email.
export * from './brevo-call.ts';
export * from './contacts-write.ts';
export * from './transactional-email.ts';
export * from './webhooks.ts';
