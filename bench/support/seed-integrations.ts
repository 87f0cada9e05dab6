// Integrations for the BFF load test, written through the store package's
// own models (validation, timestamps and indexes as the BFF has them), with
// the sync facts the list shows (runs, this month's quota use) in the sync
// engine's collections, and the run summaries on the sync states as the run
// writes leave them (the last run ended, none in progress).
import { quotaMonth, recordConsent, IntegrationStatus } from '@contact-sync/rules';
import { DEV_ENCRYPTION_KEY_ID, DEV_ENCRYPTION_KEYS, secretBoxFromEnv } from '@contact-sync/secrets';
import {
  QUOTA_LIMITS,
  QUOTA_USAGE,
  RUNS,
  SYNC_STATES,
  connectStore,
  createSyncStore,
  emptyCounts,
  ensureBffIndexes,
  ensureSyncIndexes,
  integrationModel,
  salesforceTokenContext,
  type IntegrationDoc,
  type QuotaLimitDoc,
  type QuotaUsageDoc,
  type RunDoc,
  type SyncStateDoc,
} from '@contact-sync/store';

export interface SeedPlan {
  total: number;
  /** The account the load test reads. */
  measuredAccount: string;
  measuredCount: number;
  /** How many integrations each of the other accounts gets. */
  perOtherAccount: number;
}

export const DEFAULT_SEED: SeedPlan = { total: 1000, measuredAccount: 'acc_demo', measuredCount: 50, perOtherAccount: 10 };

/** The n-th account (from 1) beside the measured one. */
export function otherAccountId(n: number): string {
  return `acc_bench_${String(n).padStart(3, '0')}`;
}

const MAPPING = [
  { attribute: 'EMAIL', field: 'Email' },
  { attribute: 'FIRSTNAME', field: 'FirstName' },
  { attribute: 'LASTNAME', field: 'LastName' },
  { attribute: 'SMS', field: 'MobilePhone' },
  { attribute: 'COMPANY', field: 'Account.Name' },
  { attribute: 'BIRTHDAY', field: 'Birthdate' },
];

/** A realistic mix: most integrations syncing, a few paused or in error, some drafts left at each wizard step. */
function statusFor(index: number): { status: IntegrationStatus; draftStep: number } {
  const slot = index % 10;
  if (slot < 6) return { status: IntegrationStatus.Active, draftStep: 4 };
  if (slot === 6) return { status: IntegrationStatus.Paused, draftStep: 4 };
  if (slot === 7) return { status: IntegrationStatus.Error, draftStep: 4 };
  return { status: IntegrationStatus.Draft, draftStep: index % 5 };
}

export async function seedIntegrations(mongoUri: string, plan: SeedPlan = DEFAULT_SEED, now = new Date()): Promise<{ accounts: number }> {
  const connection = await connectStore(mongoUri);
  try {
    const db = connection.db!;
    await ensureBffIndexes(connection);
    // The worker creates these at its start; a deployed BFF reads them with their indexes.
    await ensureSyncIndexes(createSyncStore(db));

    const secrets = secretBoxFromEnv(DEV_ENCRYPTION_KEYS, DEV_ENCRYPTION_KEY_ID);
    const Integration = integrationModel(connection);
    const month = quotaMonth(now);
    const accounts: { id: string; count: number }[] = [{ id: plan.measuredAccount, count: plan.measuredCount }];
    for (let n = 1; accounts.reduce((sum, a) => sum + a.count, 0) < plan.total; n += 1) {
      const left = plan.total - accounts.reduce((sum, a) => sum + a.count, 0);
      accounts.push({ id: otherAccountId(n), count: Math.min(plan.perOtherAccount, left) });
    }

    const integrations: IntegrationDoc[] = [];
    const runs: RunDoc[] = [];
    const usage: QuotaUsageDoc[] = [];
    const limits: QuotaLimitDoc[] = [];
    const states: SyncStateDoc[] = [];
    let index = 0;
    for (const account of accounts) {
      for (let i = 0; i < account.count; i += 1, index += 1) {
        const { status, draftStep } = statusFor(index);
        const doc = new Integration({
          accountId: account.id,
          kind: index % 3 === 0 ? 'salesforce-leads' : 'salesforce-contacts',
          name: `Bench integration ${i + 1}`,
          nameKey: `bench integration ${i + 1}`,
          status,
        });
        const id = doc._id.toHexString();
        if (draftStep >= 1) {
          doc.salesforce = {
            orgId: `00D${String(index).padStart(15, '0')}`,
            userId: `005${String(index).padStart(15, '0')}`,
            username: `user${index}@bench.test`,
            displayName: `Bench User ${index}`,
            instanceUrl: 'https://bench.my.salesforce.com',
            accessToken: secrets.seal(`access-${index}`, salesforceTokenContext(id, 'access')),
            refreshToken: secrets.seal(`refresh-${index}`, salesforceTokenContext(id, 'refresh')),
            connectedAt: now,
            tokenRefreshedAt: null,
          };
        }
        if (draftStep >= 2) doc.consent = recordConsent(`user${index}@bench.test`, now);
        if (draftStep >= 3) doc.mappingEntries = MAPPING;
        if (draftStep >= 4) doc.list = { id: 2 + (index % 4), name: `Bench list ${index % 4}` };
        if (status !== IntegrationStatus.Draft) {
          doc.activatedAt = new Date(now.getTime() - 86_400_000);
          // Three runs a minute apart; the newest (r = 0) ended last.
          for (let r = 0; r < 3; r += 1) {
            const startedAt = new Date(now.getTime() - (r + 1) * 60_000);
            runs.push({
              _id: `${id}-run-${r}`,
              integrationId: id,
              direction: r % 2 === 0 ? 'salesforce_to_brevo' : 'brevo_to_salesforce',
              initialLoad: false,
              status: 'succeeded',
              startedAt,
              endedAt: new Date(startedAt.getTime() + 2_000),
              counts: { ...emptyCounts(), read: 120, updated: 12 },
              operationsCharged: 12,
              progress: { done: 120, total: 120 },
              outcome: null,
            });
          }
          usage.push({ _id: `${id}:${month}`, integrationId: id, month, used: (index * 997) % 100_000, reservations: {} });
          if (index % 25 === 0) limits.push({ _id: id, limit: 250_000, raisedBy: 'bench', raisedAt: now });
          states.push({
            _id: id,
            integrationId: id,
            watermarkTs: null,
            watermarkId: null,
            initialLoadDone: true,
            pausedUntil: null,
            pauseReason: null,
            updatedAt: now,
            currentRun: null,
            lastSyncAt: runs.find((run) => run._id === `${id}-run-0`)!.endedAt,
          });
        }
        integrations.push(doc.toObject() as IntegrationDoc);
      }
    }
    await Integration.insertMany(integrations);
    await db.collection<RunDoc>(RUNS).insertMany(runs);
    await db.collection<QuotaUsageDoc>(QUOTA_USAGE).insertMany(usage);
    await db.collection<SyncStateDoc>(SYNC_STATES).insertMany(states);
    if (limits.length > 0) await db.collection<QuotaLimitDoc>(QUOTA_LIMITS).insertMany(limits);
    return { accounts: accounts.length };
  } finally {
    await connection.close();
  }
}

const seeded = new Map<string, Promise<{ accounts: number }>>();

/** Seeds a database once per run (the BFF and microfrontend benchmarks share it). */
export function ensureSeeded(mongoUri: string): Promise<{ accounts: number }> {
  let done = seeded.get(mongoUri);
  if (!done) {
    done = seedIntegrations(mongoUri);
    seeded.set(mongoUri, done);
  }
  return done;
}
