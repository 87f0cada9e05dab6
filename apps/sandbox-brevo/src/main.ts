import { ConfigError, loadConfig } from '@contact-sync/config';
import { listen } from '@contact-sync/sandbox-kit';
import { createBrevoSandbox } from './app.ts';
import { brevoSandboxConfigSchema } from './config.ts';

/** `npm run sandbox` entry: configuration from the environment, one ready line, clean exit on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig('sandbox-brevo', brevoSandboxConfigSchema);
  const publicUrl = (config.BREVO_SANDBOX_PUBLIC_URL ?? `http://localhost:${config.BREVO_SANDBOX_PORT}`).replace(/\/$/, '');
  const sandbox = createBrevoSandbox({
    publicUrl,
    rateLimits: { enabled: config.BREVO_SANDBOX_RATE_LIMITS, tier: config.BREVO_SANDBOX_RATE_LIMIT_TIER },
    webhookRetryDelaysMs: config.BREVO_SANDBOX_WEBHOOK_RETRY_SECONDS.map((seconds) => seconds * 1000),
    seed: { contacts: config.BREVO_SANDBOX_SEED_CONTACTS },
    latency: config.BREVO_SANDBOX_LATENCY_MS,
  });
  const running = await listen(sandbox.app, config.BREVO_SANDBOX_PORT, config.BREVO_SANDBOX_HOST);
  console.log(`brevo sandbox ready on ${publicUrl}/v3`);
  const stop = () => {
    sandbox.close();
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
