import type { Db } from './sync-db.ts';

/**
 * What the integration last wrote to (or knows is in) the Brevo contact for
 * one Salesforce record: the canonical mapped values, never the raw record.
 */
export interface BrevoValues {
  email?: string;
  sms?: string;
  /** Category attributes hold the option's numeric value; Yes/No ones a boolean. */
  attributes: Record<string, string | number | boolean | null>;
  /** Opt-outs (rules' `SyncedOptOut`): the Salesforce flag as last synced (absent: not set). */
  optedOut?: true;
  /** Opt-outs: Brevo's blocklisting of the email as last seen or written (absent: not known). */
  emailBlacklisted?: boolean;
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
  /**
   * The record stopped matching the integration's record filter: its contact was taken out of the list (not deleted),
   * and nothing syncs either way until the record matches again, when it joins the list again.
   */
  leftList?: true;
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

/** Point reads per batch in flight at once: enough to hide round trips, few enough to leave the pool to others. */
const READ_CONCURRENCY = 8;

/**
 * Replacements per bulkWrite: a bounded command whatever the chunk's size (on
 * MongoDB slices only add round trips; the embedded database once held every
 * statement's read open to the end of the command, and a bulkWrite of 100
 * never returned).
 */
const REPLACES_PER_COMMAND = 50;

/**
 * Links keyed by `_id` = `${integrationId}:${salesforceId}`, and every read and
 * write on the sync's hot path goes by that `_id`, one document per operation:
 * the cheapest operation on MongoDB and on the embedded database alike, which
 * answers `_id` equality from its primary key but reads the whole collection for
 * a filter on a dotted path (`findByEmails`: used only off the hot path). So a
 * batch reads its links by `_id` a few at a time, new links go in by insertMany
 * and existing ones are replaced by `_id` in bulkWrites.
 *
 * Layout history: links once had ObjectId `_id`s and were found by
 * (integrationId, salesforceId); such documents are not read by this layout
 * (nothing was released with it, so there is no migration: drop
 * `sync_links` and let the next run relink by ext_id).
 */
export class LinkStore {
  constructor(private readonly db: Db) {}

  private get collection() {
    return this.db.collection<StoredLink>(LINKS);
  }

  async ensureIndexes(): Promise<void> {
    // No (integrationId, salesforceId) index: the `_id` is that pair, and every index costs each insert of an initial load.
    await this.collection.createIndex({ integrationId: 1, 'values.email': 1 }, { name: 'integration_email' });
    await this.collection.createIndex({ integrationId: 1, lastWriteKey: 1 }, { name: 'integration_write_key' });
  }

  async findBySalesforceIds(integrationId: string, salesforceIds: readonly string[]): Promise<Map<string, LinkDoc>> {
    const ids = [...new Set(salesforceIds)];
    const found = new Map<string, LinkDoc>();
    let next = 0;
    const reader = async () => {
      while (next < ids.length) {
        const salesforceId = ids[next++]!;
        const doc = await this.collection.findOne({ _id: linkId(integrationId, salesforceId) });
        if (doc && doc.deleted !== true) found.set(salesforceId, strip(doc));
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, ids.length) }, reader));
    return found;
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
   * exists already (replaced by `_id`); the others are inserted, and any clash
   * with an existing document (a tombstone, a link left by a crashed attempt)
   * is replaced the same way.
   */
  async upsertMany(links: readonly LinkDoc[], replacing?: ReadonlySet<string>): Promise<void> {
    const docs: StoredLink[] = links.map((link) => ({ ...link, deleted: false, _id: linkId(link.integrationId, link.salesforceId) }));
    const known = replacing ? docs.filter((doc) => replacing.has(doc.salesforceId)) : docs;
    const fresh = replacing ? docs.filter((doc) => !replacing.has(doc.salesforceId)) : [];
    await this.replaceMany(known);
    if (fresh.length === 0) return;
    try {
      await this.collection.insertMany(fresh, { ordered: false });
    } catch (error) {
      const clashes = new Set(((error as { writeErrors?: { code?: number; index?: number }[] }).writeErrors ?? []).filter((e) => e.code === 11000).map((e) => e.index!));
      if (clashes.size === 0) throw error;
      await this.replaceMany(fresh.filter((_doc, index) => clashes.has(index)));
    }
  }

  /** Whole documents replaced (or inserted) by `_id`, a slice of them per round trip. */
  private async replaceMany(docs: readonly StoredLink[]): Promise<void> {
    for (let i = 0; i < docs.length; i += REPLACES_PER_COMMAND) {
      await this.collection.bulkWrite(
        docs.slice(i, i + REPLACES_PER_COMMAND).map((doc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } })),
        { ordered: false },
      );
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
    await this.replaceMany(docs);
  }

  /** Brevo deleted the contact (R13 the other way): the link goes. */
  async removeMany(integrationId: string, salesforceIds: readonly string[]): Promise<void> {
    if (salesforceIds.length === 0) return;
    await this.collection.bulkWrite(
      salesforceIds.map((id) => ({ deleteOne: { filter: { _id: linkId(integrationId, id) } } })),
      { ordered: false },
    );
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
