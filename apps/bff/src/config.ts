import { brevoApiKeySchema } from '@contact-sync/api';
import { env, loadConfig } from '@contact-sync/config';
import {
  DEV_ADMIN_SECRET,
  DEV_HOST_JWT_SECRET,
  encryptionEnv,
  metricsTokenEnv,
  refineEncryptionKeyId,
  refineProductionSecrets,
  SANDBOX_SALESFORCE_CLIENT_SECRET,
} from '@contact-sync/secrets';
import { z } from 'zod';
import { trustProxySchema } from './trust-proxy.ts';

export { DEV_ADMIN_SECRET, DEV_HOST_JWT_SECRET };

export const bffConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    BFF_PORT: env.port(4000),
    /** Interface to listen on: loopback by default; `0.0.0.0` (or an address) opens it deliberately. */
    BFF_HOST: z.string().min(1).default('localhost'),
    /** Which proxies in front of the BFF to believe about the client address (per-address rate limits). */
    TRUST_PROXY: trustProxySchema,
    ...metricsTokenEnv,
    BFF_PUBLIC_URL: env.url('http://localhost:4000'),
    MONGODB_URI: env.mongoUri(),
    HOST_JWT_SECRET: env.secret(32).default(DEV_HOST_JWT_SECRET),
    HOST_JWT_ISSUER: z.string().min(1).default('brevo-host-demo'),
    HOST_JWT_AUDIENCE: z.string().min(1).default('contact-sync-bff'),
    ALLOWED_HOST_ORIGINS: env.list(['http://localhost:5170']),
    WEB_ORIGINS: env.list(['http://localhost:5180']),
    SALESFORCE_LOGIN_URL: env.url('http://localhost:4010'),
    SALESFORCE_CLIENT_ID: z.string().min(1).default('sandbox-client-id'),
    SALESFORCE_CLIENT_SECRET: z.string().min(1).default(SANDBOX_SALESFORCE_CLIENT_SECRET),
    SALESFORCE_API_VERSION: z.string().regex(/^\d{2,3}\.0$/, 'must look like 62.0').default('62.0'),
    BREVO_API_URL: env.url('http://localhost:4020/v3'),
    BREVO_API_KEY: brevoApiKeySchema.optional(),
    ...encryptionEnv,
    ADMIN_SECRET: env.secret(32).default(DEV_ADMIN_SECRET),
    DEMO_SEED: env.flag(true),
    DEMO_ACCOUNT_ID: z.string().default('acc_demo'),
    DEMO_BREVO_API_KEY: brevoApiKeySchema.default('xkeysib-sandbox-demo'),
    DEMO_NOTIFICATION_EMAIL: z.email().default('marketing@acme.test'),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(300),
    /** Unauthenticated requests (OAuth callback, admin) per client address and minute. */
    ADDRESS_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
    /** Failed Brevo webhook authentications per client address and minute (then 429). */
    WEBHOOK_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
    /** Authenticated Brevo webhook deliveries per integration and minute (then 429; Brevo redelivers). */
    WEBHOOK_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
    BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/).default('100kb'),
    LOG_LEVEL: env.logLevel(),
  })
  .superRefine((config, ctx) => {
    refineEncryptionKeyId(config, ctx);
    if (config.NODE_ENV !== 'production') return;
    refineProductionSecrets(config, ctx, {
      shared: ['HOST_JWT_SECRET', 'ADMIN_SECRET', 'METRICS_TOKEN'],
      issued: ['SALESFORCE_CLIENT_SECRET'],
      encryptionKeys: 'ENCRYPTION_KEYS',
    });
    if (config.DEMO_SEED) ctx.addIssue({ code: 'custom', path: ['DEMO_SEED'], message: 'must be false in production' });
    if (config.BREVO_API_KEY !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['BREVO_API_KEY'],
        message: "must not be set in production: every account without a key of its own would share one Brevo account's contacts and lists; give each account its key (PUT /admin/v1/accounts/:accountId/brevo)",
      });
    }
  });

export type BffConfig = z.infer<typeof bffConfigSchema>;

export function loadBffConfig(source: Record<string, string | undefined> = process.env): BffConfig {
  return loadConfig('bff', bffConfigSchema, source);
}

/** Where Salesforce sends the user back (must be registered on the connected app). */
export function oauthCallbackUrl(config: Pick<BffConfig, 'BFF_PUBLIC_URL'>): string {
  return `${config.BFF_PUBLIC_URL.replace(/\/+$/, '')}/api/v1/oauth/salesforce/callback`;
}
