import { fnv1a64, MONTHLY_OPERATION_QUOTA } from '@contact-sync/rules';
import { isDuplicateKeyError } from './duplicate-key.ts';
import type { Db } from './sync-db.ts';

/**
 * R16 usage: one document per (integration, UTC month), `_id` `${integrationId}:${month}`.
 * A page's operations are reserved before its writes and settled after, in
 * single-document conditional updates: the reservation is recorded in the
 * same document as the `$inc`, under a key derived from the page, so a replay
 * of the same page after a crash finds its reservation instead of charging again.
 */
export interface QuotaUsageDoc {
  _id: string;
  integrationId: string;
  month: string;
  used: number;
  /** Open reservations by page key (hex): operations reserved and not yet settled. */
  reservations: Record<string, number>;
}

export interface QuotaLimitDoc {
  _id: string;
  limit: number;
  raisedBy?: string;
  raisedAt?: Date;
}

export const QUOTA_USAGE = 'sync_quota_usage';
export const QUOTA_LIMITS = 'sync_quota_limits';
export const QUOTA_NOTICES = 'sync_quota_notices';

/** One per (integration, month, kind): the email was claimed for sending. */
export interface QuotaNoticeDoc {
  _id: string;
  integrationId: string;
  month: string;
  kind: 'warning' | 'exceeded';
  claimedAt: Date;
}

export interface Reservation {
  readonly usageId: string;
  readonly field: string;
  /** Operations reserved under this key (including a reservation found from an earlier attempt). */
  readonly reserved: number;
  readonly usedAfter: number;
  /** What an earlier attempt of the chunk had reserved under the key (undefined: none; this attempt wrote nothing before). */
  readonly earlier: number | undefined;
}

export type ReserveResult =
  | { readonly ok: true; readonly reservation: Reservation }
  /** Not enough quota for `planned`: this attempt could still make `available` operations. */
  | { readonly ok: false; readonly available: number; readonly used: number };

function reservationField(pageKey: string): string {
  return `reservations.r${fnv1a64(pageKey)}`;
}

export class QuotaStore {
  constructor(private readonly db: Db) {}

  private get usage() {
    return this.db.collection<QuotaUsageDoc>(QUOTA_USAGE);
  }

  private get notices() {
    return this.db.collection<QuotaNoticeDoc>(QUOTA_NOTICES);
  }

  private get limits() {
    return this.db.collection<QuotaLimitDoc>(QUOTA_LIMITS);
  }

  async ensureIndexes(): Promise<void> {
    await this.usage.createIndex({ integrationId: 1, month: 1 }, { unique: true, name: 'integration_month' });
  }

  async limitOf(integrationId: string): Promise<number> {
    const doc = await this.limits.findOne({ _id: integrationId });
    return doc?.limit ?? MONTHLY_OPERATION_QUOTA;
  }

  /** `limitOf` for several integrations in one find (`_id $in`): every id is in the map. */
  async limitsOf(integrationIds: readonly string[]): Promise<Map<string, number>> {
    const found = integrationIds.length === 0 ? [] : await this.limits.find({ _id: { $in: [...integrationIds] } }, { projection: { limit: 1 } }).toArray();
    const byId = new Map(found.map((doc) => [doc._id, doc.limit]));
    return new Map(integrationIds.map((id) => [id, byId.get(id) ?? MONTHLY_OPERATION_QUOTA]));
  }

  /** Admin command: raise (or set) one integration's monthly quota. */
  async setLimit(integrationId: string, limit: number, by: string, now: Date): Promise<void> {
    if (!Number.isSafeInteger(limit) || limit < 0) throw new Error('limit must be a non-negative integer');
    await this.limits.updateOne({ _id: integrationId }, { $set: { limit, raisedBy: by, raisedAt: now } }, { upsert: true });
  }

  private async ensureUsage(integrationId: string, month: string): Promise<QuotaUsageDoc> {
    const _id = `${integrationId}:${month}`;
    const doc = await this.usage.findOneAndUpdate(
      { _id },
      { $setOnInsert: { integrationId, month, used: 0, reservations: {} } },
      { upsert: true, returnDocument: 'after' },
    );
    return doc!;
  }

