import { isDuplicateKeyError } from './duplicate-key.ts';
import type { Db } from './sync-db.ts';

/**
 * A named lease: one holder at a time, until it releases the lease or stops
 * renewing it for `ttlMs`. Each acquisition gets the next generation, so a
 * holder that lost its lease (expired, taken by another) can tell by
 * `holds()` before it commits anything, and its late renewals and releases
 * change nothing.
 *
 * One document per lease, changed only by conditional single-document updates
 * (an atomic findOneAndUpdate takes a free or expired lease). The worker holds
 * one per integration while it runs it, and one to reconcile its jobs.
 */
export interface LeaseDoc {
  _id: string;
  owner: string | null;
  generation: number;
  expiresAt: Date;
}

export const SYNC_LEASES = 'sync_leases';

export interface Lease {
  /** What is leased (an integration id, or a name such as the worker's reconcile). */
  readonly key: string;
  readonly owner: string;
  readonly generation: number;
}

export class LeaseStore {
  constructor(private readonly db: Db) {}

  private get leases() {
    return this.db.collection<LeaseDoc>(SYNC_LEASES);
  }

  /** The lease if it is free or expired (then it is `owner`'s until `now + ttlMs`), or null. */
  async acquire(key: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    try {
      const taken = await this.leases.findOneAndUpdate(
        { _id: key, $or: [{ owner: null }, { expiresAt: { $lte: now } }] },
        { $set: { owner, expiresAt: new Date(now.getTime() + ttlMs) }, $inc: { generation: 1 } },
        { upsert: true, returnDocument: 'after' },
      );
      return taken ? { key, owner, generation: taken.generation } : null;
    } catch (error) {
      // Held by someone else: the filter matched nothing, and the upsert's insert met the existing document.
      if (isDuplicateKeyError(error)) return null;
      throw error;
    }
  }

  /** Extends a held lease; false when it was lost (expired, or taken by another). */
  async renew(lease: Lease, ttlMs: number, now: Date): Promise<boolean> {
    const result = await this.leases.updateOne(
      { ...held(lease), expiresAt: { $gt: now } },
      { $set: { expiresAt: new Date(now.getTime() + ttlMs) } },
    );
    return result.modifiedCount === 1;
  }

  async holds(lease: Lease, now: Date): Promise<boolean> {
    // A find by `_id` (a count is an aggregate: a pipeline for the database to run at every check of every run).
    return (await this.leases.findOne({ ...held(lease), expiresAt: { $gt: now } }, { projection: { _id: 1 } })) !== null;
  }

  async release(lease: Lease): Promise<void> {
    await this.leases.updateOne(held(lease), { $set: { owner: null, expiresAt: new Date(0) } });
  }

  async remove(key: string): Promise<void> {
    await this.leases.deleteOne({ _id: key });
  }
}

/** The lease document while `lease` is its acquisition. */
function held(lease: Lease) {
  return { _id: lease.key, owner: lease.owner, generation: lease.generation };
}
