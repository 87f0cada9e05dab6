import { isDuplicateKeyError } from './duplicate-key.ts';
import type { Db } from './sync-db.ts';

/**
 * Who holds a Change Data Capture subscription (one per Salesforce org and
 * object): one worker for as long as it lives, renewing the lease; when it
 * dies the lease expires and another worker takes it over. Agenda's job lock
 * cannot give this (no job runs for the life of a subscription).
 *
 * Each step is one atomic `findOneAndUpdate` on MongoDB: taking filters on
 * "expired" (or inserts a missing lease, where the unique `_id` lets one
 * concurrent taker win), renewing and releasing filter on the holder and the
 * generation the taking returned, so a holder that lost its lease can never
 * renew or release the next holder's. The embedded database keeps that
 * promise too (tools/devdb's patch; packages/store/src/mongodb-promises.test.ts).
 */
export interface StreamLeaseDoc {
  _id: string;
  holder: string;
  expiresAt: Date;
  /** +1 at every taking: a fencing token. */
  generation: number;
}

export interface StreamLease {
  readonly key: string;
  readonly holder: string;
  readonly generation: number;
}

export const STREAM_LEASES = 'sync_stream_leases';

export class StreamLeaseStore {
  constructor(private readonly db: Db) {}

  private get leases() {
    return this.db.collection<StreamLeaseDoc>(STREAM_LEASES);
  }

  /** The lease if nobody holds it (never held, released or expired); null when another holder's is current. */
  async take(key: string, holder: string, ttlMs: number, now: Date): Promise<StreamLease | null> {
    try {
      const taken = await this.leases.findOneAndUpdate(
        { _id: key, expiresAt: { $lte: now } },
        { $set: { holder, expiresAt: new Date(now.getTime() + ttlMs) }, $inc: { generation: 1 } },
        { upsert: true, returnDocument: 'after' },
      );
      return taken ? { key, holder, generation: taken.generation } : null;
    } catch (error) {
      // Held and current: the upsert's insert met the existing `_id`.
      if (isDuplicateKeyError(error)) return null;
      throw error;
    }
  }

  /** Extends a held lease; false once it was lost (expired, and perhaps taken by another). */
  async renew(lease: StreamLease, ttlMs: number, now: Date): Promise<boolean> {
    const renewed = await this.leases.findOneAndUpdate(
      { _id: lease.key, holder: lease.holder, generation: lease.generation, expiresAt: { $gt: now } },
      { $set: { expiresAt: new Date(now.getTime() + ttlMs) } },
    );
    return renewed !== null;
  }

  /** Gives a held lease up now, so another worker can take it at once. */
  async release(lease: StreamLease): Promise<void> {
    await this.leases.findOneAndUpdate({ _id: lease.key, holder: lease.holder, generation: lease.generation }, { $set: { expiresAt: new Date(0) } });
  }

  /** Of these streams, those that have a lease, current or not (a lease is never deleted): one find of their keys. */
  async existing(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const found = await this.leases.find({ _id: { $in: [...new Set(keys)] } }, { projection: { _id: 1 } }).toArray();
    return new Set(found.map((doc) => doc._id));
  }

  /** Of these streams, those whose lease was released or has expired: one find that reads only those (usually none). */
  async lapsed(keys: readonly string[], now: Date): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const found = await this.leases.find({ _id: { $in: [...new Set(keys)] }, expiresAt: { $lte: now } }, { projection: { _id: 1 } }).toArray();
    return new Set(found.map((doc) => doc._id));
  }

  async holder(key: string, now: Date): Promise<string | null> {
    const doc = await this.leases.findOne({ _id: key });
    return doc && doc.expiresAt.getTime() > now.getTime() ? doc.holder : null;
  }
}
