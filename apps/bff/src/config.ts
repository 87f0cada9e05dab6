import { brevoApiKeySchema } from '@contact-sync/api';
import { env, loadConfig } from '@contact-sync/config';
import { DEV_ENCRYPTION_KEYS, encryptionEnv, refineEncryptionKeyId } from '@contact-sync/secrets';
import { z } from 'zod';

/** Development defaults: public, so refused when NODE_ENV=production. */
export const DEV_HOST_JWT_SECRET = 'dev-only-host-jwt-secret-change-me-32chars';
export const DEV_ADMIN_SECRET = 'dev-only-admin-secret-change-me-32chars';

export const bffConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    BFF_PORT: env.port(4000),
    BFF_PUBLIC_URL: env.url('http://localhost:4000'),
    MONGODB_URI: env.mongoUri(),
    HOST_JWT_SECRET: env.secret(32).default(DEV_HOST_JWT_SECRET),
    HOST_JWT_ISSUER: z.string().min(1).default('brevo-host-demo'),
    HOST_JWT_AUDIENCE: z.string().min(1).default('contact-sync-bff'),
    ALLOWED_HOST_ORIGINS: env.list(['http://localhost:5170']),
    WEB_ORIGINS: env.list(['http://localhost:5180']),
    SALESFORCE_LOGIN_URL: env.url('http://localhost:4010'),
    SALESFORCE_CLIENT_ID: z.string().min(1).default('sandbox-client-id'),
    SALESFORCE_CLIENT_SECRET: z.string().min(1).default('sandbox-client-secret'),
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
    BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/).default('100kb'),
    LOG_LEVEL: env.logLevel(),
  })
  .superRefine((config, ctx) => {
    refineEncryptionKeyId(config, ctx);
    if (config.NODE_ENV !== 'production') return;
    const devDefaults: [keyof typeof config, unknown][] = [
      ['HOST_JWT_SECRET', DEV_HOST_JWT_SECRET],
      ['ADMIN_SECRET', DEV_ADMIN_SECRET],
      ['ENCRYPTION_KEYS', DEV_ENCRYPTION_KEYS],
    ];
    for (const [name, value] of devDefaults) {
      if (config[name] === value) ctx.addIssue({ code: 'custom', path: [name], message: 'is the public development default; set a secret value in production' });
    }
    if (config.DEMO_SEED) ctx.addIssue({ code: 'custom', path: ['DEMO_SEED'], message: 'must be false in production' });
  });

export type BffConfig = z.infer<typeof bffConfigSchema>;

export function loadBffConfig(source: Record<string, string | undefined> = process.env): BffConfig {
  return loadConfig('bff', bffConfigSchema, source);
}

/** Where Salesforce sends the user back (must be registered on the connected app). */
export function oauthCallbackUrl(config: Pick<BffConfig, 'BFF_PUBLIC_URL'>): string {
  return `${config.BFF_PUBLIC_URL.replace(/\/+$/, '')}/api/v1/oauth/salesforce/callback`;
}
