import type { Db } from './sync-db.ts';

/**
 * What the integration last wrote to (or knows is in) the Brevo contact for
 * one Salesforce record: the canonical mapped values, never the raw record.
 */
export interface BrevoValues {
  email?: string;
  sms?: string;
  attributes: Record<string, string | number | null>;
}

/** One Salesforce record linked to one Brevo contact (R14: by Salesforce Id, stored as `ext_id`). */
export interface LinkDoc {
  integrationId: string;
  salesforceId: string;
  /** Brevo's contact id; null until the import that created the contact has been read back. */
  brevoId: number | null;
  values: BrevoValues;
  /** `hashMappedValues(values)`: an unchanged record costs neither a call nor quota. */
  hash: string;
  lastWrittenAt: Date;
  /** Salesforce SystemModstamp of the version last written (R17). */
  salesforceModstamp?: string;
}

export const LINKS = 'sync_links';

export class LinkStore {
  constructor(private readonly db: Db) {}

  private get collection() {
    return this.db.collection<LinkDoc>(LINKS);
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ integrationId: 1, salesforceId: 1 }, { unique: true, name: 'integration_salesforce_id' });
    await this.collection.createIndex({ integrationId: 1, brevoId: 1 }, { name: 'integration_brevo_id' });
  }

  async findBySalesforceIds(integrationId: string, salesforceIds: readonly string[]): Promise<Map<string, LinkDoc>> {
    if (salesforceIds.length === 0) return new Map();
    const docs = await this.collection
      .find({ integrationId, salesforceId: { $in: [...salesforceIds] } }, { projection: { _id: 0 } })
      .toArray();
    return new Map(docs.map((doc) => [doc.salesforceId, doc as LinkDoc]));
  }

  async findByBrevoIds(integrationId: string, brevoIds: readonly number[]): Promise<Map<number, LinkDoc>> {
    if (brevoIds.length === 0) return new Map();
    const docs = await this.collection.find({ integrationId, brevoId: { $in: [...brevoIds] } }, { projection: { _id: 0 } }).toArray();
    return new Map(docs.map((doc) => [doc.brevoId as number, doc as LinkDoc]));
  }

  /** Writes links after Brevo confirmed the writes; idempotent (a replay writes the same values). */
  async upsertMany(links: readonly LinkDoc[]): Promise<void> {
    if (links.length === 0) return;
    await this.collection.bulkWrite(
      links.map((link) => ({
        updateOne: {
          filter: { integrationId: link.integrationId, salesforceId: link.salesforceId },
          update: { $set: { ...link } },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }

  async removeMany(integrationId: string, salesforceIds: readonly string[]): Promise<void> {
    if (salesforceIds.length === 0) return;
    await this.collection.deleteMany({ integrationId, salesforceId: { $in: [...salesforceIds] } });
  }

  async count(integrationId: string): Promise<number> {
    return this.collection.countDocuments({ integrationId });
  }

  async removeIntegration(integrationId: string): Promise<void> {
    await this.collection.deleteMany({ integrationId });
  }
}
