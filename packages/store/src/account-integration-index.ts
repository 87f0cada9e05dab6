import type { mongo } from 'mongoose';
import { isDuplicateKey } from './store-connection.ts';

/**
 * Which integrations an account has, in one document per account (`_id`: the
 * account id), so the list is read by `_id` equality only: the local FerretDB
 * answers any other filter (`{ accountId }` too, indexed or not) by reading and
 * decoding the whole collection; on MongoDB an `_id` lookup is the cheapest
 * read as well.
 *
 * Kept exact without read-modify-write: on the local FerretDB every update of
 * one document is a read, a change and a write of the whole document, so
 * concurrent `$addToSet`/`$pull` lose each other (30 concurrent `$addToSet`
 * left 1–3 ids). Instead, after each create or delete of an integration the
 * writer rebuilds the document from the integrations themselves, then reads
 * both again, and repeats until it sees them equal. Whatever the interleaving,
 * the last rebuild to land is checked by its writer against integrations that
 * no later create or delete changed (those are followed by a rebuild of their
 * own), so the document ends equal to the integrations.
 *
 * What that does not cover (a process dying between its create and its
 * rebuild, a hand edit of the database) lasts at most `maxAgeMs`: an older
 * document is rebuilt by the next read. A missing one (a database from before
 * the index, seeded data) is rebuilt by the next read too.
 */
export interface AccountIntegrationIndexDoc {
  _id: string;
  /** Hex ids, sorted. */
  integrationIds: string[];
  rebuiltAt: Date;
}

export const ACCOUNT_INTEGRATION_INDEX = 'account_integration_index';

export interface AccountIntegrationIndexOptions {
  /** An index document older than this is rebuilt by the next read. */
  maxAgeMs: number;
  /** Rebuilds in a row that may find the integrations changed again before one gives up (and removes the document). */
  maxRounds: number;
  now?: () => Date;
}

export const ACCOUNT_INDEX_DEFAULTS: AccountIntegrationIndexOptions = { maxAgeMs: 10 * 60_000, maxRounds: 20 };

const sameIds = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id, i) => id === b[i]);

export class AccountIntegrationIndex {
  readonly #collection: mongo.Collection<AccountIntegrationIndexDoc>;
  readonly #options: Required<AccountIntegrationIndexOptions>;

  /** `readIntegrationIds`: the account's integration ids as the integrations say (the truth the index follows), sorted. */
  constructor(
    db: mongo.Db,
    private readonly readIntegrationIds: (accountId: string) => Promise<string[]>,
    options: AccountIntegrationIndexOptions = ACCOUNT_INDEX_DEFAULTS,
  ) {
    this.#collection = db.collection<AccountIntegrationIndexDoc>(ACCOUNT_INTEGRATION_INDEX);
    this.#options = { now: () => new Date(), ...options };
  }

  /** The account's integration ids: the index document, or the integrations when it is missing or too old (rebuilding it). */
  async ids(accountId: string): Promise<string[]> {
    const doc = await this.#collection.findOne({ _id: accountId });
    if (doc && this.#options.now().getTime() - doc.rebuiltAt.getTime() < this.#options.maxAgeMs) return doc.integrationIds;
    return this.rebuild(accountId);
  }

  /** Makes the account's document equal its integrations (see above); returns the ids. Called after every create and delete. */
  async rebuild(accountId: string): Promise<string[]> {
    for (let round = 0; round < this.#options.maxRounds; round += 1) {
      await this.#write(accountId, await this.readIntegrationIds(accountId));
      const [ids, stored] = await Promise.all([this.readIntegrationIds(accountId), this.#collection.findOne({ _id: accountId })]);
      if (stored && sameIds(ids, stored.integrationIds)) return ids;
    }
    // Still changing under us: no document rather than a wrong one (the next read rebuilds it).
    await this.#collection.deleteOne({ _id: accountId });
    return this.readIntegrationIds(accountId);
  }

  async #write(accountId: string, integrationIds: string[]): Promise<void> {
    const write = () =>
      this.#collection.updateOne({ _id: accountId }, { $set: { integrationIds, rebuiltAt: this.#options.now() } }, { upsert: true });
    try {
      await write();
    } catch (error) {
      // Two first writes of the account raced to insert (FerretDB's upsert is find-then-insert): it exists now.
      if (!isDuplicateKey(error)) throw error;
      await write();
    }
  }
}
