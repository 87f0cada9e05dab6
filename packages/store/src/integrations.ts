import {
  IntegrationStatus,
  normalizeNameForComparison,
  type ConsentRecord,
  type IntegrationKind,
  type ConflictPolicy,
  type Mapping,
  type MappingSettings,
  type OptOutSettings,
  type RecordFilter,
  type SyncDirection,
} from '@contact-sync/rules';
import type { SealedSecret, SecretBox } from '@contact-sync/secrets';
import { isValidObjectId, Schema, Types, type Connection, type Model } from 'mongoose';
import { sealedSecretSchema } from './sealed-secret-schema.ts';
import { isDuplicateKeyError } from './duplicate-key.ts';

/**
 * An integration: one account's sync of Salesforce Contacts or Leads with one
 * Brevo list. Every repository function takes the account id and scopes its
 * query by it (SPEC §6); only the `*ForWorker` functions, used by the sync
 * worker which has no account context, read by id alone.
 */
export interface SalesforceConnectionDoc {
  orgId: string;
  userId: string;
  username: string;
  displayName: string | null;
  instanceUrl: string;
  accessToken: SealedSecret;
  refreshToken: SealedSecret;
  connectedAt: Date;
  tokenRefreshedAt: Date | null;
}

export interface MappingEntryDoc {
  attribute: string;
  field: string;
  /** The direction the user chose for the pair; absent: the default (`effectiveDirection`). */
  direction?: SyncDirection | null;
  /**
   * Picklist ↔ category (and multi-select ↔ multiple-choice): each Salesforce value and the Brevo option it is written
   * as, a multiple-choice option by its label only (stored as pairs: values are user data).
   */
  valuePairs?: { salesforce: string; value?: number | null; label: string }[] | null;
}

