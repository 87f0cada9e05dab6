import { quotaMonth } from '@contact-sync/rules';
import { useTestDatabase } from '@contact-sync/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runIntegration } from './run-integration.ts';
import { syncSalesforceToBrevo } from './salesforce-to-brevo.ts';
import { dailyLimitPauseMs, sharedSalesforceLimits } from './salesforce-limits.ts';
import { BrevoClient } from '@getbrevo/brevo';
import { BREVO_LIMITS_OFF_FOR_API_CHECKS, createIntegration, engineDeps, listDifferences, listMembers, startHarness, type Harness } from './testing/harness.ts';

const database = useTestDatabase('sync_faults');
let harness: Harness;

beforeAll(async () => {
  // Set up and checked through Brevo's API between runs: see BREVO_LIMITS_OFF_FOR_API_CHECKS.
  harness = await startHarness(database.connection.db!, BREVO_LIMITS_OFF_FOR_API_CHECKS);
});
afterEach(() => {
  harness.salesforce.faults.clear();
  harness.brevo.faults.clear();
});
afterAll(async () => {
  await harness.stop();
});

const fastRetries = { retry: { maxAttempts: 10, baseDelayMs: 5, maxDelayMs: 50 } };
/** Incremental runs under latency spikes and dropped connections (`npm run test:soak` runs more). */
const FAULT_RUNS = Number(process.env.SOAK_FAULT_RUNS ?? 2);

