import type { Db } from './sync-db.ts';
import type { RunDirection } from './runs.ts';

/** One rejected or failed record, with what the user needs to fix it. */
export interface RecordErrorDoc {
  integrationId: string;
  runId: string;
  direction: RunDirection;
  /** `Contact` or `Lead` (Salesforce side) or `Contact` of Brevo. */
  object: string;
  salesforceId: string | null;
  brevoId: number | null;
  field: string | null;
  /** Rules-package code (e.g. `phone_digits_out_of_range`) or a sync code (`brevo_rejected`). */
  code: string;
  rule: string;
  messageKey: string;
  params: Record<string, string | number>;
  /** `error` (record not synced) or `warning` (synced, one value kept back). */
  severity: 'error' | 'warning';
  fixHintKey: string;
  retryable: boolean;
  at: Date;
}

export const RECORD_ERRORS = 'sync_record_errors';

export class RecordErrorStore {
  constructor(private readonly db: Db) {}

  private get collection() {
    return this.db.collection<RecordErrorDoc>(RECORD_ERRORS);
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ integrationId: 1, runId: 1 }, { name: 'integration_run' });
    await this.collection.createIndex({ integrationId: 1, salesforceId: 1 }, { name: 'integration_salesforce_id' });
  }

  async addMany(errors: readonly RecordErrorDoc[]): Promise<void> {
    if (errors.length === 0) return;
    await this.collection.insertMany(errors.map((error) => ({ ...error })), { ordered: false });
  }

  async listForRun(runId: string): Promise<RecordErrorDoc[]> {
    return this.collection.find({ runId }, { projection: { _id: 0 } }).toArray() as Promise<RecordErrorDoc[]>;
  }

  async listForIntegration(integrationId: string, limit = 500): Promise<RecordErrorDoc[]> {
    return this.collection.find({ integrationId }, { projection: { _id: 0 } }).sort({ at: -1 }).limit(limit).toArray() as Promise<RecordErrorDoc[]>;
  }

  /** One page of an integration's record errors with their ids, newest first, and how many there are (the BFF's list). */
  async page(integrationId: string, offset: number, limit: number): Promise<{ errors: (RecordErrorDoc & { _id: unknown })[]; total: number }> {
    const [errors, total] = await Promise.all([
      this.collection.find({ integrationId }).sort({ at: -1, _id: -1 }).skip(offset).limit(limit).toArray(),
      this.collection.countDocuments({ integrationId }),
    ]);
    return { errors: errors as (RecordErrorDoc & { _id: unknown })[], total };
  }

  /**
   * Salesforce Ids of the latest retryable Salesforce → Brevo record errors
   * (newest first, each once): what "retry" reads again. Read only.
   */
  async retryableSalesforceIds(integrationId: string, limit: number): Promise<string[]> {
    const docs = await this.collection
      .find({ integrationId, direction: 'salesforce_to_brevo', retryable: true, salesforceId: { $ne: null } }, { projection: { _id: 0, salesforceId: 1 } })
      .sort({ at: -1 })
      .limit(limit * 4)
      .toArray();
    return [...new Set(docs.map((doc) => doc.salesforceId as string))].slice(0, limit);
  }

  async removeIntegration(integrationId: string): Promise<void> {
    await this.collection.deleteMany({ integrationId });
  }
}
