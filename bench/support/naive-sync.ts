// The naive Salesforce → Brevo sync issue 7 compares the product with: jsforce's
// defaults to read (one query, `autoFetch`, Salesforce's 2,000 records per
// page), then one Brevo upsert per record (createContact with
// `updateEnabled`), one after the other. Written the way a careful developer
// would write it, not as a strawman: the product's own Brevo client, and the
// product's retry policy, so a 429 waits for Brevo's `x-sib-ratelimit-reset`
// instead of failing the record.
import { brevoCall, classifyBrevoError, createBrevoClient } from '@contact-sync/brevo';
import { salesforceUser } from './salesforce-client.ts';

export interface NaiveSyncOptions {
  salesforce: { loginUrl: string; username: string; password: string };
  brevo: { baseUrl: string; apiKey: string; listId: number };
  /** Brevo attribute → Salesforce field; EMAIL is the contact's identifier. */
  mapping: Record<string, string>;
  /** Upsert only the first `sample` records that have an e-mail (all of them when absent). */
  sample?: number;
}

export interface NaiveSyncResult {
  read: number;
  readMs: number;
  /** Records with an e-mail (the naive upsert needs an identifier; the others are skipped). */
  upsertable: number;
  upserted: number;
  /** Upserts Brevo refused (e.g. an e-mail it finds invalid): logged and skipped, as a naive sync would. */
  refused: number;
  upsertMs: number;
}

export async function naiveSync(options: NaiveSyncOptions): Promise<NaiveSyncResult> {
  const { EMAIL: emailField, ...attributeFields } = options.mapping;
  if (!emailField) throw new Error('the naive sync needs EMAIL in the mapping');

  const conn = await salesforceUser(options.salesforce.loginUrl, options.salesforce.username, options.salesforce.password);
  const readStarted = performance.now();
  const fields = [...new Set(['Id', ...Object.values(options.mapping)])].join(', ');
  // autoFetch stops at maxFetch (10,000 by default): no limit, as a naive sync of the whole org must.
  const { records } = await conn.query<Record<string, unknown>>(`SELECT ${fields} FROM Contact`, { autoFetch: true, maxFetch: Number.MAX_SAFE_INTEGER });
  const readMs = performance.now() - readStarted;

  const upsertable = records.filter((record: Record<string, unknown>) => typeof record[emailField] === 'string');
  const chosen = upsertable.slice(0, options.sample ?? upsertable.length);
  const brevo = createBrevoClient({ apiKey: options.brevo.apiKey, baseUrl: options.brevo.baseUrl });
  const upsertStarted = performance.now();
  let refused = 0;
  for (const record of chosen) {
    const attributes: Record<string, string | number | boolean> = {};
    for (const [attribute, field] of Object.entries(attributeFields)) {
      const value = record[field];
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') attributes[attribute] = value;
    }
    try {
      await brevoCall(
        () => brevo.contacts.createContact({ email: record[emailField] as string, attributes, listIds: [options.brevo.listId], updateEnabled: true }),
        { idempotent: false },
      );
    } catch (error) {
      if (classifyBrevoError(error, { idempotent: false }).kind !== 'refused') throw error;
      refused += 1;
    }
  }
  return { read: records.length, readMs, upsertable: upsertable.length, upserted: chosen.length, refused, upsertMs: performance.now() - upsertStarted };
}
