import type { Db } from './sync-db.ts';
import { isDuplicateKeyError } from './sync-db.ts';

export type WebhookEventKind = 'contact_updated' | 'contact_deleted';
export type WebhookEventState = 'pending' | 'applied' | 'ignored' | 'failed';

/** A Brevo marketing webhook call stored before it is acknowledged. */
export interface WebhookEventDoc {
  /** Dedupe key: the same delivery twice (Brevo retries) is stored once. */
  _id: string;
  integrationId: string;
  kind: WebhookEventKind;
  brevoId: number | null;
  email: string | null;
  /** Changed attributes as Brevo sent them (contact_updated), upper-case names. */
  content: Record<string, unknown>;
  /** Brevo's time of the change (R17: compared with SystemModstamp). */
  modifiedAt: Date;
  receivedAt: Date;
  state: WebhookEventState;
  appliedAt?: Date | null;
  outcome?: string | null;
}

export const WEBHOOK_EVENTS = 'sync_webhook_events';

export class WebhookEventStore {
  constructor(private readonly db: Db) {}

  private get collection() {
    return this.db.collection<WebhookEventDoc>(WEBHOOK_EVENTS);
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ integrationId: 1, state: 1, modifiedAt: 1 }, { name: 'integration_state_modified' });
  }

  /** Stores an event; false when it was already stored (a redelivery). */
  async add(event: WebhookEventDoc): Promise<boolean> {
    try {
      await this.collection.insertOne({ ...event });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Pending events of one integration, oldest change first (out-of-order deliveries applied in order). */
  async pending(integrationId: string, limit: number): Promise<WebhookEventDoc[]> {
    return this.collection.find({ integrationId, state: 'pending' }).sort({ modifiedAt: 1, receivedAt: 1, _id: 1 }).limit(limit).toArray();
  }

  async countPending(integrationId: string): Promise<number> {
    return this.collection.countDocuments({ integrationId, state: 'pending' });
  }

  async integrationsWithPending(): Promise<string[]> {
    return (await this.collection.distinct('integrationId', { state: 'pending' })) as string[];
  }

  async mark(ids: readonly string[], state: Exclude<WebhookEventState, 'pending'>, now: Date, outcome: string | null = null): Promise<void> {
    if (ids.length === 0) return;
    await this.collection.updateMany({ _id: { $in: [...ids] }, state: 'pending' }, { $set: { state, appliedAt: now, outcome } });
  }

  async removeIntegration(integrationId: string): Promise<void> {
    await this.collection.deleteMany({ integrationId });
  }
}
