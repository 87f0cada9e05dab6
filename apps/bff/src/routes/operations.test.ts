import { API_ERRORS, ROUTES, type RouteDefinition } from '@contact-sync/api';
import { accountRepository } from '@contact-sync/store';
import { useTestDatabase } from '@contact-sync/testing';
import mongoose from 'mongoose';
import pino from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { createMetrics } from '../metrics.ts';
import { bearer, useTestBff } from '../test-support.ts';

const db = useTestDatabase('bff_ops');
const bff = useTestBff(db);

function collectRefs(value: unknown, refs: Set<string>): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => collectRefs(item, refs));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') refs.add(item);
      else collectRefs(item, refs);
    }
  }
  return refs;
}

describe('OpenAPI document', () => {
  it('is served as JSON, lists every route, and every $ref resolves', async () => {
    const response = await request(bff.app).get('/api/v1/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    const document = JSON.parse(response.text);
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: bff.config.BFF_PUBLIC_URL }]);
    const operations = Object.values(document.paths as Record<string, Record<string, { operationId: string }>>).flatMap((item) =>
      Object.values(item).map((op) => op.operationId),
    );
    expect(operations.sort()).toEqual((Object.values(ROUTES) as RouteDefinition[]).map((r) => r.operationId).sort());
    for (const ref of collectRefs(document, new Set())) {
      const [, , section, name] = ref.split('/');
      expect(document.components[section!][name!], ref).toBeDefined();
    }
    for (const code of Object.keys(API_ERRORS)) expect(document.info.description).toContain(code);
  });
});

