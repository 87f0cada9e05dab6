import { ROUTES, type RouteDefinition } from '@contact-sync/api';
import { useTestDatabase } from '@contact-sync/testing';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, connectSalesforce, useTestBff } from './test-support.ts';

const db = useTestDatabase('bff_tenancy');
const bff = useTestBff(db);
let tokenA: string;
let tokenB: string;
let idA: string;

/** A body each route would accept, so only tenancy can refuse it. */
const BODIES: Partial<Record<string, unknown>> = {
  updateIntegration: { name: 'Taken over' },
  putConsent: { optIn: true },
  putMapping: { mapping: { EMAIL: 'Email' } },
  putList: { listId: 1 },
  completeSalesforceConnect: { state: 'a-state-of-its-own', code: 'a-code' },
};

const integrationRoutes = (Object.values(ROUTES) as RouteDefinition[]).filter((route) => route.path.includes('/integrations/:id'));

beforeAll(async () => {
  tokenA = await bff.token({ accountId: 'acc_demo', sub: 'user_a' });
  tokenB = await bff.token({ accountId: 'acc_b', sub: 'user_b' });
  const created = await request(bff.app).post('/api/v1/integrations').set(bearer(tokenA)).send({ kind: 'salesforce-contacts', name: 'A only' });
  idA = created.body.id;
  await connectSalesforce(bff, tokenA, idA);
  await request(bff.app).put(`/api/v1/integrations/${idA}/consent`).set(bearer(tokenA)).send({ optIn: true });
  await request(bff.app).put(`/api/v1/integrations/${idA}/mapping`).set(bearer(tokenA)).send({ mapping: { EMAIL: 'Email' } });
});

async function snapshot() {
  const all = async (name: string) => db.connection.db!.collection(name).find({}).sort({ _id: 1 }).toArray();
  return JSON.stringify([await all('integrations'), await all('oauth_states'), await all('salesforce_slots'), await all('sync_states')]);
}

describe("tenancy: account B never sees or changes account A's integration", () => {
  it('covers every integration route of the API', () => {
    expect(integrationRoutes.map((r) => r.operationId).sort()).toEqual(
      [
        'activateIntegration', 'deleteIntegration', 'getIntegration', 'getMappingOptions', 'pauseIntegration', 'putConsent',
        'putList', 'putMapping', 'resumeIntegration', 'startSalesforceConnect', 'completeSalesforceConnect', 'updateIntegration',
        'getPreview', 'syncNow', 'listRuns', 'listRecordErrors', 'retryRecordErrors',
      ].sort(),
    );
  });

  it.each(integrationRoutes.map((route) => [route.operationId, route] as const))('%s → 404, nothing changed', async (operationId, route) => {
    const before = await snapshot();
    const path = route.path.replace(':id', idA);
    let call = request(bff.app)[route.method](path).set(bearer(tokenB));
    if (BODIES[operationId] !== undefined) call = call.send(BODIES[operationId] as object);
    const response = await call;
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
    expect(await snapshot()).toBe(before);
  });

  it("does not list A's integration to B, nor let B take its name", async () => {
    const list = await request(bff.app).get('/api/v1/integrations').set(bearer(tokenB));
    expect(list.body.integrations).toEqual([]);
    const same = await request(bff.app).post('/api/v1/integrations').set(bearer(tokenB)).send({ kind: 'salesforce-contacts', name: 'A only' });
    expect(same.status).toBe(201);
  });

  it("answers the same 404 for an unknown id and a malformed one", async () => {
    for (const id of ['000000000000000000000000', 'not-an-id', '{"$ne":null}']) {
      const response = await request(bff.app).get(`/api/v1/integrations/${encodeURIComponent(id)}`).set(bearer(tokenA));
      expect(response.status).toBe(404);
    }
  });

  it('still lets A use it', async () => {
    const response = await request(bff.app).get(`/api/v1/integrations/${idA}`).set(bearer(tokenA));
    expect(response.status).toBe(200);
    expect(response.body.name).toBe('A only');
  });
});