export interface IntegrationDoc {
  _id: Types.ObjectId;
  accountId: string;
  kind: IntegrationKind;
  name: string;
  /** R2: trimmed, lower-cased name; unique per account. */
  nameKey: string;
  status: IntegrationStatus;
  statusReason: { code: string; at: Date } | null;
  salesforce: SalesforceConnectionDoc | null;
  consent: ConsentRecord | null;
  /**
   * `{ attribute → field }` stored as pairs: Brevo attribute names are user
   * data and never become document keys (no `$`/`.` key surprises).
   */
  mappingEntries: MappingEntryDoc[] | null;
  /** R17 as the user chose it; null: the default (`DEFAULT_CONFLICT_POLICY`). */
  conflictPolicy?: ConflictPolicy | null;
  /** Opt-outs as the user chose them; null: the defaults (`DEFAULT_OPT_OUT_SETTINGS`). */
  optOuts?: OptOutSettings | null;
  /** Only the records that match are synced (issue 16 §4); null: every record. */
  recordFilter?: RecordFilter | null;
  list: { id: number; name: string } | null;
  activatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An integration as the worker's fleet-wide listings read it (`listSyncingRefsForWorker`). */
export interface SyncingIntegrationRef {
  _id: Types.ObjectId;
  kind: IntegrationKind;
  /** Absent or null before its Salesforce org is connected. */
  salesforce?: Pick<SalesforceConnectionDoc, 'orgId'> | null;
}

/** The same with when the integration was last written (`listSyncingVersionsForWorker`). */
export interface SyncingIntegrationVersion extends SyncingIntegrationRef {
  updatedAt: Date;
}

const SYNCING_REF_PROJECTION = { kind: 1, 'salesforce.orgId': 1 } as const;

/**
 * What the integration list shows of an integration: everything but the sealed Salesforce tokens and the
 * fields it is looked up by. The list has no use for the tokens: not read, they are neither decoded by the
 * driver nor held by the route (nor can they leak from it).
 */
export type IntegrationListDoc = Omit<IntegrationDoc, 'accountId' | 'nameKey' | 'salesforce'> & {
  salesforce: Omit<SalesforceConnectionDoc, 'accessToken' | 'refreshToken' | 'tokenRefreshedAt'> | null;
};

const LIST_PROJECTION = {
  accountId: 0,
  nameKey: 0,
  'salesforce.accessToken': 0,
  'salesforce.refreshToken': 0,
  'salesforce.tokenRefreshedAt': 0,
  __v: 0,
} as const;

const salesforceConnectionSchema = new Schema<SalesforceConnectionDoc>(
  {
    orgId: { type: String, required: true },
    userId: { type: String, required: true },
    username: { type: String, required: true },
    displayName: { type: String, default: null },
    instanceUrl: { type: String, required: true },
    accessToken: { type: sealedSecretSchema, required: true },
    refreshToken: { type: sealedSecretSchema, required: true },
    connectedAt: { type: Date, required: true },
    tokenRefreshedAt: { type: Date, default: null },
  },
  { _id: false },
);

const integrationSchema = new Schema<IntegrationDoc>(
  {
    accountId: { type: String, required: true },
    kind: { type: String, required: true, enum: ['salesforce-contacts', 'salesforce-leads'] },
    name: { type: String, required: true },
    nameKey: { type: String, required: true },
    status: { type: String, required: true, enum: Object.values(IntegrationStatus), default: IntegrationStatus.Draft },
    statusReason: { type: new Schema({ code: String, at: Date }, { _id: false }), default: null },
    salesforce: { type: salesforceConnectionSchema, default: null },
    consent: { type: new Schema({ optIn: Boolean, by: String, at: String }, { _id: false }), default: null },
    mappingEntries: {
      type: [
        new Schema(
          {
            attribute: String,
            field: String,
            direction: { type: String, default: null },
            valuePairs: { type: [new Schema({ salesforce: String, value: Number, label: String }, { _id: false })], default: null },
          },
          { _id: false },
        ),
      ],
      default: null,
    },
    conflictPolicy: { type: String, default: null },
    optOuts: { type: new Schema({ enabled: Boolean, resubscribeClears: Boolean }, { _id: false }), default: null },
    recordFilter: {
      type: new Schema(
        {
          groups: [
            new Schema(
              {
                conditions: [
                  new Schema(
                    { field: String, operator: String, value: { type: String, default: undefined }, values: { type: [String], default: undefined } },
                    { _id: false },
                  ),
                ],
              },
              { _id: false },
            ),
          ],
        },
        { _id: false },
      ),
      default: null,
    },
    list: { type: new Schema({ id: Number, name: String }, { _id: false }), default: null },
    activatedAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'integrations', strict: 'throw' },
);
// R2: one name per account, case-insensitively (the key is stored lower-cased: no collation needed).
integrationSchema.index({ accountId: 1, nameKey: 1 }, { unique: true, name: 'account_name' });
integrationSchema.index({ accountId: 1, createdAt: -1 }, { name: 'account_created' });
// R3 inspection (enforcement is by SalesforceSlot's unique index).
integrationSchema.index({ 'salesforce.orgId': 1, 'salesforce.userId': 1 }, { name: 'salesforce_account' });
integrationSchema.index({ status: 1 }, { name: 'status' });

export function integrationModel(connection: Connection): Model<IntegrationDoc> {
  return (
    (connection.models.Integration as Model<IntegrationDoc> | undefined) ??
    connection.model<IntegrationDoc>('Integration', integrationSchema)
  );
}

export class IntegrationNameTakenError extends Error {
  readonly code = 'name_taken';
  constructor() {
    super('an integration of this account already has this name');
    this.name = 'IntegrationNameTakenError';
  }
}

export function mappingOf(integration: Pick<IntegrationDoc, 'mappingEntries'>): Mapping | null {
  if (!integration.mappingEntries) return null;
  return Object.fromEntries(integration.mappingEntries.map((entry) => [entry.attribute, entry.field]));
}

/** What the user chose beside the pairs (directions, conflict policy): only what differs from the defaults. */
export function mappingSettingsOf(integration: Pick<IntegrationDoc, 'mappingEntries' | 'conflictPolicy' | 'optOuts' | 'recordFilter'>): MappingSettings {
  const entries = integration.mappingEntries ?? [];
  const directions = Object.fromEntries(entries.flatMap((entry) => (entry.direction ? [[entry.attribute, entry.direction]] : [])));
  const valuePairs = Object.fromEntries(
    entries.flatMap((entry) =>
      entry.valuePairs
        ? [[entry.attribute, Object.fromEntries(entry.valuePairs.map((pair) => [pair.salesforce, { ...(typeof pair.value === 'number' ? { value: pair.value } : {}), label: pair.label }]))]]
        : [],
    ),
  );
  return {
    ...(integration.conflictPolicy ? { conflictPolicy: integration.conflictPolicy } : {}),
    ...(integration.optOuts ? { optOuts: { enabled: integration.optOuts.enabled, resubscribeClears: integration.optOuts.resubscribeClears } } : {}),
    ...(Object.keys(directions).length > 0 ? { directions } : {}),
    ...(Object.keys(valuePairs).length > 0 ? { valuePairs } : {}),
    ...(integration.recordFilter ? { filter: recordFilterOf(integration.recordFilter) } : {}),
  };
}

/** The stored filter as plain data (a mongoose subdocument carries more than its fields). */
function recordFilterOf(stored: RecordFilter): RecordFilter {
  return {
    groups: stored.groups.map((group) => ({
      conditions: group.conditions.map(({ field, operator, value, values }) => ({
        field,
        operator,
        ...(value === undefined || value === null ? {} : { value }),
        ...(values ? { values: [...values] } : {}),
      })),
    })),
  };
}

/** The stored pairs of a mapping, each with its chosen direction (settings of unmapped attributes are dropped). */
function mappingEntriesOf(mapping: Mapping, settings: MappingSettings): MappingEntryDoc[] {
  return Object.entries(mapping).map(([attribute, field]) => {
    const pairs = settings.valuePairs?.[attribute];
    return {
      attribute,
      field,
      direction: settings.directions?.[attribute] ?? null,
      valuePairs: pairs ? Object.entries(pairs).map(([salesforce, option]) => ({ salesforce, ...(option.value === undefined ? {} : { value: option.value }), label: option.label })) : null,
    };
  });
}

/** Additional data the Salesforce tokens are sealed with: they open only for their own integration. */
export function salesforceTokenContext(integrationId: string, which: 'access' | 'refresh'): string {
  return `integration:${integrationId}:salesforce-${which}-token`;
}

export interface SalesforceConnectionInput {
  orgId: string;
  userId: string;
  username: string;
  displayName: string | null;
  instanceUrl: string;
  accessToken: string;
  refreshToken: string;
}

export interface SalesforceCredentials {
  instanceUrl: string;
  accessToken: string;
  refreshToken: string;
}

const SYNCING: IntegrationStatus[] = [IntegrationStatus.Active, IntegrationStatus.Error];

export interface IntegrationRepositoryOptions {
  /**
   * Called after every write to an account's integrations, whether it changed
   * anything or failed (the BFF forgets its cached list of the account).
   */
  onWrite?(accountId: string): void;
}

export function integrationRepository(connection: Connection, secrets: SecretBox, options: IntegrationRepositoryOptions = {}) {
  const Integration = integrationModel(connection);
  const scoped = (accountId: string, id: string) => ({ _id: new Types.ObjectId(id), accountId });
  /** Runs a write of the account's integrations and reports it, even when it throws. */
  async function writing<T>(accountId: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } finally {
      options.onWrite?.(accountId);
    }
  }

