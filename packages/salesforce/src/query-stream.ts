import { DATA_PATH, type SalesforceRequester } from './requester.ts';

export interface QueryPage<R> {
  records: R[];
  /** Salesforce's `totalSize` of the whole query (for progress). */
  totalSize: number;
  done: boolean;
}

interface QueryResponse<R> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: (R & { attributes?: unknown })[];
}

export interface StreamQueryOptions {
  /** `queryAll` includes deleted records (IsDeleted = true) still in the recycle bin. */
  all?: boolean;
  /** Sforce-Query-Options batchSize (200–2000; Salesforce may return fewer). */
  batchSize?: number;
  /** Wraps each page request, e.g. with the retry policy. */
  call?: <T>(label: string, fn: () => Promise<T>) => Promise<T>;
}

const direct = <T>(_label: string, fn: () => Promise<T>) => fn();

/**
 * A REST query streamed page by page through `nextRecordsUrl`: one page in
 * memory at a time whatever the size of the org. (jsforce's `bulk2.query`
 * crashes on multi-page results, and its `autoFetch` buffers.)
 */
export async function* streamQuery<R>(
  conn: SalesforceRequester,
  soql: string,
  options: StreamQueryOptions = {},
): AsyncGenerator<QueryPage<R>> {
  const call = options.call ?? direct;
  const headers = { 'Sforce-Query-Options': `batchSize=${options.batchSize ?? 2000}` };
  let url: string | undefined = `${DATA_PATH}/${options.all ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`;
  while (url) {
    const target: string = url;
    const page = await call('salesforce.query', async () => (await conn.request<QueryResponse<R>>({ method: 'GET', url: target, headers })) as QueryResponse<R>);
    const records = page.records.map((record) => {
      const { attributes: _attributes, ...rest } = record;
      return rest as R;
    });
    url = page.done ? undefined : page.nextRecordsUrl;
    yield { records, totalSize: page.totalSize, done: !url };
  }
}
