import { createBrevoClient } from '@contact-sync/brevo';
import { createIssue, RuleCode } from '@contact-sync/rules';
import { createSyncStore, integrationRepository, type IntegrationDoc, type SyncStore } from '@contact-sync/store';
import { recordErrorOf, registerIntegrationWebhook } from '@contact-sync/sync';
import { useTestDatabase } from '@contact-sync/testing';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSyncHooks } from './sync-hooks.ts';
import { DEMO_BREVO_KEY, PUBLIC_URL, useTestBff } from './test-support.ts';

const db = useTestDatabase('bff_sync_hooks');
const bff = useTestBff(db);
let store: SyncStore;
let integration: IntegrationDoc;
let id: string;
const SECRET = 'known-webhook-secret-0123456789';

beforeAll(async () => {
  store = createSyncStore(db.connection.db!);
  integration = await integrationRepository(db.connection, bff.secrets).create({ accountId: 'acc_demo', kind: 'salesforce-contacts', name: 'Hooked' });
  id = integration._id.toHexString();
});

describe('BFF lifecycle hooks → sync engine (main.ts wires these)', () => {
  it('activation leaves a Sync now request for the workers', async () => {
    const hooks = createSyncHooks({ config: bff.config, connection: db.connection, secrets: bff.secrets });
    await hooks.onActivated!(integration);
    expect((await store.state.syncRequests()).map((r) => r.integrationId)).toContain(id);
  });

  it('delete unregisters the Brevo webhook (its calls are then refused) and removes the sync records', async () => {
    const brevo = createBrevoClient({ apiKey: DEMO_BREVO_KEY, baseUrl: bff.brevo.baseUrl });
    const webhookId = await registerIntegrationWebhook(id, { brevo, store, secrets: bff.secrets, bffPublicUrl: PUBLIC_URL });
    const run = await store.runs.start(id, 'salesforce_to_brevo', true, new Date());
    await store.errors.addMany([
      recordErrorOf(createIssue(RuleCode.Duplicate, 'Email', { attribute: 'EMAIL' }), 'error', {
        integrationId: id, runId: run._id, direction: 'salesforce_to_brevo', object: 'Contact', salesforceId: '003000000000001AAA', at: new Date(),
      }),
    ]);
    expect((await brevo.webhooks.getWebhook({ webhookId })).id).toBe(webhookId);
    // A secret the test knows, to see the receiver accept it before the delete and refuse it after.
    await store.state.setWebhook(id, webhookId, { v: 1 }, createHash('sha256').update(SECRET).digest('hex'));
    const deliver = () =>
      request(bff.app).post(`/api/v1/webhooks/brevo/${id}`).set('authorization', `Bearer ${SECRET}`).send({ event: 'contact_updated', email: 'a@b.test', ts: 1 });
    expect((await deliver()).status).toBe(200);

    const hooks = createSyncHooks({ config: bff.config, connection: db.connection, secrets: bff.secrets });
    await hooks.onDeleted!(integration);

    await expect(brevo.webhooks.getWebhook({ webhookId })).rejects.toMatchObject({ statusCode: 404 });
    expect(await store.state.find(id)).toBeNull();
    expect(await store.runs.list(id)).toEqual([]);
    expect(await store.errors.listForIntegration(id)).toEqual([]);
    expect(await store.events.countPending(id)).toBe(0);
    expect((await deliver()).status).toBe(401);
  });

  it('delete with Brevo unreachable still removes every sync record, and names the webhook left behind', async () => {
    const other = await integrationRepository(db.connection, bff.secrets).create({ accountId: 'acc_demo', kind: 'salesforce-contacts', name: 'Hooked, Brevo down' });
    const otherId = other._id.toHexString();
    const brevo = createBrevoClient({ apiKey: DEMO_BREVO_KEY, baseUrl: bff.brevo.baseUrl });
    const webhookId = await registerIntegrationWebhook(otherId, { brevo, store, secrets: bff.secrets, bffPublicUrl: PUBLIC_URL });
    await store.runs.start(otherId, 'salesforce_to_brevo', true, new Date());
    const faults = `${bff.brevo.url}/__sandbox/faults`;
    const armed = await fetch(faults, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pathPrefix: '/v3/webhooks', method: 'DELETE', status: 503 }) });
    expect(armed.status).toBeLessThan(300);
    try {
      const hooks = createSyncHooks({ config: bff.config, connection: db.connection, secrets: bff.secrets });
      await expect(hooks.onDeleted!(other)).rejects.toThrow(new RegExp(`webhook ${webhookId} of deleted integration ${otherId}`));
    } finally {
      await fetch(faults, { method: 'DELETE' });
    }
    expect(await store.state.find(otherId)).toBeNull();
    expect(await store.runs.list(otherId)).toEqual([]);
    const delivered = await request(bff.app).post(`/api/v1/webhooks/brevo/${otherId}`).set('authorization', 'Bearer anything').send({ event: 'contact_updated', email: 'a@b.test', ts: 1 });
    expect(delivered.status).toBe(401);
  });
});