  async function findForAccount(accountId: string, id: string): Promise<IntegrationDoc | null> {
    if (!isValidObjectId(id) || !/^[a-f0-9]{24}$/i.test(id)) return null;
    return Integration.findOne(scoped(accountId, id)).lean<IntegrationDoc>().exec();
  }

  /** Applies `$set` to the account's integration; returns the updated document or null when not found. */
  async function update(accountId: string, id: string, set: Record<string, unknown>, extraFilter: Record<string, unknown> = {}) {
    if (!isValidObjectId(id)) return null;
    const result = await writing(accountId, () => Integration.updateOne({ ...scoped(accountId, id), ...extraFilter }, { $set: set }).exec());
    if (result.matchedCount === 0) return null;
    return findForAccount(accountId, id);
  }

  return {
    findForAccount,

    /** The account's integrations as the list shows them, newest first, in one find (the `account_created` index). */
    listForAccount: (accountId: string) =>
      Integration.find({ accountId }, LIST_PROJECTION).sort({ createdAt: -1, _id: -1 }).lean<IntegrationListDoc[]>().exec(),

    /** Throws IntegrationNameTakenError (R2). */
    async create(input: { accountId: string; kind: IntegrationKind; name: string }): Promise<IntegrationDoc> {
      try {
        const created = await writing(input.accountId, () => Integration.create({ ...input, nameKey: normalizeNameForComparison(input.name) }));
        return created.toObject();
      } catch (error) {
        if (isDuplicateKeyError(error)) throw new IntegrationNameTakenError();
        throw error;
      }
    },

    /** Throws IntegrationNameTakenError (R2). */
    async rename(accountId: string, id: string, name: string): Promise<IntegrationDoc | null> {
      try {
        return await update(accountId, id, { name, nameKey: normalizeNameForComparison(name) });
      } catch (error) {
        if (isDuplicateKeyError(error)) throw new IntegrationNameTakenError();
        throw error;
      }
    },

    setConsent: (accountId: string, id: string, consent: ConsentRecord) => update(accountId, id, { consent }),

    setMapping: (accountId: string, id: string, mapping: Mapping, settings: MappingSettings = {}) =>
      update(accountId, id, {
        mappingEntries: mappingEntriesOf(mapping, settings),
        conflictPolicy: settings.conflictPolicy ?? null,
        optOuts: settings.optOuts ?? null,
        recordFilter: settings.filter ?? null,
      }),

    setList: (accountId: string, id: string, list: { id: number; name: string }) => update(accountId, id, { list }),

    /** The sync repaired a saved mapping (it named a link attribute): the mapping without it, and why, in one write. */
    repairMapping: (accountId: string, id: string, mapping: Mapping, settings: MappingSettings, code: string, now: Date) =>
      update(accountId, id, {
        mappingEntries: mappingEntriesOf(mapping, settings),
        statusReason: { code, at: now },
      }),

    /**
     * Stores a (re)connection with sealed tokens. A reconnection of an
     * `auth_error` integration puts it back where it was: syncing when it had
     * been activated, draft otherwise.
     */
    async setSalesforceConnection(accountId: string, id: string, input: SalesforceConnectionInput, now: Date) {
      const current = await findForAccount(accountId, id);
      if (!current) return null;
      const salesforce: SalesforceConnectionDoc = {
        orgId: input.orgId,
        userId: input.userId,
        username: input.username,
        displayName: input.displayName,
        instanceUrl: input.instanceUrl,
        accessToken: secrets.seal(input.accessToken, salesforceTokenContext(id, 'access')),
        refreshToken: secrets.seal(input.refreshToken, salesforceTokenContext(id, 'refresh')),
        connectedAt: now,
        tokenRefreshedAt: null,
      };
      const set: Record<string, unknown> = { salesforce };
      if (current.status === IntegrationStatus.AuthError) {
        set.status = current.activatedAt ? IntegrationStatus.Active : IntegrationStatus.Draft;
        set.statusReason = null;
      }
      return update(accountId, id, set);
    },

    /** Opens the sealed tokens (for jsforce). */
    salesforceCredentials(integration: IntegrationDoc): SalesforceCredentials | null {
      const sf = integration.salesforce;
      if (!sf) return null;
      const id = integration._id.toHexString();
      return {
        instanceUrl: sf.instanceUrl,
        accessToken: secrets.open(sf.accessToken, salesforceTokenContext(id, 'access')),
        refreshToken: secrets.open(sf.refreshToken, salesforceTokenContext(id, 'refresh')),
      };
    },

    /** Persists an access token jsforce obtained by refreshing (the refresh token stays). */
    async saveRefreshedAccessToken(accountId: string, id: string, accessToken: string, now: Date): Promise<void> {
      if (!isValidObjectId(id)) return;
      await writing(accountId, () =>
        Integration.updateOne(
          { ...scoped(accountId, id), salesforce: { $ne: null } },
          { $set: { 'salesforce.accessToken': secrets.seal(accessToken, salesforceTokenContext(id, 'access')), 'salesforce.tokenRefreshedAt': now } },
        ).exec(),
      );
    },

    /**
     * Token revoked or expired beyond refresh: the user must reconnect. Drafts
     * stay drafts (nothing syncs), the reason is recorded either way.
     */
    async markAuthError(accountId: string, id: string, code: string, now: Date) {
      const current = await findForAccount(accountId, id);
      if (!current) return null;
      const set: Record<string, unknown> = { statusReason: { code, at: now } };
      if (current.status !== IntegrationStatus.Draft) set.status = IntegrationStatus.AuthError;
      return update(accountId, id, set);
    },

    /**
     * Conditional status change: applied only while the status is one of
     * `from` (a single-document update, so two concurrent requests cannot
     * both pass). Returns null when the integration is missing or not in `from`.
     */
    async transition(
      accountId: string,
      id: string,
      from: readonly IntegrationStatus[],
      to: IntegrationStatus,
      set: Record<string, unknown> = {},
    ): Promise<IntegrationDoc | null> {
      if (!isValidObjectId(id)) return null;
      const result = await writing(accountId, () =>
        Integration.updateOne(
          { ...scoped(accountId, id), status: { $in: from } },
          // A transition clears the previous reason unless the caller gives the new one.
          { $set: { statusReason: null, ...set, status: to } },
        ).exec(),
      );
      return result.matchedCount === 1 ? findForAccount(accountId, id) : null;
    },

    async delete(accountId: string, id: string): Promise<boolean> {
      if (!isValidObjectId(id)) return false;
      const result = await writing(accountId, () => Integration.deleteOne(scoped(accountId, id)).exec());
      return result.deletedCount === 1;
    },

    /** How many integrations use this Salesforce account (R3 inspection). */
    countBySalesforceAccount: (orgId: string, userId: string) =>
      Integration.countDocuments({ 'salesforce.orgId': orgId, 'salesforce.userId': userId }).exec(),

    /** The worker has no account context: it reads by id and then passes `accountId` on. */
    findByIdForWorker: (id: string) =>
      isValidObjectId(id) ? Integration.findById(id).lean<IntegrationDoc>().exec() : Promise.resolve(null),

    /** The account an integration belongs to (a Brevo webhook names only the integration); null when there is none. */
    async accountIdOf(id: string): Promise<string | null> {
      if (!/^[a-f0-9]{24}$/i.test(id)) return null;
      const found = await Integration.findById(id, { accountId: 1 }).lean<Pick<IntegrationDoc, 'accountId'>>().exec();
      return found?.accountId ?? null;
    },

    /**
     * The integrations the worker should sync (active, or active with record errors) with only what the worker's
     * listings of the whole fleet need (its reconcile every 5 s, its stream supervisor every 3 s): which integration,
     * and the stream it is on. A whole document is about 1.5 kB (mapping, sealed tokens), and 2,000 of them decoded at
     * each listing grew the worker's CPU per run with the fleet.
     */
    listSyncingRefsForWorker: () => Integration.find({ status: { $in: SYNCING } }, SYNCING_REF_PROJECTION).lean<SyncingIntegrationRef[]>().exec(),

    /** The same with when each was last written: the stream supervisor reads again in full only those written since it read them. */
    listSyncingVersionsForWorker: () =>
      Integration.find({ status: { $in: SYNCING } }, { ...SYNCING_REF_PROJECTION, updatedAt: 1 }).lean<SyncingIntegrationVersion[]>().exec(),

    /** Those of these integrations that the worker should sync, in full (one find by `_id`). */
    async findSyncingForWorker(ids: readonly string[]): Promise<IntegrationDoc[]> {
      const valid = [...new Set(ids)].filter((id) => /^[a-f0-9]{24}$/i.test(id));
      if (valid.length === 0) return [];
      return Integration.find({ _id: { $in: valid.map((id) => new Types.ObjectId(id)) }, status: { $in: SYNCING } }).lean<IntegrationDoc[]>().exec();
    },

    /** Converted leads: an account's integrations on one Salesforce org (by the `salesforce_account` index), oldest first. */
    listOnSalesforceOrgForWorker: (accountId: string, orgId: string) =>
      Integration.find({ 'salesforce.orgId': orgId, accountId }, { kind: 1, status: 1, createdAt: 1 }).sort({ createdAt: 1, _id: 1 }).lean<Pick<IntegrationDoc, '_id' | 'kind' | 'status'>[]>().exec(),

    /** The ids of the account's integrations connected to another Salesforce org (a record Id can repeat across orgs): the worker's runs and the BFF's preview. */
    async idsOnOtherSalesforceOrgs(accountId: string, orgId: string): Promise<string[]> {
      const docs = await Integration.find({ accountId, 'salesforce.orgId': { $exists: true, $ne: orgId } }, { _id: 1 }).lean<Pick<IntegrationDoc, '_id'>[]>().exec();
      return docs.map((doc) => doc._id.toHexString());
    },
  };
}

export type IntegrationRepository = ReturnType<typeof integrationRepository>;
