import type { AccountRepository } from '@contact-sync/store';
import type { Logger } from 'pino';
import type { BffConfig } from './config.ts';

/**
 * DEMO_SEED: gives the demo account the Brevo sandbox key and a notification
 * address, unless an admin already set a key (never overwritten).
 */
export async function seedDemoAccount(config: BffConfig, accounts: AccountRepository, logger: Logger): Promise<void> {
  if (!config.DEMO_SEED) return;
  const existing = await accounts.find(config.DEMO_ACCOUNT_ID);
  if (existing?.brevoApiKey) return;
  // No key name: the host demo's Contacts page edits Brevo with this same key, and those edits must sync back.
  await accounts.setBrevoKey(config.DEMO_ACCOUNT_ID, {
    apiKey: config.DEMO_BREVO_API_KEY,
    notificationEmail: existing?.notificationEmail ?? config.DEMO_NOTIFICATION_EMAIL,
  });
  logger.info({ accountId: config.DEMO_ACCOUNT_ID }, 'demo account seeded with the Brevo sandbox key');
}
