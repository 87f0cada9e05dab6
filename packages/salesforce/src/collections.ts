import { DATA_PATH, type SalesforceRequester } from './requester.ts';

/** sObject Collections accept at most 200 records per call. */
export const COLLECTION_MAX = 200;

export interface CollectionError {
  statusCode: string;
  message: string;
  fields?: string[];
}

export interface CollectionResult {
  id: string | null;
  success: boolean;
  errors: CollectionError[];
}

/**
 * `Sforce-Call-Options: client=<id>`: Salesforce names that client in the
 * `changeOrigin` of the change events the call causes, so a subscriber can
 * tell its own writes from others'.
 */
export interface CallOptions {
  client: string;
}

function callOptionsHeader(options: CallOptions | undefined): Record<string, string> {
  return options ? { 'Sforce-Call-Options': `client=${options.client}` } : {};
}

function assertSize(count: number): void {
  if (count > COLLECTION_MAX) throw new Error(`sObject Collections take at most ${COLLECTION_MAX} records, got ${count}`);
}

/** PATCH /composite/sobjects with allOrNone=false: one result per record, in order. */
export async function updateRecords(
  conn: SalesforceRequester,
  object: string,
  records: readonly ({ Id: string } & Record<string, unknown>)[],
  callOptions?: CallOptions,
): Promise<CollectionResult[]> {
  if (records.length === 0) return [];
  assertSize(records.length);
  const body = JSON.stringify({ allOrNone: false, records: records.map((record) => ({ attributes: { type: object }, ...record })) });
  return (await conn.request<CollectionResult[]>({
    method: 'PATCH',
    url: `${DATA_PATH}/composite/sobjects`,
    body,
    headers: { 'Content-Type': 'application/json', ...callOptionsHeader(callOptions) },
  })) as CollectionResult[];
}

/** DELETE /composite/sobjects?ids=…&allOrNone=false. */
export async function deleteRecords(conn: SalesforceRequester, ids: readonly string[], callOptions?: CallOptions): Promise<CollectionResult[]> {
  if (ids.length === 0) return [];
  assertSize(ids.length);
  const query = new URLSearchParams({ ids: ids.join(','), allOrNone: 'false' });
  return (await conn.request<CollectionResult[]>({ method: 'DELETE', url: `${DATA_PATH}/composite/sobjects?${query}`, headers: callOptionsHeader(callOptions) })) as CollectionResult[];
}
