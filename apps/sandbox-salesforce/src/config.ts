import { env } from '@contact-sync/config';
import { latencyEnv } from '@contact-sync/sandbox-kit';
import { z } from 'zod';

/** Environment of the Salesforce sandbox (`src/main.ts`). */
export const salesforceSandboxConfigSchema = z.object({
  SALESFORCE_SANDBOX_PORT: env.port(4010),
  SALESFORCE_SANDBOX_PUBLIC_URL: env.url('http://localhost:4010'),
  SALESFORCE_SANDBOX_REDIRECT_URIS: env.list(['http://localhost:4000/api/v1/oauth/salesforce/callback']),
  SALESFORCE_SANDBOX_TOKEN_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(7200),
  SALESFORCE_SANDBOX_DAILY_API_LIMIT: z.coerce.number().int().min(1).default(100_000),
  /** Milliseconds each API call waits before its answer, `<min>-<max>` (a real org: 80-150). Unset: none. */
  SALESFORCE_SANDBOX_LATENCY_MS: latencyEnv,
});

export type SalesforceSandboxConfig = z.infer<typeof salesforceSandboxConfigSchema>;
