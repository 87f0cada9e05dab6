import { SALESFORCE_AUTHORIZED_MESSAGE, type ChangeDeliveryDto, type SalesforceAuthorizedMessage } from '@contact-sync/api';
import { signHostToken, type HostTokenClaimsInput } from '@contact-sync/api/host-token';
import { startSandbox as startBrevoSandbox, type StartedSandbox as StartedBrevo } from '@contact-sync/sandbox-brevo';
import { startSandbox as startSalesforceSandbox, submitLogin, type StartedSandbox as StartedSalesforce } from '@contact-sync/sandbox-salesforce';
import { secretBoxFromEnv, type SecretBox } from '@contact-sync/secrets';
import { accountRepository, ensureBffIndexes } from '@contact-sync/store';
import type { TestDatabase } from '@contact-sync/testing';
import type { Express } from 'express';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, expect } from 'vitest';
import { createApp } from './app.ts';
import { loadBffConfig, oauthCallbackUrl, type BffConfig } from './config.ts';
import { NO_RUN_FACTS, type BffDeps, type IntegrationHooks, type RunFacts, type SyncFacts } from './context.ts';
import { createLogger } from './logger.ts';
import { createMetrics } from './metrics.ts';

/**
 * One BFF for a test file: its own database, both sandboxes in-process on
 * free ports, every log line kept in memory (to scan for secrets), and
 * responses checked against their documented schemas.
 */
export const TEST_JWT_SECRET = 'test-host-jwt-secret-with-32-chars-min!';
export const DEMO_BREVO_KEY = 'xkeysib-sandbox-demo';
export const PUBLIC_URL = 'http://bff.test:4000';

export interface TestBff {
  app: Express;
  config: BffConfig;
  secrets: SecretBox;
  salesforce: StartedSalesforce;
  brevo: StartedBrevo;
  logs: string[];
  hooks: Required<IntegrationHooks> & { calls: string[] };
  facts: { quota: Map<string, { used: number; limit: number }>; runs: Map<string, RunFacts>; changeDelivery: Map<string, ChangeDeliveryDto> };
  token(claims?: Partial<HostTokenClaimsInput>, options?: { ttlSeconds?: number; now?: number }): Promise<string>;
}

