import jsforce, { type Connection } from 'jsforce';

/** The Salesforce sandbox's connected app (apps/sandbox-salesforce). */
const SANDBOX_APP = { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret', redirectUri: 'http://localhost:4000/api/v1/oauth/salesforce/callback' };

/**
 * A jsforce connection to the Salesforce sandbox (OAuth password grant), as a
 * user's own script would have: the benchmarks' edits and reads go through the
 * real API, counted like the product's calls (reset the counter after them).
 */
export async function salesforceUser(loginUrl: string, username: string, password: string): Promise<Connection> {
  const conn = new jsforce.Connection({ oauth2: { loginUrl, ...SANDBOX_APP }, version: '62.0' });
  await conn.login(username, password);
  return conn;
}

/** Sets `values` on each record, 200 per sObject Collections call (Salesforce's limit); throws if any record failed. */
export async function updateRecords(conn: Connection, object: string, records: readonly ({ Id: string } & Record<string, unknown>)[]): Promise<void> {
  for (let i = 0; i < records.length; i += 200) {
    const results = await conn.sobject(object).update(records.slice(i, i + 200).map((record) => ({ ...record })), { allOrNone: true });
    const failed = results.filter((result) => !result.success);
    if (failed.length > 0) throw new Error(`${failed.length} ${object} updates failed: ${JSON.stringify(failed[0])}`);
  }
}