  /** Operations charged to the chunk `pageKey` by an earlier attempt (undefined: none). */
  async reservationOf(integrationId: string, month: string, pageKey: string): Promise<number | undefined> {
    const doc = await this.usage.findOne({ _id: `${integrationId}:${month}` });
    return doc?.reservations?.[reservationField(pageKey).slice('reservations.'.length)];
  }

  async used(integrationId: string, month: string): Promise<number> {
    const doc = await this.usage.findOne({ _id: `${integrationId}:${month}` });
    return doc?.used ?? 0;
  }

  /** `used` for several integrations in one find (`_id $in` on the month's documents): every id is in the map. */
  async usedMany(integrationIds: readonly string[], month: string): Promise<Map<string, number>> {
    const found = integrationIds.length === 0 ? [] : await this.usage.find({ _id: { $in: integrationIds.map((id) => `${id}:${month}`) } }, { projection: { used: 1 } }).toArray();
    const byId = new Map(found.map((doc) => [doc._id, doc.used]));
    return new Map(integrationIds.map((id) => [id, byId.get(`${id}:${month}`) ?? 0]));
  }

  /**
   * Charges the chunk `pageKey` for what all its attempts make: `planned`, what this attempt will make, plus what its
   * earlier attempts made when one left a reservation under the key (`madeBefore`, asked only then and once: an attempt
   * always reserves before it writes, so without a reservation nothing was written). Without `madeBefore`, `planned`
   * counts them already (a replay that plans the same writes again). A reservation an earlier attempt left is reused
   * and only extended by the difference, so a replay never charges twice.
   *
   * The common case, a chunk's first attempt with quota enough, is one conditional upsert that also makes the month's
   * document. Otherwise (a reservation under the key, not enough quota, a change meanwhile) the document is read and
   * updated conditionally on what was read.
   */
  async reserve(integrationId: string, month: string, pageKey: string, planned: number, limit: number, madeBefore?: () => Promise<number>): Promise<ReserveResult> {
    const field = reservationField(pageKey);
    if (planned > 0 && planned <= limit) {
      const first = await this.reserveUnderNewKey(integrationId, month, field, planned, limit);
      if (first) return { ok: true, reservation: first };
    }
    const key = field.slice('reservations.'.length);
    let made: number | undefined;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const doc = await this.ensureUsage(integrationId, month);
      const earlier = doc.reservations?.[key];
      if (earlier !== undefined) made ??= madeBefore ? await madeBefore() : 0;
      const requested = planned + (earlier === undefined ? 0 : made!);
      const extra = requested - (earlier ?? 0);
      if (earlier !== undefined && extra <= 0) {
        return { ok: true, reservation: { usageId: doc._id, field, reserved: earlier, usedAfter: doc.used, earlier } };
      }
      if (doc.used + extra > limit) {
        // What this attempt could still make: the month's rest, and what the key holds beyond what was made under it.
        const unmade = earlier === undefined ? 0 : Math.max(0, earlier - made!);
        return { ok: false, available: Math.max(0, limit - doc.used) + unmade, used: doc.used };
      }
      const filter =
        earlier === undefined
          ? { _id: doc._id, used: doc.used, [field]: { $exists: false } }
          : { _id: doc._id, used: doc.used, [field]: earlier };
      const result = await this.usage.updateOne(filter, { $inc: { used: extra }, $set: { [field]: requested } });
      if (result.modifiedCount === 1) {
        return { ok: true, reservation: { usageId: doc._id, field, reserved: requested, usedAfter: doc.used + extra, earlier } };
      }
      // Someone else changed the document between read and update: read again.
    }
    throw new Error('quota reservation kept conflicting; is another run writing for this integration?');
  }

  /**
   * `reserve` when no reservation is under the key (a chunk's first attempt, or a replay whose earlier attempt settled
   * and released its own) and the month has room: one conditional upsert, which also makes the month's document. Null
   * when it cannot (a reservation under the key, or not enough quota left).
   */
  private async reserveUnderNewKey(integrationId: string, month: string, field: string, requested: number, limit: number): Promise<Reservation | null> {
    const _id = `${integrationId}:${month}`;
    try {
      const doc = await this.usage.findOneAndUpdate(
        { _id, used: { $lte: limit - requested }, [field]: { $exists: false } },
        { $inc: { used: requested }, $set: { [field]: requested }, $setOnInsert: { integrationId, month } },
        { upsert: true, returnDocument: 'after' },
      );
      return doc ? { usageId: _id, field, reserved: requested, usedAfter: doc.used, earlier: undefined } : null;
    } catch (error) {
      // The document exists and the filter did not match it: the upsert's insert met it.
      if (isDuplicateKeyError(error)) return null;
      throw error;
    }
  }

  /**
   * Settles a reservation to the operations the chunk actually made (across
   * every attempt of it): the difference goes back to the month. The key stays,
   * holding what is charged, until the chunk is committed (`release`), so a
   * replay after settling charges only what it adds.
   */
  async settle(reservation: Reservation, made: number): Promise<Reservation> {
    const result = await this.usage.updateOne(
      { _id: reservation.usageId, [reservation.field]: reservation.reserved },
      { $inc: { used: made - reservation.reserved }, $set: { [reservation.field]: made } },
    );
    if (result.modifiedCount !== 1) return reservation;
    return { ...reservation, reserved: made, usedAfter: reservation.usedAfter + made - reservation.reserved };
  }

  /**
   * `settle` and `release` in one write, once every link the chunk wrote is saved: a replay of the chunk then plans
   * those records unchanged and charges only what it writes again, as it would from the settled key.
   */
  async settleAndRelease(reservation: Reservation, made: number): Promise<number> {
    const result = await this.usage.updateOne(
      { _id: reservation.usageId, [reservation.field]: reservation.reserved },
      { $inc: { used: made - reservation.reserved }, $unset: { [reservation.field]: '' } },
    );
    if (result.modifiedCount === 1) return reservation.usedAfter + made - reservation.reserved;
    // Changed since (as `settle`, which then charges nothing): forgotten all the same.
    await this.release(reservation);
    return reservation.usedAfter;
  }

  /** Forgets a committed chunk's reservation (its operations stay counted). */
  async release(reservation: Reservation): Promise<void> {
    await this.usage.updateOne({ _id: reservation.usageId }, { $unset: { [reservation.field]: '' } });
  }

  /**
   * Settles the reservation of a chunk key to what the chunk made and forgets it, when the run that reserved it
   * stopped before its commit and the chunk may not be replayed under the same key (a held import: packages/sync
   * `confirmStopped`). A later chunk charges only what it adds.
   */
  async settleKey(integrationId: string, month: string, pageKey: string, made: number): Promise<void> {
    const reserved = await this.reservationOf(integrationId, month, pageKey);
    if (reserved === undefined) return;
    const field = reservationField(pageKey);
    await this.usage.updateOne({ _id: `${integrationId}:${month}`, [field]: reserved }, { $inc: { used: made - reserved }, $unset: { [field]: '' } });
  }

  /** Forgets the reservation of a chunk key, whatever its month (after the chunk's watermark moved). */
  async releaseKey(integrationId: string, month: string, pageKey: string): Promise<void> {
    await this.usage.updateOne({ _id: `${integrationId}:${month}` }, { $unset: { [reservationField(pageKey)]: '' } });
  }

  /**
   * Claims the month's 80% (or exceeded) email: true once per month, to the
   * caller that should send it (a unique insert; the claim stays as a record).
   */
  async claimNotice(integrationId: string, month: string, kind: 'warning' | 'exceeded', now: Date): Promise<boolean> {
    try {
      await this.notices.insertOne({ _id: `${integrationId}:${month}:${kind}`, integrationId, month, kind, claimedAt: now });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Gives a claim back when the email could not be sent, so the next run sends it. */
  async releaseNotice(integrationId: string, month: string, kind: 'warning' | 'exceeded'): Promise<void> {
    await this.notices.deleteOne({ _id: `${integrationId}:${month}:${kind}` });
  }

  async removeIntegration(integrationId: string): Promise<void> {
    await this.usage.deleteMany({ integrationId });
    await this.limits.deleteOne({ _id: integrationId });
    await this.notices.deleteMany({ integrationId });
  }
}
