import { connectStore, createSyncStore } from '@contact-sync/store';
import { quotaMonth } from '@contact-sync/rules';
import { loadWorkerConfig } from './config.ts';

/**
 * Support's admin command (R16): raise one integration's monthly operation quota.
 *   npm --prefix apps/worker run raise-quota -- <integrationId> <limit> [--by <name>]
 * A `disabled_quota` integration resumes when the user re-activates it.
 */
export async function raiseQuota(args: readonly string[], env: Record<string, string | undefined> = process.env): Promise<string> {
  const [integrationId, limitText] = args.filter((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--by');
  const byIndex = args.indexOf('--by');
  const by = byIndex >= 0 ? (args[byIndex + 1] ?? 'support') : 'support';
  const limit = Number(limitText);
  if (!integrationId || !Number.isSafeInteger(limit) || limit <= 0) throw new Error('usage: raise-quota <integrationId> <limit> [--by <name>]');
  const config = loadWorkerConfig(env);
  const connection = await connectStore(config.MONGODB_URI);
  try {
    const store = createSyncStore(connection.db!);
    await store.quota.setLimit(integrationId, limit, by, new Date());
    const used = await store.quota.used(integrationId, quotaMonth(new Date()));
    return `integration ${integrationId}: monthly quota ${limit} (used this month: ${used})`;
  } finally {
    await connection.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  raiseQuota(process.argv.slice(2)).then(
    (message) => console.log(message),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
