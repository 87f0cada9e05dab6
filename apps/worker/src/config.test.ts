import { ConfigError } from '@contact-sync/config';
import { DEV_ENCRYPTION_KEYS } from '@contact-sync/secrets';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from './config.ts';

const problems = (env: Record<string, string>) => {
  try {
    loadWorkerConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => p.variable).sort();
  }
  throw new Error('expected a ConfigError');
};

const DEV_KEY_BYTES = DEV_ENCRYPTION_KEYS.split(':')[1]!;
/** A production configuration that passes; each case below changes one variable. */
const PRODUCTION = {
  MONGODB_URI: 'mongodb://h/db',
  NODE_ENV: 'production',
  SALESFORCE_CLIENT_SECRET: randomBytes(32).toString('hex'),
  ENCRYPTION_KEYS: `prod1:${randomBytes(32).toString('base64')}`,
  ENCRYPTION_KEY_ID: 'prod1',
};

describe('worker configuration', () => {
  it('keeps the development defaults outside production', () => {
    expect(loadWorkerConfig({ MONGODB_URI: 'mongodb://h/db' }).NODE_ENV).toBe('development');
  });

  it('refuses the public development secrets in production, and accepts its own', () => {
    expect(problems({ MONGODB_URI: 'mongodb://h/db', NODE_ENV: 'production' })).toEqual(['ENCRYPTION_KEYS', 'SALESFORCE_CLIENT_SECRET']);
    expect(loadWorkerConfig(PRODUCTION).ENCRYPTION_KEY_ID).toBe('prod1');
  });

  // Issue 12: the worker opens every stored token and key, and had no production check at all.
  it.each([
    ['the development key bytes under another key id', { ENCRYPTION_KEYS: `prod:${DEV_KEY_BYTES}`, ENCRYPTION_KEY_ID: 'prod' }, 'ENCRYPTION_KEYS'],
    ['the development key with a trailing comma', { ENCRYPTION_KEYS: `${DEV_ENCRYPTION_KEYS},`, ENCRYPTION_KEY_ID: 'dev1' }, 'ENCRYPTION_KEYS'],
    ['a key of one repeated byte', { ENCRYPTION_KEYS: `prod1:${Buffer.alloc(32, 7).toString('base64')}` }, 'ENCRYPTION_KEYS'],
    ['the sandbox connected app secret', { SALESFORCE_CLIENT_SECRET: 'sandbox-client-secret' }, 'SALESFORCE_CLIENT_SECRET'],
    ['a guessable METRICS_TOKEN', { METRICS_TOKEN: 'metrics'.repeat(6) }, 'METRICS_TOKEN'],
    ['the published development admin secret as METRICS_TOKEN', { METRICS_TOKEN: 'dev-only-admin-secret-change-me-32chars' }, 'METRICS_TOKEN'],
  ])('refuses in production %s, naming it', (_case, change, variable) => {
    expect(problems({ ...PRODUCTION, ...change })).toEqual([variable]);
  });

  // Issue 17: the worker's /metrics and /healthz.
  it('opens no port unless WORKER_METRICS_PORT says which (0: one the system picks), on loopback unless told otherwise', () => {
    const development = loadWorkerConfig({ MONGODB_URI: 'mongodb://h/db' });
    expect([development.WORKER_METRICS_PORT, development.WORKER_METRICS_HOST, development.METRICS_TOKEN]).toEqual([undefined, 'localhost', undefined]);
    expect(loadWorkerConfig({ MONGODB_URI: 'mongodb://h/db', WORKER_METRICS_PORT: '0' }).WORKER_METRICS_PORT).toBe(0);
    expect(loadWorkerConfig({ MONGODB_URI: 'mongodb://h/db', WORKER_METRICS_PORT: '9464', WORKER_METRICS_HOST: '0.0.0.0' })).toMatchObject({ WORKER_METRICS_PORT: 9464, WORKER_METRICS_HOST: '0.0.0.0' });
    for (const port of ['-1', '65536', '9464.5', 'metrics']) expect(problems({ MONGODB_URI: 'mongodb://h/db', WORKER_METRICS_PORT: port }), port).toEqual(['WORKER_METRICS_PORT']);
    expect(problems({ MONGODB_URI: 'mongodb://h/db', METRICS_TOKEN: 'short' })).toEqual(['METRICS_TOKEN']);
    expect(loadWorkerConfig({ ...PRODUCTION, METRICS_TOKEN: randomBytes(36).toString('base64') }).METRICS_TOKEN).toHaveLength(48);
  });
});

describe('WORKER_LEASE_SECONDS', () => {
  it('defaults to the scheduler\'s 120 s and refuses under 10 s or a non-number', () => {
    const base = { MONGODB_URI: 'mongodb://h/db' };
    expect(loadWorkerConfig(base).WORKER_LEASE_SECONDS).toBe(120);
    expect(loadWorkerConfig({ ...base, WORKER_LEASE_SECONDS: '10' }).WORKER_LEASE_SECONDS).toBe(10);
    expect(problems({ ...base, WORKER_LEASE_SECONDS: '9' })).toEqual(['WORKER_LEASE_SECONDS']);
    expect(problems({ ...base, WORKER_LEASE_SECONDS: 'soon' })).toEqual(['WORKER_LEASE_SECONDS']);
  });
});

// Issue 17: many short runs at once, few loads (each holds a chunk of records in memory).
describe('WORKER_CONCURRENCY and WORKER_LOAD_SLOTS', () => {
  it('runs 8 at once by default, loads in at most WORKER_CONCURRENCY of them (unset: the scheduler\'s default), and refuses more', () => {
    const base = { MONGODB_URI: 'mongodb://h/db' };
    const slots = (env: Record<string, string>) => {
      const config = loadWorkerConfig({ ...base, ...env });
      return [config.WORKER_CONCURRENCY, config.WORKER_LOAD_SLOTS];
    };
    expect(slots({})).toEqual([8, undefined]);
    expect(slots({ WORKER_CONCURRENCY: '1' })).toEqual([1, undefined]);
    expect(slots({ WORKER_CONCURRENCY: '4', WORKER_LOAD_SLOTS: '4' })).toEqual([4, 4]);
    expect(problems({ ...base, WORKER_LOAD_SLOTS: '9' })).toEqual(['WORKER_LOAD_SLOTS']);
    expect(problems({ ...base, WORKER_CONCURRENCY: '2', WORKER_LOAD_SLOTS: '3' })).toEqual(['WORKER_LOAD_SLOTS']);
    for (const value of ['0', '-1', '1.5', 'few']) expect(problems({ ...base, WORKER_LOAD_SLOTS: value }), value).toEqual(['WORKER_LOAD_SLOTS']);
  });
});