describe('operations', () => {
  it('answers /healthz, /readyz and /metrics', async () => {
    expect((await request(bff.app).get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await request(bff.app).get('/readyz')).body).toEqual({ status: 'ready' });
    await request(bff.app).get('/api/v1/session').set(bearer(await bff.token()));
    const metrics = await request(bff.app).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('bff_http_request_duration_seconds_bucket{le="0.01",method="GET",route="/api/v1/session",status="200"}');
  });

  it('is not ready while the database is unreachable', async () => {
    const closed = await mongoose.createConnection(db.uri).asPromise();
    await closed.close();
    const app = createApp({ config: bff.config, connection: closed, secrets: bff.secrets, logger: pino({ level: 'silent' }), metrics: createMetrics({ defaultMetrics: false }) });
    const response = await request(app).get('/readyz');
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('service_unavailable');
  });

  it('sets security headers: frame-ancestors is the allowed host origins only', async () => {
    const response = await request(bff.app).get('/healthz');
    const csp = response.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('frame-ancestors http://localhost:5170');
    expect(csp).not.toContain('localhost:5180');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('allows CORS from the microfrontend and host origins only, without credentials', async () => {
    for (const origin of ['http://localhost:5180', 'http://localhost:5170']) {
      const preflight = await request(bff.app).options('/api/v1/integrations').set('origin', origin).set('access-control-request-method', 'POST');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(origin);
      expect(preflight.headers['access-control-allow-headers']).toContain('Authorization');
      expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    }
    const evil = await request(bff.app).get('/healthz').set('origin', 'https://evil.test');
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    // A preflight from another origin, or an OPTIONS without one, is answered without CORS headers, and without
    // the router's own answer that would list the path's methods.
    for (const origin of ['https://evil.test', undefined]) {
      const probe = request(bff.app).options('/api/v1/integrations').set('access-control-request-method', 'DELETE');
      const answer = await (origin ? probe.set('origin', origin) : probe);
      expect(answer.status).toBe(204);
      expect(answer.text).toBe('');
      expect(answer.headers.allow).toBeUndefined();
      expect(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });
});

describe('request hygiene: one error shape', () => {
  it('answers unknown routes with a JSON 404', async () => {
    const response = await request(bff.app).get('/api/v1/nope');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: { code: 'not_found', message: 'Not found.' } });
  });

  it('refuses malformed JSON and oversized bodies', async () => {
    const token = await bff.token();
    const malformed = await request(bff.app).post('/api/v1/integrations').set(bearer(token)).set('content-type', 'application/json').send('{"kind":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_json');
    const huge = await request(bff.app).post('/api/v1/integrations').set(bearer(token)).send({ kind: 'salesforce-leads', name: 'x'.repeat(200_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
    const wrongType = await request(bff.app).post('/api/v1/integrations').set(bearer(token)).set('content-type', 'text/plain').send('hello');
    expect(wrongType.status).toBe(422);
  });

  it('limits requests per account', async () => {
    const app = createApp({
      config: { ...bff.config, RATE_LIMIT_PER_MINUTE: 3 },
      connection: db.connection,
      secrets: bff.secrets,
      logger: pino({ level: 'silent' }),
      metrics: createMetrics({ defaultMetrics: false }),
    });
    const a = await bff.token({ accountId: 'acc_limited' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await request(app).get('/api/v1/integrations').set(bearer(a))).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await request(app).get('/api/v1/integrations').set(bearer(a));
    expect(limited.body.error.code).toBe('rate_limited');
    // Another account is not affected.
    expect((await request(app).get('/api/v1/integrations').set(bearer(await bff.token({ accountId: 'acc_other' })))).status).toBe(200);
  });

  it('hides internals of unexpected errors behind a generic 500', async () => {
    const app = createApp({
      config: bff.config,
      connection: db.connection,
      secrets: bff.secrets,
      logger: pino({ level: 'silent' }),
      metrics: createMetrics({ defaultMetrics: false }),
      syncFacts: {
        quota: async () => {
          throw new Error('secret internal detail at /srv/x.ts:12');
        },
        forIntegrations: async () => {
          throw new Error('secret internal detail at /srv/x.ts:12');
        },
        changeDelivery: async () => {
          throw new Error('secret internal detail at /srv/x.ts:12');
        },
      },
    });
    const token = await bff.token({ accountId: 'acc_500' });
    await request(bff.app).post('/api/v1/integrations').set(bearer(token)).send({ kind: 'salesforce-leads', name: 'Boom' });
    const response = await request(app).get('/api/v1/integrations').set(bearer(token));
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: { code: 'internal_error', message: 'An unexpected error occurred.' } });
    expect(response.text).not.toContain('secret internal detail');
  });
});

describe('admin API', () => {
  it('sets an account Brevo key with the admin secret only', async () => {
    const url = '/admin/v1/accounts/acc_admin/brevo';
    expect((await request(bff.app).put(url).send({ apiKey: 'xkeysib-sandbox-demo' })).status).toBe(401);
    expect((await request(bff.app).put(url).set(bearer(await bff.token())).send({ apiKey: 'xkeysib-sandbox-demo' })).status).toBe(401);
    const invalid = await request(bff.app).put(url).set(bearer(bff.config.ADMIN_SECRET)).send({ apiKey: 'xkeysib-sandbox-demo', extra: true });
    expect(invalid.status).toBe(422);
    const ok = await request(bff.app).put(url).set(bearer(bff.config.ADMIN_SECRET)).send({ apiKey: 'xkeysib-sandbox-demo', notificationEmail: 'ops@acme.test' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ accountId: 'acc_admin', brevoConfigured: true, notificationEmail: 'ops@acme.test' });
    expect(ok.text).not.toContain('xkeysib');

    const lists = await request(bff.app).get('/api/v1/brevo/lists').set(bearer(await bff.token({ accountId: 'acc_admin' })));
    expect(lists.status).toBe(200);

    expect(ok.body.brevoApiKeyName).toBeNull();

    // The key's name goes with the key: set with it, cleared by a key set without one; never blank or with control characters.
    const named = await request(bff.app).put(url).set(bearer(bff.config.ADMIN_SECRET)).send({ apiKey: 'xkeysib-sandbox-demo', apiKeyName: '  Contact sync ' });
    expect(named.body).toMatchObject({ brevoApiKeyName: 'Contact sync', notificationEmail: 'ops@acme.test' });
    for (const apiKeyName of ['', '   ', 'a\nb', 'x'.repeat(129), 42]) {
      const refused = await request(bff.app).put(url).set(bearer(bff.config.ADMIN_SECRET)).send({ apiKey: 'xkeysib-sandbox-demo', apiKeyName });
      expect(refused.status, JSON.stringify(apiKeyName)).toBe(422);
    }
    expect((await accountRepository(db.connection, bff.secrets).find('acc_admin'))?.brevoApiKeyName).toBe('Contact sync');

    const rejected = await request(bff.app).put(url).set(bearer(bff.config.ADMIN_SECRET)).send({ apiKey: 'xkeysib-refused-by-brevo' });
    expect(rejected.body.brevoApiKeyName).toBeNull();
    expect(rejected.status).toBe(200);
    const refusedLists = await request(bff.app).get('/api/v1/brevo/lists').set(bearer(await bff.token({ accountId: 'acc_admin' })));
    expect(refusedLists.status).toBe(409);
    expect(refusedLists.body.error.code).toBe('brevo_key_rejected');
  });
});

describe('database outage', () => {
  it('answers 503 service_unavailable (not a 500) while the database is unreachable', async () => {
    const closed = await mongoose.createConnection(db.uri, { bufferCommands: false }).asPromise();
    await closed.close();
    const app = createApp({ config: bff.config, connection: closed, secrets: bff.secrets, logger: pino({ level: 'silent' }), metrics: createMetrics({ defaultMetrics: false }) });
    const response = await request(app).get('/api/v1/integrations').set(bearer(await bff.token()));
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('service_unavailable');
    expect(response.headers['retry-after']).toBe('5');
  });
});
