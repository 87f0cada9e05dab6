import { buildOpenApiDocument } from '@contact-sync/api/openapi';
import { createSyncStore } from '@contact-sync/store';
import { useTestDatabase } from '@contact-sync/testing';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, useTestBff } from './test-support.ts';

// Requests a client gets wrong before any route logic runs: a path that does not percent-decode, a body that
// does not decode as its Content-Encoding says, an encoding or charset the parser does not read. Each answers a
// documented 4xx in the API's error shape on every route family, and none is logged as a server error.
// Before (issue 12), each of these answered 500, some before authentication.
const db = useTestDatabase('bff_malformed');
const bff = useTestBff(db);
const WEBHOOK_ID = '665f1c2b9a1e4b00aaaabbbb';
const WEBHOOK_SECRET = 'malformed-requests-webhook-secret-0123';
const document = buildOpenApiDocument({ serverUrl: 'http://bff.test' });

beforeAll(async () => {
  await createSyncStore(db.connection.db!).state.setWebhook(WEBHOOK_ID, 1, { v: 1 }, createHash('sha256').update(WEBHOOK_SECRET).digest('hex'));
});

/** Bytes that are not what their Content-Encoding says. */
const JUNK = Buffer.from('this is not compressed at all');
const TRUNCATED_GZIP = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xab, 0x56]);

interface Case {
  family: 'API' | 'webhook' | 'admin' | 'callback';
  label: string;
  /** The operation's path in the OpenAPI document, and its method. */
  operation: [path: string, method: 'get' | 'post' | 'put'];
  send: () => request.Test;
  status: number;
  /** The error code, for an error status. */
  code?: string;
}

const BAD_PATH = '%E0%A4%A';

function withBody(method: 'post' | 'put', path: string, auth: Record<string, string>, headers: Record<string, string>, body: Buffer) {
  return () => request(bff.app)[method](path).set(auth).set({ 'content-type': 'application/json', ...headers }).send(body);
}

function cases(token: string): Case[] {
  const user = bearer(token);
  const admin = bearer(bff.config.ADMIN_SECRET);
  const brevo = bearer(WEBHOOK_SECRET);
  const create = ['/api/v1/integrations', 'post'] as Case['operation'];
  const webhook = ['/api/v1/webhooks/brevo/{integrationId}', 'post'] as Case['operation'];
  const adminKey = ['/admin/v1/accounts/{accountId}/brevo', 'put'] as Case['operation'];
  const malformed = { status: 400, code: 'malformed_request' };
  const unsupported = { status: 415, code: 'unsupported_media_type' };
  return [
    { family: 'API', label: 'a path that does not decode, without a token', operation: ['/api/v1/integrations/{id}', 'get'], send: () => request(bff.app).get(`/api/v1/integrations/${BAD_PATH}`), ...malformed },
    { family: 'API', label: 'a path that does not decode', operation: ['/api/v1/integrations/{id}', 'get'], send: () => request(bff.app).get(`/api/v1/integrations/${BAD_PATH}`).set(user), ...malformed },
    { family: 'API', label: 'gzip junk', operation: create, send: withBody('post', '/api/v1/integrations', user, { 'content-encoding': 'gzip' }, JUNK), ...malformed },
    { family: 'API', label: 'a truncated gzip body', operation: create, send: withBody('post', '/api/v1/integrations', user, { 'content-encoding': 'gzip' }, TRUNCATED_GZIP), ...malformed },
    { family: 'API', label: 'deflate junk', operation: create, send: withBody('post', '/api/v1/integrations', user, { 'content-encoding': 'deflate' }, JUNK), ...malformed },
    { family: 'API', label: 'br junk', operation: create, send: withBody('post', '/api/v1/integrations', user, { 'content-encoding': 'br' }, JUNK), ...malformed },
    { family: 'API', label: 'an unknown Content-Encoding', operation: create, send: withBody('post', '/api/v1/integrations', user, { 'content-encoding': 'zstd-9000' }, JUNK), ...unsupported },
    { family: 'API', label: 'an unknown charset', operation: create, send: withBody('post', '/api/v1/integrations', user, { 'content-type': 'application/json; charset=klingon' }, Buffer.from('{}')), ...unsupported },
    { family: 'webhook', label: 'a path that does not decode', operation: webhook, send: withBody('post', `/api/v1/webhooks/brevo/${BAD_PATH}`, {}, {}, Buffer.from('{}')), ...malformed },
    { family: 'webhook', label: 'gzip junk', operation: webhook, send: withBody('post', `/api/v1/webhooks/brevo/${WEBHOOK_ID}`, brevo, { 'content-encoding': 'gzip' }, JUNK), ...malformed },
    { family: 'webhook', label: 'an unknown Content-Encoding', operation: webhook, send: withBody('post', `/api/v1/webhooks/brevo/${WEBHOOK_ID}`, brevo, { 'content-encoding': 'compress' }, JUNK), ...unsupported },
    { family: 'admin', label: 'a path that does not decode, without the secret', operation: adminKey, send: withBody('put', `/admin/v1/accounts/${BAD_PATH}/brevo`, {}, {}, Buffer.from('{}')), ...malformed },
    { family: 'admin', label: 'gzip junk', operation: adminKey, send: withBody('put', '/admin/v1/accounts/acc_x/brevo', admin, { 'content-encoding': 'gzip' }, JUNK), ...malformed },
    // The query is decoded leniently (a value that does not decode stays as sent): the page relays it.
    { family: 'callback', label: 'a state that does not decode', operation: ['/api/v1/oauth/salesforce/callback', 'get'], send: () => request(bff.app).get(`/api/v1/oauth/salesforce/callback?state=${BAD_PATH}&code=x`), status: 200 },
  ];
}

describe('malformed requests on every route family', () => {
  it('answer a documented 4xx in the API error shape, and none is logged as a server error', async () => {
    const logsBefore = bff.logs.length;
    for (const c of cases(await bff.token())) {
      const response = await c.send();
      const where = `${c.family}: ${c.label}`;
      expect(response.status, `${where}: ${response.text.slice(0, 200)}`).toBe(c.status);
      const [path, method] = c.operation;
      expect(Object.keys(document.paths?.[path]?.[method]?.responses ?? {}), where).toContain(String(c.status));
      if (c.code) expect(response.body.error.code, where).toBe(c.code);
    }
    const serverErrors = bff.logs.slice(logsBefore).filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    expect(serverErrors).toEqual([]);
  });

  it('still reads a body that is what its Content-Encoding says', async () => {
    // Over a real socket: supertest re-encodes a Buffer sent as JSON.
    const server = bff.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const created = await fetch(`http://127.0.0.1:${port}/api/v1/integrations`, {
        method: 'POST',
        headers: { ...bearer(await bff.token()), 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync(JSON.stringify({ kind: 'salesforce-leads', name: 'Compressed' })),
      });
      expect(created.status).toBe(201);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
