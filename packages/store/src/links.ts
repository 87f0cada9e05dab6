import type { BrevoAttributeValue } from '@contact-sync/rules';
import { isDuplicateKeyError, refusedPositions } from './duplicate-key.ts';
import { findByIds, type Db } from './sync-db.ts';

/**
 * What the integration last wrote to (or knows is in) the Brevo contact for
 * one Salesforce record: the canonical mapped values, never the raw record.
 */
export interface BrevoValues {
  email?: string;
  sms?: string;
  /** Category attributes hold the option's numeric value; Yes/No ones a boolean; multiple-choice ones their labels (`canonicalChoices`). */
  attributes: Record<string, BrevoAttributeValue>;
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
  /**
   * When the sync last wrote each attribute to Brevo (Brevo's names, `EMAIL` and `SMS` included), by our clock, taken
   * just before the write was sent: only the attributes a batch update changed (an import stamps nothing: its event is
   * left out by `EXT_ID`), kept while the attribute stays mapped. Brevo → Salesforce does not fold an event's change of an attribute
   * made in an earlier second (`foldEvents`): our write superseded it. Absent on links written before it existed.
   */
  attributesWrittenAt?: Record<string, Date>;
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
   * Converted leads (rules' lead-conversion.ts): the lead this link followed to its Contact. Brevo's
   * ext_id still names the lead until the Contacts integration's next write, which sets it.
   */
  movedFrom?: LinkKey;
  /** A tombstone left by `move`: where the link went. */
  movedTo?: LinkKey;
  /** The lead was converted to this Contact and no Contacts integration covers it: the link no longer syncs either way. */
  convertedTo?: string;
  /**
   * The record stopped matching the integration's record filter: its contact was taken out of the list (not deleted),
   * and nothing syncs either way until the record matches again, when it joins the list again.
   */
  leftList?: true;
}

/** Which link: one integration's, of one Salesforce record. */
export interface LinkKey {
  integrationId: string;
  salesforceId: string;
}

/** How `LinkStore.move` ended: moved (now or by an earlier attempt), or refused because the target record already has another Brevo contact. */
export type MoveOutcome = { moved: true; link: LinkDoc } | { moved: false; reason: 'target_linked' | 'source_gone' };

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
 * Replacements per bulkWrite: a bounded command whatever the chunk's size (on
 * MongoDB slices only add round trips; the embedded database once held every
 * statement's read open to the end of the command, and a bulkWrite of 100
 * never returned).
 */
const REPLACES_PER_COMMAND = 50;
/**
 * New links inserted per command. The driver serializes a command whole: a chunk's 10,000 links in one insertMany
 * raised an initial load's peak RSS by about 35 MB (engine alone, 100k: 283–287 MB, 248–254 MB in slices of 1,000,
 * as fast).
 */
