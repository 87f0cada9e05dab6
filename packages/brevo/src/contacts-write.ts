import type { BrevoAttributeValue } from '@contact-sync/rules';
import type { BrevoClient } from '@getbrevo/brevo';
import { readRateLimit, type BrevoRateLimit } from './brevo-call.ts';

/**
 * The contact writes the sync makes, over the official client (created with
 * `maxRetries: 0`: the caller owns the retry policy). Every call reports the
 * rate-limit headers so the caller can pace itself before hitting a 429.
 */
export interface Paced<T> {
  data: T;
  rateLimit: BrevoRateLimit;
}

/** `/contacts/batch` takes at most 100 contacts per call (the sandbox enforces Brevo's figure). */
export const BATCH_UPDATE_MAX = 100;

export interface BatchContactUpdate {
  id: number;
  attributes?: Record<string, BrevoAttributeValue>;
  ext_id?: string;
  /** true blocklists the contact's email (opt-outs); the sync never sends false. */
  emailBlacklisted?: boolean;
  listIds?: number[];
  unlinkListIds?: number[];
}

/**
 * `allUpdated` is false when Brevo answered 207 Multi-Status: some contacts of the batch were not updated (its body
 * names them, `{ successIds, failureIds }`, but the SDK types the answer as void, so the caller narrows the batch
 * down itself and learns each refusal's reason from `updateContactById`).
 */
export async function updateContactsBatch(client: BrevoClient, contacts: readonly BatchContactUpdate[]): Promise<Paced<{ allUpdated: boolean }>> {
  if (contacts.length > BATCH_UPDATE_MAX) throw new Error(`at most ${BATCH_UPDATE_MAX} contacts per batch update`);
  const { rawResponse } = await client.contacts.updateBatchContacts({ contacts: contacts.map((c) => ({ ...c })) }).withRawResponse();
  return { data: { allUpdated: rawResponse.status !== 207 }, rateLimit: readRateLimit(rawResponse.headers) };
}

/**
 * PUT /contacts/{id}: one contact's update, as its batch item would make it. For a batch item Brevo did not update
 * (207): this route answers its error (`{ code, message }`, a duplicate's included) where the batch names only ids.
 */
export async function updateContactById(client: BrevoClient, update: BatchContactUpdate): Promise<Paced<void>> {
  const { id, attributes, ...rest } = update;
  const { rawResponse } = await client.contacts
    // The SDK types no null or list attribute value here; the route takes them as a batch item does.
    .updateContact({ identifier: String(id), identifierType: 'contact_id', ...rest, ...(attributes ? { attributes: attributes as Record<string, string | number | boolean> } : {}) })
    .withRawResponse();
  return { data: undefined, rateLimit: readRateLimit(rawResponse.headers) };
}

export interface ImportRow {
  email?: string;
  attributes: Record<string, BrevoAttributeValue>;
}

/**
 * POST /contacts/import with a JSON body: asynchronous, answers a process id.
 * `updateExistingContacts: false`: an email already held by another contact
 * is never merged into it (R15); our own contact from an interrupted earlier
 * import is found again by its EXT_ID. `blocklist` blocklists every row's email
 * (`emailBlacklist`: "To blacklist all the contacts for email"): opted-out
 * records are imported apart from the others.
 */
export async function importContacts(client: BrevoClient, listId: number, rows: readonly ImportRow[], options: { blocklist?: boolean } = {}): Promise<Paced<number>> {
  const { data, rawResponse } = await client.contacts
    .importContacts({
      jsonBody: rows.map((row) => ({ ...(row.email ? { email: row.email } : {}), attributes: { ...row.attributes } })),
      listIds: [listId],
      updateExistingContacts: false,
      emptyContactsAttributes: false,
      disableNotification: true,
      ...(options.blocklist ? { emailBlacklist: true } : {}),
    })
    .withRawResponse();
  return { data: data.processId, rateLimit: readRateLimit(rawResponse.headers) };
}

/** How many contacts the list holds (GET /contacts/lists/{listId}, `uniqueSubscribers`: "Number of unique contacts in the list"). */
export async function listSize(client: BrevoClient, listId: number): Promise<Paced<number>> {
  const { data, rawResponse } = await client.contacts.getList({ listId }).withRawResponse();
  return { data: data.uniqueSubscribers, rateLimit: readRateLimit(rawResponse.headers) };
}

export type ProcessStatus = 'queued' | 'in_process' | 'processing' | 'completed' | 'failed' | 'cancelled';

export async function getProcessStatus(client: BrevoClient, processId: number): Promise<Paced<ProcessStatus>> {
  const { data, rawResponse } = await client.process.getProcess({ processId }).withRawResponse();
  return { data: data.status as ProcessStatus, rateLimit: readRateLimit(rawResponse.headers) };
}

export interface BrevoContactSummary {
  id: number;
  email?: string;
  attributes: Record<string, unknown>;
  emailBlacklisted?: boolean;
  listIds: number[];
  modifiedAt?: string;
}

/** GET /contacts takes at most this many contact ids (`ids`). */
export const CONTACT_IDS_MAX = 20;

/** One page of GET /contacts (max 1000), optionally filtered by list, contact ids (at most 20) and modification time, by creation date (default newest first). */
export async function listContacts(
  client: BrevoClient,
  query: { listId?: number; ids?: readonly number[]; modifiedSince?: string; limit: number; offset: number; sort?: 'asc' | 'desc' },
): Promise<Paced<{ contacts: BrevoContactSummary[]; count: number }>> {
  const { data, rawResponse } = await client.contacts
    .getContacts({
      limit: query.limit,
      offset: query.offset,
      sort: query.sort ?? 'desc',
      ...(query.listId === undefined ? {} : { listIds: [query.listId] }),
      ...(query.ids === undefined ? {} : { ids: [...query.ids] }),
      ...(query.modifiedSince === undefined ? {} : { modifiedSince: query.modifiedSince }),
    })
    .withRawResponse();
  const contacts = (data.contacts ?? []) as unknown as BrevoContactSummary[];
  return { data: { contacts, count: data.count ?? contacts.length }, rateLimit: readRateLimit(rawResponse.headers) };
}

/** GET /contacts/{identifier}: the contact holding an email, ext_id or SMS number (R14/R15 checks); null when none. */
export async function findContact(client: BrevoClient, identifier: string, identifierType: 'email_id' | 'ext_id' | 'phone_id'): Promise<BrevoContactSummary | null> {
  try {
    const data = await client.contacts.getContactInfo({ identifier, identifierType });
    return data as unknown as BrevoContactSummary;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return null;
    throw error;
  }
}
