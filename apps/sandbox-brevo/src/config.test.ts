import { ConfigError, loadConfig } from '@contact-sync/config';
import { describe, expect, it } from 'vitest';
import { brevoSandboxConfigSchema } from './config.ts';

describe('sandbox configuration', () => {
  it('defaults to port 4020, rate limits off and Brevo webhook retry schedule', () => {
    const config = loadConfig('sandbox-brevo', brevoSandboxConfigSchema, {});
    expect(config).toMatchObject({ BREVO_SANDBOX_PORT: 4020, BREVO_SANDBOX_RATE_LIMITS: true, BREVO_SANDBOX_RATE_LIMIT_TIER: 'general', BREVO_SANDBOX_SEED_CONTACTS: 40 });
    expect(config.BREVO_SANDBOX_WEBHOOK_RETRY_SECONDS).toEqual([600, 3600, 7200, 28800]);
    expect(config.BREVO_SANDBOX_PUBLIC_URL).toBeUndefined();
    expect(config.BREVO_SANDBOX_LATENCY_MS).toBeNull();
  });

  it('reads benchmark settings and names every bad variable', () => {
    const config = loadConfig('sandbox-brevo', brevoSandboxConfigSchema, { BREVO_SANDBOX_RATE_LIMITS: 'false', BREVO_SANDBOX_WEBHOOK_RETRY_SECONDS: '0.1,0.2', BREVO_SANDBOX_LATENCY_MS: '40-80' });
    expect(config.BREVO_SANDBOX_RATE_LIMITS).toBe(false);
    expect(config.BREVO_SANDBOX_LATENCY_MS).toEqual({ minMs: 40, maxMs: 80 });
    expect(config.BREVO_SANDBOX_WEBHOOK_RETRY_SECONDS).toEqual([0.1, 0.2]);
    let error: unknown;
    try {
      loadConfig('sandbox-brevo', brevoSandboxConfigSchema, { BREVO_SANDBOX_PUBLIC_URL: 'ftp://x', BREVO_SANDBOX_WEBHOOK_RETRY_SECONDS: 'soon', BREVO_SANDBOX_LATENCY_MS: '80-40' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual(['BREVO_SANDBOX_LATENCY_MS', 'BREVO_SANDBOX_PUBLIC_URL', 'BREVO_SANDBOX_WEBHOOK_RETRY_SECONDS']);
  });
});
