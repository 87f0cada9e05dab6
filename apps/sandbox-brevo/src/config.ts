import { env } from '@contact-sync/config';
import { latencyEnv } from '@contact-sync/sandbox-kit';
import { z } from 'zod';
import { rateLimitTierSchema } from './rate-limit.ts';

/** Environment of the Brevo sandbox (SPEC §7). Rate limits are on, as Brevo's are (`BREVO_SANDBOX_RATE_LIMITS=false` turns them off). */
export const brevoSandboxConfigSchema = z.object({
  BREVO_SANDBOX_PORT: env.port(4020),
  BREVO_SANDBOX_HOST: z.string().default('127.0.0.1'),
  /** Where clients reach the sandbox (default http://localhost:<port>, i.e. http://localhost:4020). */
  BREVO_SANDBOX_PUBLIC_URL: env.url().optional(),
  BREVO_SANDBOX_RATE_LIMITS: env.flag(true),
  BREVO_SANDBOX_RATE_LIMIT_TIER: rateLimitTierSchema.default('general'),
  /** Comma-separated seconds between webhook delivery attempts; Brevo's schedule by default. */
  BREVO_SANDBOX_WEBHOOK_RETRY_SECONDS: env
    .list(['600', '3600', '7200', '28800'])
    .transform((items) => items.map(Number))
    .refine((items) => items.length <= 10 && items.every((n) => Number.isFinite(n) && n >= 0 && n <= 86_400), {
      error: 'must be up to 10 comma-separated numbers of seconds (0..86400)',
    }),
  /** Milliseconds each API call waits before its answer, `<min>-<max>` (Brevo: 40-80). Unset: none. */
  BREVO_SANDBOX_LATENCY_MS: latencyEnv,
  BREVO_SANDBOX_SEED_CONTACTS: z.coerce.number().int().min(0).max(1_000_000).default(40),
});

export type BrevoSandboxConfig = z.infer<typeof brevoSandboxConfigSchema>;