describe('faults', () => {
  it('survives 10% 5xx and 429 on both APIs during an initial load and an incremental run: exact list, quota charged once', async () => {
    const integration = await createIntegration(harness);
    let retries = 0;
    const deps = engineDeps(harness, { options: { pageSize: 200, chunkSize: 100, ...fastRetries, onCall: () => (retries += 1) } });
    // One certain failure on each side first: a run makes few enough calls that 10% alone may never fire.
    harness.brevo.faults.add({ pathPrefix: '/v3/contacts', status: 503, times: 1 });
    harness.brevo.faults.add({ pathPrefix: '/v3/contacts', status: 500, probability: 0.1 });
    harness.brevo.faults.add({ pathPrefix: '/v3/contacts', status: 429, probability: 0.1 });
    harness.brevo.faults.add({ pathPrefix: '/v3/processes', status: 503, probability: 0.1 });
    const salesforceFaults = () => {
      harness.salesforce.faults.add({ pathPrefix: '/services/data', status: 503, times: 1 });
      harness.salesforce.faults.add({ pathPrefix: '/services/data', status: 503, probability: 0.1 });
      harness.salesforce.faults.add({ pathPrefix: '/services/data', status: 429, probability: 0.1 });
    };
    salesforceFaults();

    const first = await syncSalesforceToBrevo(integration, deps);
    expect(first.error).toBeUndefined();
    // The test's own edits go through without faults.
    const firedBefore = harness.salesforce.faults.list().reduce((n, f) => n + f.fired, 0);
    harness.salesforce.faults.clear();
    const ids = (await harness.conn.query<{ Id: string }>('SELECT Id FROM Contact ORDER BY Id')).records.map((r) => r.Id);
    await harness.conn.sobject('Contact').update(ids.slice(0, 20).map((Id, i) => ({ Id, Title: `Faulty ${i}` })));
    salesforceFaults();
    const second = await syncSalesforceToBrevo(integration, deps);
    expect(second.error).toBeUndefined();

    const fired = firedBefore + harness.brevo.faults.list().reduce((n, f) => n + f.fired, 0) + harness.salesforce.faults.list().reduce((n, f) => n + f.fired, 0);
    expect(fired).toBeGreaterThan(0);
    // The checks read without faults.
    harness.brevo.faults.clear();
    harness.salesforce.faults.clear();
    const members = await listMembers(harness.client, integration.listId);
    const links = await harness.store.links.list(integration.id);
    expect(members.map((m) => m.attributes.EXT_ID).sort()).toEqual(links.map((l) => l.salesforceId).sort());
    const titled = members.filter((m) => String(m.attributes.JOB_TITLE ?? '').startsWith('Faulty'));
    expect(titled.length).toBe(links.filter((l) => ids.slice(0, 20).includes(l.salesforceId)).length);
    expect(await harness.store.quota.used(integration.id, quotaMonth(new Date()))).toBe(first.operations + second.operations);
    expect(first.operations).toBe(first.counts.created);
    expect(retries).toBeGreaterThan(0);
  }, 60_000);

  it('survives latency spikes and dropped connections mid-batch on both APIs (initial load, then incremental runs): exact list, one retry per broken call, quota charged once', async () => {
    const integration = await createIntegration(harness);
    const retries: string[] = [];
    const calls = { salesforce: 0, brevo: 0 };
    // A client that gives up after 2 s, so a 3 s spike is a timeout whose request Brevo still handles afterwards.
    const impatient = new BrevoClient({ apiKey: 'xkeysib-sandbox-demo', baseUrl: harness.brevo.baseUrl, maxRetries: 0, timeoutInSeconds: 2 });
    const deps = engineDeps(harness, {
      brevo: impatient,
      options: {
        pageSize: 200,
        chunkSize: 100,
        onCall: (api) => (calls[api] += 1),
        retry: { ...fastRetries.retry, onRetry: ({ reason }) => retries.push(reason ?? 'unknown') },
      },
    });
    // Each kind once for certain, mid-batch (a short run may draw none of the random ones), then at random.
    const addFaults = () => {
      harness.brevo.faults.add({ pathPrefix: '/v3/contacts', method: 'POST', dropResponse: true, times: 1 });
      harness.brevo.faults.add({ pathPrefix: '/v3/contacts', method: 'POST', drop: true, times: 1 });
      harness.brevo.faults.add({ pathPrefix: '/v3/contacts', method: 'POST', latencyMs: 3_000, times: 1 });
      harness.brevo.faults.add({ pathPrefix: '/v3/', drop: true, probability: 0.05 });
      harness.brevo.faults.add({ pathPrefix: '/v3/', dropResponse: true, probability: 0.05 });
      harness.brevo.faults.add({ pathPrefix: '/v3/', latencyMs: 300, probability: 0.2 });
      // The next page of a query (its locator) before Salesforce reads it, the query after (a lost answer to
      // a next page spends its locator: the test below). Reads only: S→B writes nothing to Salesforce.
      harness.salesforce.faults.add({ pathPrefix: '/services/data/v62.0/query/', drop: true, times: 1 });
      harness.salesforce.faults.add({ pathPrefix: '/services/data/v62.0/queryAll', dropResponse: true, times: 1 });
      harness.salesforce.faults.add({ pathPrefix: '/services/data', drop: true, probability: 0.05 });
      harness.salesforce.faults.add({ pathPrefix: '/services/data/v62.0/queryAll', dropResponse: true, probability: 0.05 });
      harness.salesforce.faults.add({ pathPrefix: '/services/data/v62.0/sobjects', dropResponse: true, probability: 0.05 });
      harness.salesforce.faults.add({ pathPrefix: '/services/data', latencyMs: 300, probability: 0.2 });
    };
    const fired = { brevoDrops: 0, salesforceDrops: 0, spikes: 0 };
    const clearFaults = () => {
      const drops = (faults: readonly { drop: boolean; dropResponse: boolean; fired: number }[]) => faults.filter((f) => f.drop || f.dropResponse).reduce((n, f) => n + f.fired, 0);
      fired.brevoDrops += drops(harness.brevo.faults.list());
      fired.salesforceDrops += drops(harness.salesforce.faults.list());
      fired.spikes += harness.brevo.faults.list().filter((f) => f.latencyMs >= 3_000).reduce((n, f) => n + f.fired, 0);
      harness.brevo.faults.clear();
      harness.salesforce.faults.clear();
    };

    let salesforceRequests = 0;
    const runWithFaults = async () => {
      harness.salesforce.calls.reset();
      addFaults();
      const result = await syncSalesforceToBrevo(integration, deps);
      clearFaults();
      salesforceRequests += harness.salesforce.calls.snapshot().total;
      expect(result.error).toBeUndefined();
      expect(result.end).toBe('completed');
      return result;
    };

    const first = await runWithFaults();
    let operations = first.operations;
    const ids = (await harness.store.links.list(integration.id)).map((link) => link.salesforceId);
    for (let round = 1; round <= FAULT_RUNS; round += 1) {
      // The test's own edits go through without faults.
      const edited = ids.slice((round * 30) % (ids.length - 30)).slice(0, 30);
      await harness.conn.sobject('Contact').update(edited.map((Id, i) => ({ Id, Title: `Spiked ${round}.${i}` })));
      const next = await runWithFaults();
      expect(next.counts.updated).toBe(30);
      operations += next.operations;
    }

    expect(await listDifferences(harness, integration)).toEqual([]);
    expect(await harness.store.quota.used(integration.id, quotaMonth(new Date()))).toBe(operations);
    expect(operations).toBe(first.counts.created + 30 * FAULT_RUNS);
    // Bounded: a dropped connection costs exactly one more request, repeated by the engine's retry policy on
    // both sides (jsforce's own retries are off: packages/salesforce/src/transport.ts).
    expect(retries.filter((reason) => reason === 'network').length).toBe(fired.brevoDrops + fired.salesforceDrops);
    expect(salesforceRequests).toBe(calls.salesforce);
    expect(retries.filter((reason) => reason === 'timeout').length).toBeGreaterThanOrEqual(fired.spikes);
    expect(retries.filter((reason) => reason !== 'network' && reason !== 'timeout')).toEqual([]);
    expect(fired.spikes).toBe(1 + FAULT_RUNS);
    expect(fired.brevoDrops).toBeGreaterThanOrEqual(2 * (1 + FAULT_RUNS));
    expect(fired.salesforceDrops).toBeGreaterThanOrEqual(2 + FAULT_RUNS);
  }, 60_000 + FAULT_RUNS * 30_000);

  it('a lost answer to the next page of a Salesforce query: the locator is spent, the run fails, the next one resumes exactly', async () => {
    const integration = await createIntegration(harness);
    const deps = engineDeps(harness, { options: { pageSize: 200, chunkSize: 100, ...fastRetries } });
    // Salesforce: "Use each queryLocator value only one time" — jsforce's repeat of the page is refused.
    harness.salesforce.faults.add({ pathPrefix: '/services/data/v62.0/query/', dropResponse: true, times: 1 });
    const failed = await syncSalesforceToBrevo(integration, deps);
    expect(harness.salesforce.faults.list()[0]!.fired).toBe(1);
    expect(failed).toMatchObject({ end: 'failed', error: 'invalid query locator' });
    expect(failed.operations).toBeGreaterThan(0);
    const resumed = await syncSalesforceToBrevo(integration, deps);
    expect(resumed.end).toBe('completed');
    expect(await listDifferences(harness, integration)).toEqual([]);
    expect(await harness.store.quota.used(integration.id, quotaMonth(new Date()))).toBe(failed.operations + resumed.operations);
    expect(failed.operations + resumed.operations).toBe((await listMembers(harness.client, integration.listId)).length);
  }, 60_000);

  it('pauses on the Salesforce daily API limit and resumes when the window allows, losing nothing', async () => {
    const integration = await createIntegration(harness);
    const usage = async (body: object) =>
      fetch(`${harness.salesforce.url}/__sandbox/api-usage`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const limit = (await (await fetch(`${harness.salesforce.url}/__sandbox/api-usage`)).json()) as { limit: number };
    await usage({ used: limit.limit + limit.limit / 100 });
    // Every integration of the org shares its pause (the worker gives each run the org's).
    const salesforceOrg = sharedSalesforceLimits(harness.store.rateBudgets, `faults-${integration.id}`);
    const started = Date.now();
    const paused = await syncSalesforceToBrevo(integration, engineDeps(harness, { salesforceOrg }));
    expect(paused.end).toBe('paused');
    const state = await harness.store.state.get(integration.id);
    // As long as the org needs to get 1% of its allowance back, 1% over it: 2% of 24 hours at its average rate, capped at an hour.
    expect(dailyLimitPauseMs({ used: limit.limit * 1.01, limit: limit.limit }, 0)).toBe(Math.round(0.02 * 24 * 60 * 60_000));
    expect(state.pausedUntil!.getTime() - started).toBeGreaterThanOrEqual(dailyLimitPauseMs({ used: limit.limit * 1.01, limit: limit.limit }, 0) - 1_000);
    // While paused, runs do not start; another integration of the org does not start either, nor spends a call to learn it.
    expect((await syncSalesforceToBrevo(integration, engineDeps(harness, { salesforceOrg }))).runId).toBeNull();
    const sibling = { ...integration, id: `${integration.id.slice(0, -4)}beef` };
    harness.salesforce.calls.reset();
    expect((await syncSalesforceToBrevo(sibling, engineDeps(harness, { salesforceOrg }))).end).toBe('paused');
    expect(harness.salesforce.calls.snapshot().total).toBe(0);
    expect((await harness.store.state.get(sibling.id)).pausedUntil).toEqual(state.pausedUntil);

    await usage({ used: 0 });
    const later = new Date(state.pausedUntil!.getTime() + 1_000);
    const resumed = await syncSalesforceToBrevo(integration, engineDeps(harness, { now: () => later, salesforceOrg }));
    expect(resumed.end).toBe('completed');
    expect((await listMembers(harness.client, integration.listId)).length).toBe(resumed.counts.created);
  }, 60_000);

  it('a Brevo import that fails half-way: the run fails, the next one ends with the exact list and quota counted once', async () => {
    const integration = await createIntegration(harness);
    harness.brevo.imports.failure = { afterRows: 50, remaining: 1 };
    const failed = await syncSalesforceToBrevo(integration, engineDeps(harness));
    expect(failed.end).toBe('failed');
    const partial = await listMembers(harness.client, integration.listId);
    // The failure hits the first import; opted-out records go in an import of their own (blocklisted), which lands.
    expect(partial.filter((member) => (member as { emailBlacklisted?: boolean }).emailBlacklisted !== true).length).toBe(50);
    const resumed = await syncSalesforceToBrevo(integration, engineDeps(harness));
    expect(resumed.end).toBe('completed');
    const members = await listMembers(harness.client, integration.listId);
    const links = await harness.store.links.list(integration.id);
    expect(members.map((m) => m.attributes.EXT_ID).sort()).toEqual(links.map((l) => l.salesforceId).sort());
    expect(members.length).toBeGreaterThan(100);
    expect(await harness.store.quota.used(integration.id, quotaMonth(new Date()))).toBe(members.length);
  }, 60_000);
  it('paces itself by Brevo\'s rate-limit headers: a tight contacts limit slows the run, it still ends exactly', async () => {
    const integration = await createIntegration(harness);
    const saved = { ...harness.brevo.rateLimiter.options };
    harness.brevo.rateLimiter.options = { ...saved, enabled: true, overrides: { contacts: [{ limit: 2, seconds: 1 }] } };
    let throttled = 0;
    try {
      const first = await syncSalesforceToBrevo(integration, engineDeps(harness, { options: { retry: { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 50 } } }));
      expect(first.end).toBe('completed');
      const ids = (await harness.store.links.list(integration.id)).map((l) => l.salesforceId);
      expect(ids.length).toBeGreaterThan(100);
      harness.brevo.rateLimiter.options = { ...saved };
      for (let i = 0; i < ids.length; i += 200) await harness.conn.sobject('Contact').update(ids.slice(i, i + 200).map((Id) => ({ Id, Title: 'Paced' })));
      harness.brevo.rateLimiter.options = { ...saved, enabled: true, overrides: { contacts: [{ limit: 1, seconds: 1 }] } };
      harness.brevo.rateLimiter.reset();
      const started = Date.now();
      const second = await syncSalesforceToBrevo(
        integration,
        engineDeps(harness, { options: { retry: { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 50, onRetry: () => (throttled += 1) } } }),
      );
      expect(second.end).toBe('completed');
      expect(second.counts.updated).toBe(ids.length);
      // Two batch calls at one per second: the second waits for the reset the first answer announced.
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(throttled).toBe(0);
    } finally {
      harness.brevo.rateLimiter.options = saved;
    }
    const members = await listMembers(harness.client, integration.listId);
    expect(members.filter((m) => m.attributes.JOB_TITLE === 'Paced').length).toBeGreaterThan(100);
  }, 60_000);

  it('refreshes an expired access token; a revoked refresh token sets auth_error and loses nothing', async () => {
    const integration = await createIntegration(harness);
    await fetch(`${harness.salesforce.url}/__sandbox/tokens/expire`, { method: 'POST' });
    const refreshed = await runIntegration(integration, engineDeps(harness));
    expect(refreshed.salesforceToBrevo?.end).toBe('completed');

    await fetch(`${harness.salesforce.url}/__sandbox/tokens/revoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo@acme.test' }) });
    const revoked = await runIntegration(integration, engineDeps(harness));
    expect([revoked.brevoToSalesforce.end, revoked.salesforceToBrevo?.end]).toContain('auth_error');
    expect(harness.statuses.current.get(integration.id)).toBe('auth_error');
    const members = await listMembers(harness.client, integration.listId);
    expect(members.length).toBe(refreshed.salesforceToBrevo!.counts.created);
  }, 60_000);

  it('a Salesforce that keeps answering 503 costs one request per attempt of the retry policy, and the run fails in well under a second (jsforce retried each GET 5 more times: 18 requests, 15 s a call)', async () => {
    const integration = await createIntegration(harness);
    const deps = engineDeps(harness, { options: { retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 50 } } });
    harness.salesforce.faults.add({ pathPrefix: '/services/data', status: 503 });
    const started = Date.now();
    const result = await syncSalesforceToBrevo(integration, deps);
    const elapsedMs = Date.now() - started;
    expect(result.error).toBeDefined();
    expect(harness.salesforce.faults.list()[0]!.fired).toBe(3);
    expect(elapsedMs).toBeLessThan(5_000);
  }, 60_000);
});
