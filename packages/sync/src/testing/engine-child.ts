/**
 * A worker stand-in for the SIGKILL tests: runs one sync in its own process
 * (the test kills it with SIGKILL part-way), Salesforce → Brevo alone or the
 * whole integration run as the worker does it (Brevo → Salesforce first).
 * Prints every step as it goes so the test can choose the moment:
 * `checkpoint <chunk> <point>` inside each chunk and `call <api> <label>`
 * before each API call.
 */
import { BrevoClient } from '@getbrevo/brevo';
import jsforce from 'jsforce';
import mongoose from 'mongoose';
import { createSyncStore } from '@contact-sync/store';
import { runIntegration } from '../run-integration.ts';
import { syncSalesforceToBrevo, type EngineDeps } from '../salesforce-to-brevo.ts';
import { MemoryStatuses } from './harness.ts';
import { readEngineChildInput } from './engine-child-input.ts';

for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[name];
const input = readEngineChildInput();
const connection = await mongoose.createConnection(input.mongoUri).asPromise();
const conn = new jsforce.Connection({ instanceUrl: input.instanceUrl, accessToken: input.accessToken, version: '62.0' });
const brevo = new BrevoClient({ apiKey: input.apiKey, baseUrl: input.brevoBaseUrl, maxRetries: 0 });
const deps: EngineDeps = {
  salesforce: conn,
  brevo,
  store: createSyncStore(connection.db!),
  statuses: new MemoryStatuses(),
  options: { pageSize: 200, chunkSize: 200, importPollMs: 10, clockSkewMs: 5_000, onCall: (api, label) => console.log(`call ${api} ${label}`) },
  checkpoint: async (point, chunk) => {
    console.log(`checkpoint ${chunk} ${point}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  },
};
if (input.run === 'integration') {
  const result = await runIntegration(input.integration, deps);
  console.log(`done ${result.brevoToSalesforce.end} ${result.salesforceToBrevo?.end}`);
} else {
  const result = await syncSalesforceToBrevo(input.integration, deps);
  console.log(`done ${result.end}`);
}
await connection.close();
