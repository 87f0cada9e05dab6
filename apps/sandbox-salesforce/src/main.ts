import { ConfigError, loadConfig } from '@contact-sync/config';
import { listen } from '@contact-sync/sandbox-kit';
import { createSalesforceSandbox } from './app.ts';
import { salesforceSandboxConfigSchema } from './config.ts';

let config;
try {
  config = loadConfig('sandbox-salesforce', salesforceSandboxConfigSchema);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const sandbox = createSalesforceSandbox({
  publicUrl: config.SALESFORCE_SANDBOX_PUBLIC_URL,
  redirectUris: config.SALESFORCE_SANDBOX_REDIRECT_URIS,
  accessTokenTtlSeconds: config.SALESFORCE_SANDBOX_TOKEN_TTL_SECONDS,
  dailyApiLimit: config.SALESFORCE_SANDBOX_DAILY_API_LIMIT,
  latency: config.SALESFORCE_SANDBOX_LATENCY_MS,
});
const running = await listen(sandbox.app, config.SALESFORCE_SANDBOX_PORT);
console.log(`salesforce sandbox ready on ${config.SALESFORCE_SANDBOX_PUBLIC_URL.replace(/\/+$/, '')}`);

const stop = () => {
  void running.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
