import { env, loadConfig } from '@contact-sync/config';
import { encryptionEnv, metricsTokenEnv, refineEncryptionKeyId, refineProductionSecrets, SANDBOX_SALESFORCE_CLIENT_SECRET } from '@contact-sync/secrets';
import { z } from 'zod';
import { DEFAULT_LEASE_TTL_MS } from './scheduler.ts';

/** The worker's environment (the Salesforce, Brevo and encryption variables are the BFF's). */
export const workerConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    MONGODB_URI: env.mongoUri(),
    SYNC_INTERVAL_SECONDS: z.coerce.number().int().min(15, 'must be at least 15 (seconds)').default(60),
    /** Salesforce changes in real time through Change Data Capture (`off`: by the watermark run only). */
    SYNC_STREAMING: z.enum(['on', 'off']).default('on'),
    /** The watermark run's interval while changes arrive in real time: the safety net. */
    SYNC_SAFETY_NET_SECONDS: z.coerce.number().int().min(60, 'must be at least 60 (seconds)').default(900),
    /** Runs at once per worker, loads included: most runs wait on the APIs, not on the CPU. */
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
    /**
     * How many of them may be loads (`runStartOf(…).load`: initial loads, re-reads, continuations), each holding a
     * chunk of records in memory. Unset: the scheduler's DEFAULT_LOAD_SLOTS, or WORKER_CONCURRENCY if lower.
     */
    WORKER_LOAD_SLOTS: z.coerce.number().int().min(1).max(64).optional(),
    /**
     * How long a run's integration lease outlives a worker that dies mid-run (Agenda's lock of its job an
     * eighth longer): about the longest another worker waits to take its integrations over. Renewed every third of it.
     */
    WORKER_LEASE_SECONDS: z.coerce.number().int().min(10, 'must be at least 10 (seconds)').max(3_600).default(DEFAULT_LEASE_TTL_MS / 1000),
    /**
     * Port of the worker's own HTTP server (`/metrics`, `/healthz`). Unset: none (any number of workers
     * share a machine, and the tests' workers open nothing); 0: one the system picks, said on the ready line.
     */
    WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
    /** Interface it listens on: loopback by default, as the BFF's; `0.0.0.0` (or an address) opens it deliberately. */
    WORKER_METRICS_HOST: z.string().min(1).default('localhost'),
    ...metricsTokenEnv,
    BFF_PUBLIC_URL: env.url('http://localhost:4000'),
    BREVO_API_URL: env.url('http://localhost:4020/v3'),
    /** Brevo's `/contacts/*` limit per account: 10 calls a second on every plan, 20 on Professional and Enterprise (the sync takes four fifths). */
    BREVO_CONTACTS_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(10),
    /**
     * How long a worker keeps a Salesforce user's describe of the synced object between runs (0: every run describes). A describe
     * is an API call of the org's daily allowance; a field changed in Salesforce reaches the sync within this time.
     */
    SALESFORCE_DESCRIBE_TTL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
    SALESFORCE_LOGIN_URL: env.url('http://localhost:4010'),
    SALESFORCE_CLIENT_ID: z.string().min(1).default('sandbox-client-id'),
    SALESFORCE_CLIENT_SECRET: z.string().min(1).default(SANDBOX_SALESFORCE_CLIENT_SECRET),
    SALESFORCE_REDIRECT_URI: env.url('http://localhost:4000/api/v1/oauth/salesforce/callback'),
    ...encryptionEnv,
    NOTICE_SENDER_EMAIL: z.email().default('no-reply@contact-sync.test'),
    LOG_LEVEL: env.logLevel(),
  })
  .superRefine((config, ctx) => {
    refineEncryptionKeyId(config, ctx);
    if (config.WORKER_LOAD_SLOTS !== undefined && config.WORKER_LOAD_SLOTS > config.WORKER_CONCURRENCY) {
      ctx.addIssue({ code: 'custom', path: ['WORKER_LOAD_SLOTS'], message: 'must be at most WORKER_CONCURRENCY (loads run in its slots)' });
    }
    // The worker opens every stored token and key: it refuses public or guessable secrets as the BFF does.
    if (config.NODE_ENV === 'production') refineProductionSecrets(config, ctx, { shared: ['METRICS_TOKEN'], issued: ['SALESFORCE_CLIENT_SECRET'], encryptionKeys: 'ENCRYPTION_KEYS' });
  });

export type WorkerConfig = z.infer<typeof workerConfigSchema>;

export function loadWorkerConfig(source: Record<string, string | undefined> = process.env): WorkerConfig {
  return loadConfig('worker', workerConfigSchema, source);
}
