import type { Db } from './sync-db.ts';
import { isDuplicateKeyError } from './sync-db.ts';

/**
 * "Never two runs of one integration at once", held in the database.
 * Only unique-index inserts decide who wins: the local FerretDB applies
 * conditional updates non-atomically (measured: three concurrent
 * `updateOne({ _id, field: null })` all report modifiedCount 1). Each
 * acquisition inserts a claim `${integrationId}#${generation}`; the one insert
 * that succeeds owns that generation, then records itself in the lease document.
 */
export interface LeaseDoc {
  _id: string;
  owner: string | null;
  generation: number;
  expiresAt: Date;
}

interface LeaseClaimDoc {
  _id: string;
  integrationId: string;
  owner: string;
  at: Date;
}

export const SYNC_LEASES = 'sync_leases';
export const SYNC_LEASE_CLAIMS = 'sync_lease_claims';

export interface Lease {
  readonly integrationId: string;
  readonly owner: string;
  readonly generation: number;
}

export class LeaseStore {
  constructor(private readonly db: Db) {}

  private get leases() {
    return this.db.collection<LeaseDoc>(SYNC_LEASES);
  }

  private get claims() {
    return this.db.collection<LeaseClaimDoc>(SYNC_LEASE_CLAIMS);
  }

  private async claim(integrationId: string, generation: number, owner: string, now: Date): Promise<boolean> {
    try {
      await this.claims.insertOne({ _id: `${integrationId}#${generation}`, integrationId, owner, at: now });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async acquire(integrationId: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    const current = await this.leases.findOne({ _id: integrationId });
    if (current && current.owner !== null && current.expiresAt.getTime() > now.getTime()) return null;
    const generation = (current?.generation ?? 0) + 1;
    if (!(await this.claim(integrationId, generation, owner, now))) return null;
    await this.leases.updateOne({ _id: integrationId }, { $set: { owner, generation, expiresAt } }, { upsert: true });
    return { integrationId, owner, generation };
  }

  /** Extends a held lease; false when it was lost (expired and taken by another worker). */
  async renew(lease: Lease, ttlMs: number, now: Date): Promise<boolean> {
    if (!(await this.holds(lease, now))) return false;
    await this.leases.updateOne(
      { _id: lease.integrationId, owner: lease.owner, generation: lease.generation },
      { $set: { expiresAt: new Date(now.getTime() + ttlMs) } },
    );
    return true;
  }

  async holds(lease: Lease, now: Date): Promise<boolean> {
    const doc = await this.leases.findOne({ _id: lease.integrationId });
    return doc?.owner === lease.owner && doc.generation === lease.generation && doc.expiresAt.getTime() > now.getTime();
  }

  async release(lease: Lease): Promise<void> {
    await this.leases.updateOne(
      { _id: lease.integrationId, owner: lease.owner, generation: lease.generation },
      { $set: { owner: null, expiresAt: new Date(0) } },
    );
  }

  async remove(integrationId: string): Promise<void> {
    await this.leases.deleteOne({ _id: integrationId });
  }
}