const INSERTS_PER_COMMAND = 1_000;

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
    const docs = await findByIds(this.collection, salesforceIds.map((salesforceId) => linkId(integrationId, salesforceId)));
    return new Map(docs.filter((doc) => doc.deleted !== true).map((doc) => [doc.salesforceId, strip(doc)]));
  }

  /**
   * Of these Salesforce Ids, those one of `integrationIds` links (R14 across Salesforce orgs: the sync asks it of the
   * account's integrations on other orgs, once per chunk of a run or a preview). One read by `_id` (each pair's), like
   * `findBySalesforceIds`: bounded by the Ids asked times the integrations, whatever the size of their link sets. In
   * `findByIds`' slices rather than one `$in`: on the local database one `$in` of 10,000 `_id`s took 960 ms against
   * 100–150 ms sliced (load 7–8), and one of 40,000 is refused (SQLite: too many SQL variables).
   */
  async linkedByAnyOf(integrationIds: readonly string[], salesforceIds: readonly string[]): Promise<Set<string>> {
    if (integrationIds.length === 0 || salesforceIds.length === 0) return new Set();
    const ids = integrationIds.flatMap((integrationId) => salesforceIds.map((salesforceId) => linkId(integrationId, salesforceId)));
    const docs = await findByIds(this.collection, ids, { salesforceId: 1, deleted: 1 });
    return new Set(docs.filter((doc) => doc.deleted !== true).map((doc) => doc.salesforceId));
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

  /** The live links the chunk `writeKey` wrote last (an unconfirmed import's rows: `BrevoWriter.confirm`). */
  async findWrittenBy(integrationId: string, writeKey: string): Promise<LinkDoc[]> {
    const docs = await this.collection.find({ integrationId, lastWriteKey: writeKey }).toArray();
    return docs.filter((doc) => doc.deleted !== true).map(strip);
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
    for (let i = 0; i < fresh.length; i += INSERTS_PER_COMMAND) {
      const slice = fresh.slice(i, i + INSERTS_PER_COMMAND);
      try {
        await this.collection.insertMany(slice, { ordered: false });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        const clashes = refusedPositions(error);
        await this.replaceMany(slice.filter((_doc, index) => clashes.has(index)));
      }
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

  /**
   * Converted leads: the link of `from` (a lead) becomes the link of `to` (its Contact, in a Contacts
   * integration), the same Brevo contact, so there is never a second one. Without transactions the
   * move is two single-document writes whose order makes any interruption safe to repeat: the
   * target is inserted first (the unique `_id` lets only one link claim the Contact), then the
   * source becomes a tombstone naming the target. A repeat finds the target already there with
   * the same Brevo contact and finishes the tombstone. A target already linked to another Brevo
   * contact is refused (R15: never a merge). The moved link is written on the next Contacts write
   * (its hash is cleared): Brevo then gets the Contact's values, list and ext_id.
   */
  async move(from: LinkKey, to: LinkKey, now: Date): Promise<MoveOutcome> {
    const sourceId = linkId(from.integrationId, from.salesforceId);
    const targetId = linkId(to.integrationId, to.salesforceId);
    const source = await this.collection.findOne({ _id: sourceId });
    const existing = await this.collection.findOne({ _id: targetId });
    if (!source || source.deleted === true) {
      // An earlier attempt finished the move: the tombstone names the target, which holds the link.
      const finished = source?.movedTo?.integrationId === to.integrationId && source.movedTo.salesforceId === to.salesforceId;
      return finished && existing && existing.deleted !== true ? { moved: true, link: strip(existing) } : { moved: false, reason: 'source_gone' };
    }
    const { _id: _source, deleted: _deleted, convertedTo: _convertedTo, lastWriteKey: _key, salesforceModstamp: _stamp, ...kept } = source;
    const target: StoredLink = { ...kept, _id: targetId, integrationId: to.integrationId, salesforceId: to.salesforceId, hash: '', movedFrom: from, lastWrittenAt: now, deleted: false };
    if (existing && existing.deleted !== true && existing.brevoId !== source.brevoId) return { moved: false, reason: 'target_linked' };
    if (!existing) {
      try {
        await this.collection.insertOne(target);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // Another worker linked the Contact meanwhile: the move goes on only if that link is this same Brevo contact.
        const raced = await this.collection.findOne({ _id: targetId });
        if (raced && raced.deleted !== true && raced.brevoId !== source.brevoId) return { moved: false, reason: 'target_linked' };
      }
    } else if (existing.deleted === true) {
      // A tombstone of the Contact's (unlinked earlier): replaced only while it is still one.
      await this.collection.replaceOne({ _id: targetId, deleted: true }, target);
    }
    const tombstone: StoredLink = { _id: sourceId, integrationId: from.integrationId, salesforceId: from.salesforceId, brevoId: null, values: { attributes: {} }, hash: '', lastWrittenAt: now, deleted: true, movedTo: to };
    await this.collection.replaceOne({ _id: sourceId, brevoId: source.brevoId }, tombstone);
    const moved = await this.collection.findOne({ _id: targetId });
    return moved && moved.deleted !== true && moved.brevoId === source.brevoId ? { moved: true, link: strip(moved) } : { moved: false, reason: 'target_linked' };
  }

  /** Converted leads: no Contacts integration takes the lead's contact; the link stays, marked, and no longer syncs. */
  async markConverted(integrationId: string, salesforceId: string, contactId: string): Promise<void> {
    await this.collection.updateOne({ _id: linkId(integrationId, salesforceId) }, { $set: { convertedTo: contactId } });
  }

  /** The Brevo ids of links made without one (an import's, learned when its contacts were read back). */
  async setBrevoIds(integrationId: string, brevoIds: ReadonlyMap<string, number>): Promise<void> {
    const updates = [...brevoIds].map(([salesforceId, brevoId]) => ({ updateOne: { filter: { _id: linkId(integrationId, salesforceId) }, update: { $set: { brevoId } } } }));
    for (let i = 0; i < updates.length; i += REPLACES_PER_COMMAND) await this.collection.bulkWrite(updates.slice(i, i + REPLACES_PER_COMMAND), { ordered: false });
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