export function useTestBff(db: TestDatabase, overrides: Record<string, string> = {}, deps: Pick<BffDeps, 'listCache'> = {}): TestBff {
  const harness = { logs: [] as string[] } as TestBff;

  beforeAll(async () => {
    for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[name];
    const callback = oauthCallbackUrl({ BFF_PUBLIC_URL: PUBLIC_URL });
    harness.salesforce = await startSalesforceSandbox({ redirectUris: [callback] });
    harness.brevo = await startBrevoSandbox();
    harness.config = loadBffConfig({
      NODE_ENV: 'test',
      MONGODB_URI: db.uri,
      BFF_PUBLIC_URL: PUBLIC_URL,
      HOST_JWT_SECRET: TEST_JWT_SECRET,
      SALESFORCE_LOGIN_URL: harness.salesforce.url,
      BREVO_API_URL: harness.brevo.baseUrl,
      ENCRYPTION_KEYS: `t1:${randomBytes(32).toString('base64')}`,
      ENCRYPTION_KEY_ID: 't1',
      ADMIN_SECRET: 'test-admin-secret-0123456789abcdef0123',
      DEMO_SEED: 'false',
      LOG_LEVEL: 'debug',
      RATE_LIMIT_PER_MINUTE: '10000',
      // Tests send many deliveries and forged calls a minute; the limits have tests of their own.
      WEBHOOK_RATE_LIMIT_PER_MINUTE: '100000',
      WEBHOOK_AUTH_FAILURES_PER_MINUTE: '100000',
      ...overrides,
    });
    harness.secrets = secretBoxFromEnv(harness.config.ENCRYPTION_KEYS, harness.config.ENCRYPTION_KEY_ID);
    await ensureBffIndexes(db.connection);
    await accountRepository(db.connection, harness.secrets).setBrevoKey('acc_demo', { apiKey: DEMO_BREVO_KEY, notificationEmail: 'marketing@acme.test' });

    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        harness.logs.push(chunk.toString('utf8'));
        done();
      },
    });
    const calls: string[] = [];
    harness.hooks = {
      calls,
      onActivated: (i) => void calls.push(`activated:${i._id.toHexString()}`),
      onPaused: (i) => void calls.push(`paused:${i._id.toHexString()}`),
      onDeleted: (i) => void calls.push(`deleted:${i._id.toHexString()}`),
    };
    harness.facts = { quota: new Map(), runs: new Map(), changeDelivery: new Map() };
    const syncFacts: SyncFacts = {
      quota: async (id) => harness.facts.quota.get(id) ?? { used: 0, limit: 100_000 },
      forIntegrations: async (ids) =>
        new Map(ids.map((id) => [id, { quota: harness.facts.quota.get(id) ?? { used: 0, limit: 100_000 }, runs: harness.facts.runs.get(id) ?? NO_RUN_FACTS }])),
      changeDelivery: async (integration) => harness.facts.changeDelivery.get(integration._id.toHexString()) ?? null,
    };
    harness.app = createApp({
      config: harness.config,
      connection: db.connection,
      secrets: harness.secrets,
      logger: createLogger('debug', sink),
      metrics: createMetrics({ defaultMetrics: false }),
      hooks: harness.hooks,
      syncFacts,
      validateResponses: true,
      ...deps,
    });
    harness.token = (claims = {}, options = {}) =>
      signHostToken(
        { sub: 'user_1', accountId: 'acc_demo', plan: 'BrevoPlus', email: 'owner@acme.test', locale: 'en', ...claims },
        { secret: TEST_JWT_SECRET, issuer: harness.config.HOST_JWT_ISSUER, audience: harness.config.HOST_JWT_AUDIENCE, ...options },
      );
  });

  afterAll(async () => {
    await harness.salesforce?.server.close();
    await harness.brevo?.stop();
  });

  return harness;
}

/** Reads the message the callback page relays to its opener. */
export function relayedMessage(html: string): SalesforceAuthorizedMessage {
  const match = /var message = (\{.*?\});/.exec(html);
  expect(match, 'callback page carries a message').not.toBeNull();
  const message = JSON.parse(match![1]!) as SalesforceAuthorizedMessage;
  expect(message.type).toBe(SALESFORCE_AUTHORIZED_MESSAGE);
  return message;
}

/** What the opener's completion answered: the connection is stored, or why not. */
export type ConnectOutcome = { ok: true } | { ok: false; error: string };

/**
 * The real popup flow over HTTP: ask the BFF for the authorize URL (as the
 * host user of `token`), post the sandbox's login form, follow Salesforce's
 * redirect to the BFF callback, read what the page relays to its opener, and
 * complete the connection as that opener does, with `completingToken` (the
 * same user unless a test says otherwise).
 */
export async function connectSalesforce(bff: TestBff, token: string, integrationId: string, username = 'demo@acme.test', completingToken = token) {
  const start = await request(bff.app).post(`/api/v1/integrations/${integrationId}/salesforce/connect`).set('authorization', `Bearer ${token}`);
  expect(start.status).toBe(200);
  const login = await submitLogin(start.body.authorizeUrl as string, username, 'demo1234');
  expect(login.status).toBe(302);
  const redirect = new URL(login.location!);
  expect(`${redirect.origin}${redirect.pathname}`).toBe(oauthCallbackUrl(bff.config));
  const callback = await request(bff.app).get(`${redirect.pathname}${redirect.search}`);
  expect(callback.status).toBe(200);
  const relayed = relayedMessage(callback.text);
  const completion = await request(bff.app)
    .post(`/api/v1/integrations/${integrationId}/salesforce/complete`)
    .set('authorization', `Bearer ${completingToken}`)
    .send({ state: relayed.state, code: relayed.code });
  const outcome: ConnectOutcome = completion.status === 200 ? { ok: true } : { ok: false, error: String(completion.body?.error?.code) };
  return { outcome, completion, relayed, callback, redirect, authorizeUrl: start.body.authorizeUrl as string };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
