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
  /**
   * The chunk (see the engine's chunk key) whose write last touched this link:
   * counting links by it tells how many records a chunk wrote across a crash and
   * its replay, which is what the chunk's quota reservation is settled to.
   */
  lastWriteKey?: string;
  /** R13 tombstone: the Salesforce record was deleted and the contact unlinked. Treated as no link. */
  deleted?: boolean;
}

export const LINKS = 'sync_links';

type StoredLink = LinkDoc & { _id: string };

export function linkId(integrationId: string, salesforceId: string): string {
  return `${integrationId}:${salesforceId}`;
}

function strip(doc: StoredLink): LinkDoc {
  const { _id: _ignored, ...link } = doc;
  return link;
}

/**
 * Links keyed by `_id` = `${integrationId}:${salesforceId}`. Written as
 * whole documents (delete + insertMany), never updated in place: on the local
 * FerretDB (SQLite) an update costs a collection scan and a commit per
 * document (measured at 50,000 links: ~200 ms per updateOne by _id, while
 * insertMany writes 5,000 documents in ~0.2 s), and on MongoDB both are cheap.
 * A crash between the delete and the insert loses only links the chunk is
 * about to rewrite, and the chunk's replay restores them (an existing Brevo
 * contact is found again by its ext_id).
 */
export class LinkStore {
  constructor(private readonly db: Db) {}

  private get collection() {
    return this.db.collection<StoredLink>(LINKS);
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ integrationId: 1, salesforceId: 1 }, { unique: true, name: 'integration_salesforce_id' });
    await this.collection.createIndex({ integrationId: 1, 'values.email': 1 }, { name: 'integration_email' });
    await this.collection.createIndex({ integrationId: 1, lastWriteKey: 1 }, { name: 'integration_write_key' });
  }

  async findBySalesforceIds(integrationId: string, salesforceIds: readonly string[]): Promise<Map<string, LinkDoc>> {
    if (salesforceIds.length === 0) return new Map();
    const docs = await this.collection.find({ _id: { $in: salesforceIds.map((id) => linkId(integrationId, id)) } }).toArray();
    return new Map(docs.filter((doc) => doc.deleted !== true).map((doc) => [doc.salesforceId, strip(doc)]));
  }

  /** Links whose Brevo contact holds one of these emails (webhooks name contacts by email). */
  async findByEmails(integrationId: string, emails: readonly string[]): Promise<Map<string, LinkDoc>> {
    if (emails.length === 0) return new Map();
    const docs = await this.collection.find({ integrationId, 'values.email': { $in: [...emails] } }).toArray();
    return new Map(docs.filter((doc) => doc.deleted !== true).map((doc) => [doc.values.email as string, strip(doc)]));
  }

  /** How many records the chunk `writeKey` wrote (links and tombstones it touched). */
  async countWrittenBy(integrationId: string, writeKey: string): Promise<number> {
    return this.collection.countDocuments({ integrationId, lastWriteKey: writeKey });
  }

  /**
   * Writes links after Brevo confirmed the writes; idempotent (a replay writes
   * the same documents). `replacing`: the Salesforce Ids whose link document
   * exists already (deleted first); any other clash with an existing document
   * (a tombstone, a link left by a crashed attempt) is replaced the same way.
   */
  async upsertMany(links: readonly LinkDoc[], replacing?: ReadonlySet<string>): Promise<void> {
    if (links.length === 0) return;
    const docs = links.map((link) => ({ ...link, deleted: false, _id: linkId(link.integrationId, link.salesforceId) }));
    const known = replacing ? docs.filter((doc) => replacing.has(doc.salesforceId)) : docs;
    if (known.length > 0) await this.collection.deleteMany({ _id: { $in: known.map((doc) => doc._id) } });
    try {
      await this.collection.insertMany(docs, { ordered: false });
    } catch (error) {
      const clashes = new Set(((error as { writeErrors?: { code?: number; index?: number }[] }).writeErrors ?? []).filter((e) => e.code === 11000).map((e) => e.index!));
      if (clashes.size === 0) throw error;
      const retry = docs.filter((_doc, index) => clashes.has(index));
      await this.collection.deleteMany({ _id: { $in: retry.map((doc) => doc._id) } });
      await this.collection.insertMany(retry, { ordered: false });
    }
  }

  /** Whether the integration has any link (a first load that has none skips the per-chunk lookups). */
  async hasAny(integrationId: string): Promise<boolean> {
    return (await this.collection.findOne({ integrationId }, { projection: { _id: 1 } })) !== null;
  }

  /** R13: unlinked; kept as a tombstone stamped with the chunk that unlinked it. */
  async markDeleted(integrationId: string, salesforceIds: readonly string[], writeKey: string, now: Date): Promise<void> {
    if (salesforceIds.length === 0) return;
    const docs: StoredLink[] = salesforceIds.map((salesforceId) => ({
      _id: linkId(integrationId, salesforceId),
      integrationId,
      salesforceId,
      brevoId: null,
      values: { attributes: {} },
      hash: '',
      lastWrittenAt: now,
      lastWriteKey: writeKey,
      deleted: true,
    }));
    await this.collection.deleteMany({ _id: { $in: docs.map((doc) => doc._id) } });
    await this.collection.insertMany(docs, { ordered: false });
  }

  /** Brevo deleted the contact (R13 the other way): the link goes. */
  async removeMany(integrationId: string, salesforceIds: readonly string[]): Promise<void> {
    if (salesforceIds.length === 0) return;
    await this.collection.deleteMany({ _id: { $in: salesforceIds.map((id) => linkId(integrationId, id)) } });
  }

  /** Every live link of an integration, in Salesforce Id order (tests, audits). */
  async list(integrationId: string): Promise<LinkDoc[]> {
    const docs = await this.collection.find({ integrationId }).sort({ salesforceId: 1 }).toArray();
    return docs.filter((doc) => doc.deleted !== true).map(strip);
  }

  async count(integrationId: string): Promise<number> {
    return this.collection.countDocuments({ integrationId, deleted: { $ne: true } });
  }

  async removeIntegration(integrationId: string): Promise<void> {
    await this.collection.deleteMany({ integrationId });
  }
}
