import { LinkStore } from './links.ts';
import { QuotaStore } from './quota-usage.ts';
import { RateBudgetStore } from './rate-budgets.ts';
import { RecordErrorStore } from './record-errors.ts';
import { RunStore } from './runs.ts';
import { StreamLeaseStore } from './stream-leases.ts';
import { StreamStateStore } from './streams.ts';
import { LeaseStore } from './sync-leases.ts';
import { SyncStateStore } from './sync-state.ts';
import type { Db } from './sync-db.ts';
import { WebhookEventStore } from './webhook-events.ts';

export * from './links.ts';
export * from './quota-usage.ts';
export * from './rate-budgets.ts';
export * from './record-errors.ts';
export * from './runs.ts';
export * from './stream-leases.ts';
export * from './streams.ts';
export * from './sync-leases.ts';
export * from './sync-state.ts';
export * from './webhook-events.ts';
export type { Db } from './sync-db.ts';

/** Every collection the sync engine and worker own. */
export interface SyncStore {
  links: LinkStore;
  state: SyncStateStore;
  runs: RunStore;
  errors: RecordErrorStore;
  quota: QuotaStore;
  events: WebhookEventStore;
  leases: LeaseStore;
  /** Change Data Capture: who holds each stream, and its state. */
  streamLeases: StreamLeaseStore;
  streams: StreamStateStore;
  /** API rate limits that belong to a Brevo account or a Salesforce org, shared by every worker. */
  rateBudgets: RateBudgetStore;
}

export function createSyncStore(db: Db): SyncStore {
  const state = new SyncStateStore(db);
  return {
    links: new LinkStore(db),
    state,
    runs: new RunStore(db, state),
    errors: new RecordErrorStore(db),
    quota: new QuotaStore(db),
    events: new WebhookEventStore(db),
    leases: new LeaseStore(db),
    streamLeases: new StreamLeaseStore(db),
    streams: new StreamStateStore(db),
    rateBudgets: new RateBudgetStore(db),
  };
}

export async function ensureSyncIndexes(store: SyncStore): Promise<void> {
  await store.links.ensureIndexes();
  await store.state.ensureIndexes();
  await store.runs.ensureIndexes();
  await store.errors.ensureIndexes();
  await store.quota.ensureIndexes();
  await store.events.ensureIndexes();
}
