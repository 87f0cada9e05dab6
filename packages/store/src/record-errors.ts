import type { Db } from './sync-db.ts';
import type { RunDirection } from './runs.ts';

/** Who the record is, as the user knows them: the name and email it had when the error was recorded. */
export interface RecordContact {
  name: string | null;
  email: string | null;
}

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
  /** Absent on errors recorded before contacts were. */
  contact?: RecordContact | null;
  /**
   * When a later run dealt with the record again (written, or its error recorded anew): the error
   * is history, no longer one to fix. `null` while open (absent on errors recorded before).
   */
  resolvedAt?: Date | null;
}

export const RECORD_ERRORS = 'sync_record_errors';
/** Salesforce Ids per resolving update (an `$in` that size stays a small command). */
const RESOLVE_SLICE = 1_000;

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
    await this.collection.insertMany(errors.map((error) => ({ resolvedAt: null, ...error })), { ordered: false });
  }

  /**
   * The records a run dealt with again: their earlier open errors of that direction are history
   * (a record still wrong gets a fresh error from the same run, recorded after this).
   */
  async resolve(integrationId: string, direction: RunDirection, salesforceIds: readonly string[], at: Date): Promise<void> {
    for (let i = 0; i < salesforceIds.length; i += RESOLVE_SLICE) {
      const slice = salesforceIds.slice(i, i + RESOLVE_SLICE);
      await this.collection.updateMany(
        { integrationId, direction, salesforceId: { $in: slice }, resolvedAt: null, at: { $lt: at } },
        { $set: { resolvedAt: at } },
      );
    }
  }

  /** The open record errors (not resolved since), newest first, at most `limit`, with their ids. */
  async open(integrationId: string, limit: number): Promise<(RecordErrorDoc & { _id: unknown })[]> {
    const docs = await this.collection.find({ integrationId, resolvedAt: null }).sort({ at: -1, _id: -1 }).limit(limit).toArray();
    return docs as (RecordErrorDoc & { _id: unknown })[];
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
   * Salesforce Ids of the open retryable Salesforce → Brevo record errors (of one
   * code when given; newest first, each once): what "retry" reads again. Read only.
   */
  async retryableSalesforceIds(integrationId: string, limit: number, code?: string): Promise<string[]> {
    const docs = await this.collection
      .find(
        { integrationId, direction: 'salesforce_to_brevo', retryable: true, salesforceId: { $ne: null }, resolvedAt: null, ...(code ? { code } : {}) },
        { projection: { _id: 0, salesforceId: 1 } },
      )
      .sort({ at: -1 })
      .limit(limit * 4)
      .toArray();
    return [...new Set(docs.map((doc) => doc.salesforceId as string))].slice(0, limit);
  }

  async removeIntegration(integrationId: string): Promise<void> {
    await this.collection.deleteMany({ integrationId });
  }
}
