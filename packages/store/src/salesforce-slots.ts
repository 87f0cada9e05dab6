import { checkConnectionSlots, MAX_INTEGRATIONS_PER_SALESFORCE_USER, salesforceAccountKey, type RuleIssue } from '@contact-sync/rules';
import { Schema, Types, type Connection, type Model } from 'mongoose';
import { integrationModel } from './integrations.ts';
import { isDuplicateKeyError } from './duplicate-key.ts';

/**
 * R3 enforced by unique indexes, not by count-then-write: a Salesforce
 * account (org + user) has slots 0..4; an integration connecting to it must
 * insert one of them. The unique `{key, slot}` index makes a sixth claim
 * impossible even when requests race (no transactions, no atomic
 * findAndModify needed); `{key, integrationId}` makes a second claim of the
 * same integration a no-op. Deleting the integration deletes its slot.
 */
export interface SalesforceSlotDoc {
  key: string;
  slot: number;
  integrationId: Types.ObjectId;
  accountId: string;
  claimedAt: Date;
}

const slotSchema = new Schema<SalesforceSlotDoc>(
  {
    key: { type: String, required: true },
    slot: { type: Number, required: true, min: 0 },
    integrationId: { type: Schema.Types.ObjectId, required: true },
    accountId: { type: String, required: true },
    claimedAt: { type: Date, required: true },
  },
  { collection: 'salesforce_slots', strict: 'throw', versionKey: false },
);
slotSchema.index({ key: 1, slot: 1 }, { unique: true, name: 'key_slot' });
slotSchema.index({ key: 1, integrationId: 1 }, { unique: true, name: 'key_integration' });
slotSchema.index({ integrationId: 1 }, { name: 'integration' });

export function salesforceSlotModel(connection: Connection): Model<SalesforceSlotDoc> {
  return (
    (connection.models.SalesforceSlot as Model<SalesforceSlotDoc> | undefined) ??
    connection.model<SalesforceSlotDoc>('SalesforceSlot', slotSchema)
  );
}

/** A claim older than this whose integration does not use the account is a leftover of a failed connection. */
const STALE_CLAIM_MS = 10 * 60_000;

export function salesforceSlotRepository(connection: Connection) {
  const Slot = salesforceSlotModel(connection);
  const Integration = integrationModel(connection);

  /** Frees slots whose integration is gone, or never stored this account after claiming it. */
  async function reapStale(key: string, now: Date): Promise<void> {
    const slots = await Slot.find({ key }).lean<SalesforceSlotDoc[]>().exec();
    for (const slot of slots) {
      const integration = await Integration.findById(slot.integrationId, { salesforce: 1 }).lean().exec();
      const usesKey =
        integration?.salesforce != null &&
        salesforceAccountKey(integration.salesforce.orgId, integration.salesforce.userId) === key;
      const stale = !integration || (!usesKey && now.getTime() - slot.claimedAt.getTime() > STALE_CLAIM_MS);
      if (stale) await Slot.deleteOne({ key, slot: slot.slot, integrationId: slot.integrationId }).exec();
    }
  }

  return {
    /**
     * R3: takes a slot of the Salesforce account for the integration. Returns
     * null when it holds one (already or now), the rule's issue when all are taken.
     */
    async claim(input: { orgId: string; userId: string; integrationId: string; accountId: string }, now: Date): Promise<RuleIssue | null> {
      const key = salesforceAccountKey(input.orgId, input.userId);
      const integrationId = new Types.ObjectId(input.integrationId);
      if (await Slot.exists({ key, integrationId })) return null;
      await reapStale(key, now);
      const issue = checkConnectionSlots(await Slot.countDocuments({ key }).exec());
      if (issue) return issue;
      for (let slot = 0; slot < MAX_INTEGRATIONS_PER_SALESFORCE_USER; slot += 1) {
        try {
          await Slot.create({ key, slot, integrationId, accountId: input.accountId, claimedAt: now });
          return null;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          // Taken by someone else, or by a concurrent claim of this same integration.
          if (await Slot.exists({ key, integrationId })) return null;
        }
      }
      return checkConnectionSlots(MAX_INTEGRATIONS_PER_SALESFORCE_USER);
    },

    /** Frees the integration's slots, except the one of `keepKey` (after a reconnection to another account). */
    async release(integrationId: string, keep?: { orgId: string; userId: string }): Promise<void> {
      const filter: Record<string, unknown> = { integrationId: new Types.ObjectId(integrationId) };
      if (keep) filter.key = { $ne: salesforceAccountKey(keep.orgId, keep.userId) };
      await Slot.deleteMany(filter).exec();
    },

    /** Gives back the slot of one Salesforce account (a connection that failed after claiming it). */
    async releaseOne(integrationId: string, account: { orgId: string; userId: string }): Promise<void> {
      await Slot.deleteOne({ integrationId: new Types.ObjectId(integrationId), key: salesforceAccountKey(account.orgId, account.userId) }).exec();
    },

    count: (orgId: string, userId: string) => Slot.countDocuments({ key: salesforceAccountKey(orgId, userId) }).exec(),
  };
}

export type SalesforceSlotRepository = ReturnType<typeof salesforceSlotRepository>;
