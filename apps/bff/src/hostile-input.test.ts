import { useTestDatabase } from '@contact-sync/testing';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { bearer, useTestBff } from './test-support.ts';

const db = useTestDatabase('bff_hostile');
const bff = useTestBff(db);

describe('hostile input is stored as data and answered as data', () => {
  it.each([
    ['NUL byte', 'a\u0000b'],
    ['HTML', '<img src=x onerror=alert(1)>'],
    ['emoji', 'Leads 🚀🇮🇹'],
    ['dollar key look-alike', '$where'],
    ['prototype key', '__proto__'],
    ['dotted', 'a.b.c'],
  ])('%s as a name', async (_label, name) => {
    const token = await bff.token();
    const created = await request(bff.app).post('/api/v1/integrations').set(bearer(token)).send({ kind: 'salesforce-leads', name });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe(name);
    const read = await request(bff.app).get(`/api/v1/integrations/${created.body.id}`).set(bearer(token));
    expect(read.body.name).toBe(name);
    expect(read.headers['content-type']).toMatch(/^application\/json/);
  });

  it('refuses a name with a text-direction override (R2), on create and on rename', async () => {
    const token = await bff.token();
    const spoof = 'Leads\u202Efdp.exe';
    const created = await request(bff.app).post('/api/v1/integrations').set(bearer(token)).send({ kind: 'salesforce-leads', name: spoof });
    expect(created.status).toBe(422);
    expect(created.body.error.details.issues[0]).toMatchObject({ code: 'name_direction_control', field: 'name' });
    const plain = await request(bff.app).post('/api/v1/integrations').set(bearer(token)).send({ kind: 'salesforce-leads', name: 'Leads EU' });
    const renamed = await request(bff.app).patch(`/api/v1/integrations/${plain.body.id}`).set(bearer(token)).send({ name: 'EU \u2067Leads' });
    expect(renamed.status).toBe(422);
  });

  it('refuses operator objects where strings are expected', async () => {
    const token = await bff.token();
    for (const body of [{ kind: 'salesforce-leads', name: { $ne: null } }, { kind: { $gt: '' }, name: 'x' }, { name: ['a'] }]) {
      const response = await request(bff.app).post('/api/v1/integrations').set(bearer(token)).send(body);
      expect(response.status).toBe(422);
    }
    const patch = await request(bff.app).patch('/api/v1/integrations/%7B%22%24ne%22%3Anull%7D').set(bearer(token)).send({ name: 'x' });
    expect(patch.status).toBe(404);
  });

  it('answers query arrays and odd parameters with 422, never 500', async () => {
    const token = await bff.token();
    expect((await request(bff.app).get('/api/v1/brevo/lists?offset=1&offset=2').set(bearer(token))).status).toBe(422);
    expect((await request(bff.app).get('/api/v1/brevo/lists?limit=-1').set(bearer(token))).status).toBe(422);
    expect((await request(bff.app).get('/api/v1/oauth/salesforce/callback?state=a&state=b')).status).toBe(422);
    expect((await request(bff.app).get(`/api/v1/oauth/salesforce/callback?state=${'x'.repeat(300)}`)).status).toBe(422);
  });
});
