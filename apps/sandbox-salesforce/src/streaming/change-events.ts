import { createHash, randomUUID } from 'node:crypto';
import type { FieldDef, StoredRecord } from '../org/fields.ts';
import { OBJECTS, SOBJECT_NAMES, type ObjectDef, type SObjectName } from '../org/metadata.ts';

/**
 * Change Data Capture for one org: what each committed transaction publishes
 * on the event bus, as the Change Data Capture Developer Guide describes it
 * for CometD (JSON) subscribers.
 * - Header: entityName, recordIds, changeType, changeOrigin, transactionKey,
 *   sequenceNumber, commitTimestamp, commitNumber, commitUser, changedFields.
 * - Body: CREATE and UNDELETE carry every non-empty field and the system
 *   fields; UPDATE only the changed fields (null when emptied) and
 *   LastModifiedDate (LastModifiedById when the user changed); DELETE none.
 *   Never IsDeleted, SystemModstamp or formula fields. Compound fields (Name,
 *   MailingAddress, Address) are nested; changedFields names their parts
 *   `Compound.Part`.
 * - One transaction (one API request, one record page save, one generated
 *   load) publishes one event per record, except that records with the same
 *   change are merged into one event with several recordIds, and changes
 *   past the overflow threshold (100,000) become one GAP_OVERFLOW per entity.
 * - Only entities selected for Change Data Capture publish; events are
 *   retained for the retention window (72 hours) and replayed from it.
 */
export type ChangeType = 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';
export type GapChangeType = 'GAP_CREATE' | 'GAP_UPDATE' | 'GAP_DELETE' | 'GAP_UNDELETE' | 'GAP_OVERFLOW';

export interface ChangeEventHeader {
  entityName: SObjectName;
  recordIds: string[];
  changeType: ChangeType | GapChangeType;
  changeOrigin: string;
  transactionKey: string;
  sequenceNumber: number;
  commitTimestamp: number;
  commitNumber: number;
  commitUser: string;
  changedFields: string[];
}

/** The `data` of a change event message on a `/data/...` channel. */
export interface ChangeEventData {
  schema: string;
  payload: Record<string, unknown> & { ChangeEventHeader: ChangeEventHeader };
  event: { replayId: number };
}

export interface RetainedEvent {
  replayId: number;
  publishedAt: number;
  entity: SObjectName;
  data: ChangeEventData;
}

/** Who commits a transaction, and through what (`changeOrigin`: empty for changes outside the APIs). */
export interface TransactionContext {
  changeOrigin: string;
  userId: string;
  /**
   * Changes made directly in the database, outside the application servers
   * (an archive or cleanup job): published as gap events (GAP_CREATE,
   * GAP_UPDATE…), header only.
   */
  gap?: boolean;
}

interface RecordedChange {
  entity: SObjectName;
  type: ChangeType | `GAP_${ChangeType}`;
  record: StoredRecord;
  /** UPDATE: the fields whose value changed, system fields included. */
  changedFields: Set<string>;
}

interface Transaction {
  context: TransactionContext;
  changes: Map<string, RecordedChange>;
}

export const RETENTION_MS = 72 * 3_600_000;
export const OVERFLOW_THRESHOLD = 100_000;
const DEFAULT_SELECTED: readonly SObjectName[] = ['Contact', 'Lead'];

/** Component fields of the compound fields, by object: field → [compound, component]. */
const COMPOUND_PARTS: Record<SObjectName, Readonly<Record<string, readonly [string, string]>>> = {
  Contact: {
    Salutation: ['Name', 'Salutation'],
    FirstName: ['Name', 'FirstName'],
    LastName: ['Name', 'LastName'],
    MailingStreet: ['MailingAddress', 'Street'],
    MailingCity: ['MailingAddress', 'City'],
    MailingState: ['MailingAddress', 'State'],
    MailingPostalCode: ['MailingAddress', 'PostalCode'],
    MailingCountry: ['MailingAddress', 'Country'],
  },
  Lead: {
    Salutation: ['Name', 'Salutation'],
    FirstName: ['Name', 'FirstName'],
    LastName: ['Name', 'LastName'],
    Street: ['Address', 'Street'],
    City: ['Address', 'City'],
    State: ['Address', 'State'],
    PostalCode: ['Address', 'PostalCode'],
    Country: ['Address', 'Country'],
  },
  Case: {},
  Account: {},
};

/** Never in a change event: the record's own Id (it is in recordIds), the recycle-bin flag, SystemModstamp, formulas, and the full name the Name compound replaces. */
function inEvents(def: ObjectDef, field: FieldDef): boolean {
  if (field.compute || ['Id', 'IsDeleted', 'SystemModstamp'].includes(field.name)) return false;
  return !(field.name === 'Name' && COMPOUND_PARTS[def.name].FirstName);
}

/** A field's value as change events render it: date-times in ISO 8601 UTC (`Z`), the rest as stored. */
function eventValue(field: FieldDef, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return field.type === 'datetime' && typeof value === 'number' ? new Date(value).toISOString() : value;
}

function schemaIdOf(entity: SObjectName): string {
  return createHash('sha256').update(`${entity}ChangeEvent`).digest('base64url').slice(0, 22);
}

/** Body fields of a change, and the changedFields names of an UPDATE. */
function bodyOf(def: ObjectDef, change: RecordedChange): { body: Record<string, unknown>; changedFields: string[] } {
  const parts = COMPOUND_PARTS[def.name];
  const body: Record<string, unknown> = {};
  const changedFields: string[] = [];
  const put = (field: FieldDef, value: unknown) => {
    const part = parts[field.name];
    if (!part) {
      body[field.name] = value;
      return;
    }
    const compound = (body[part[0]] ??= {}) as Record<string, unknown>;
    compound[part[1]] = value;
  };
  if (change.type === 'CREATE' || change.type === 'UNDELETE') {
    for (const field of def.fields) {
      if (!inEvents(def, field)) continue;
      const value = eventValue(field, change.record[field.name]);
      if (value !== null) put(field, value);
    }
  } else if (change.type === 'UPDATE') {
    for (const field of def.fields) {
      if (!inEvents(def, field) || !change.changedFields.has(field.name)) continue;
      put(field, eventValue(field, change.record[field.name]));
      const part = parts[field.name];
      changedFields.push(part ? `${part[0]}.${part[1]}` : field.name);
    }
  }
  return { body, changedFields };
}

/** Same entity, change type and body: Salesforce merges such changes of one transaction into one event. */
function mergeKey(entity: string, type: string, body: Record<string, unknown>, changedFields: string[]): string {
  const { LastModifiedDate: _modified, ...rest } = body;
  return JSON.stringify([entity, type, changedFields, rest]);
}

/** Operations a change counts toward the overflow threshold: one per record, or one per changed field of an update. */
function weightOf(change: RecordedChange): number {
  if (change.type !== 'UPDATE') return 1;
  return Math.max(1, [...change.changedFields].filter((name) => !name.startsWith('LastModified')).length);
}

export class ChangeEventBus {
  readonly selected = new Set<SObjectName>(DEFAULT_SELECTED);
  retentionMs = RETENTION_MS;
  overflowThreshold = OVERFLOW_THRESHOLD;
  /** Events still retained, oldest first. */
  private retained: RetainedEvent[] = [];
  private lastReplayId = 0;
  /** Every event up to this replayId has been purged from the bus. */
  private purgedThrough = 0;
  private commitNumber = 0;
  private open: Transaction | null = null;
  private readonly listeners = new Set<(events: readonly RetainedEvent[]) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Called with each committed transaction's events (the CometD endpoint delivers them). */
  onPublish(listener: (events: readonly RetainedEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs `work` as one transaction: the changes it records are published when
   * it returns (or throws after writing: the sandbox has no rollback). A
   * transaction opened inside another joins it.
   */
  transaction<T>(context: TransactionContext, work: () => T): T {
    if (this.open) return work();
    const transaction: Transaction = { context, changes: new Map() };
    this.open = transaction;
    try {
      return work();
    } finally {
      this.open = null;
      this.commit(transaction);
    }
  }

  /**
   * A change made by a write (writes outside a transaction, the seed's
   * backdated history, publish nothing). Several changes to one record in a
   * transaction make one event of the first change's type, with the data
   * committed at the end.
   */
  record(entity: SObjectName, type: ChangeType, record: StoredRecord, changedFields: readonly string[] = []): void {
    if (!this.open || !this.selected.has(entity)) return;
    const earlier = this.open.changes.get(record.Id);
    if (earlier) {
      for (const name of changedFields) earlier.changedFields.add(name);
      return;
    }
    this.open.changes.set(record.Id, { entity, type, record, changedFields: new Set(changedFields) });
  }

  /** Whether a channel's entity is selected (`/data/ChangeEvents` always exists). */
  channelExists(channel: string): boolean {
    if (channel === '/data/ChangeEvents') return true;
    const entity = entityOfChannel(channel);
    return entity !== undefined && this.selected.has(entity);
  }

  /**
   * A subscriber's replay position: -1 (new events only), -2 (everything
   * retained) or a replayId inside the retention window (no event after it
   * purged, none after the newest).
   */
  isValidReplay(replayId: number): boolean {
    this.purge();
    if (replayId === -1 || replayId === -2) return true;
    return Number.isSafeInteger(replayId) && replayId >= this.purgedThrough && replayId <= this.lastReplayId;
  }

  /** Retained events after a replay position, for a channel. */
  replay(channel: string, replayId: number): RetainedEvent[] {
    this.purge();
    if (replayId === -1) return [];
    const entity = entityOfChannel(channel);
    return this.retained.filter((event) => event.replayId > replayId && (entity === undefined || event.entity === entity));
  }

  /** Control route: every retained event passes out of the retention window now. */
  expireRetention(): number {
    const dropped = this.retained.length;
    this.retained = [];
    this.purgedThrough = this.lastReplayId;
    return dropped;
  }

  status() {
    this.purge();
    return {
      selected: SOBJECT_NAMES.filter((name) => this.selected.has(name)),
      retentionSeconds: this.retentionMs / 1000,
      overflowThreshold: this.overflowThreshold,
      retained: this.retained.length,
      lastReplayId: this.lastReplayId,
      purgedThrough: this.purgedThrough,
    };
  }

  private purge(): void {
    const horizon = this.now() - this.retentionMs;
    let cut = 0;
    while (cut < this.retained.length && this.retained[cut]!.publishedAt < horizon) cut += 1;
    if (cut === 0) return;
    this.purgedThrough = this.retained[cut - 1]!.replayId;
    this.retained = this.retained.slice(cut);
  }

  private commit(transaction: Transaction): void {
    if (transaction.changes.size === 0) return;
    this.purge();
    this.commitNumber += 1;
    const header = {
      changeOrigin: transaction.context.changeOrigin,
      transactionKey: randomUUID(),
      commitNumber: this.commitNumber,
      commitUser: transaction.context.userId,
      commitTimestamp: Math.max(...[...transaction.changes.values()].map((change) => change.record.SystemModstamp)),
    };

    const drafts = new Map<string, { entity: SObjectName; type: ChangeEventHeader['changeType']; recordIds: string[]; body: Record<string, unknown>; changedFields: string[] }>();
    const overflowing = new Set<SObjectName>();
    let weight = 0;
    for (const recorded of transaction.changes.values()) {
      const change: RecordedChange = transaction.context.gap ? { ...recorded, type: `GAP_${recorded.type as ChangeType}` } : recorded;
      weight += weightOf(change);
      if (weight > this.overflowThreshold) {
        overflowing.add(change.entity);
        continue;
      }
      const { body, changedFields } = bodyOf(OBJECTS[change.entity], change);
      const key = mergeKey(change.entity, change.type, body, changedFields);
      const draft = drafts.get(key);
      if (draft) {
        draft.recordIds.push(change.record.Id);
        // The merged event carries the latest modification of its records.
        if (typeof body.LastModifiedDate === 'string' && body.LastModifiedDate > String(draft.body.LastModifiedDate ?? '')) draft.body.LastModifiedDate = body.LastModifiedDate;
      } else {
        drafts.set(key, { entity: change.entity, type: change.type, recordIds: [change.record.Id], body, changedFields });
      }
    }
    for (const entity of overflowing) {
      // An overflow event names its entity only: no record ids, no fields.
      drafts.set(`overflow:${entity}`, { entity, type: 'GAP_OVERFLOW', recordIds: [], body: {}, changedFields: [] });
    }

    const publishedAt = this.now();
    const events = [...drafts.values()].map((draft, index): RetainedEvent => {
      this.lastReplayId += 1;
      return {
        replayId: this.lastReplayId,
        publishedAt,
        entity: draft.entity,
        data: {
          schema: schemaIdOf(draft.entity),
          payload: {
            ...draft.body,
            ChangeEventHeader: {
              entityName: draft.entity,
              recordIds: draft.recordIds,
              changeType: draft.type,
              changeOrigin: header.changeOrigin,
              transactionKey: header.transactionKey,
              sequenceNumber: index + 1,
              commitTimestamp: header.commitTimestamp,
              commitNumber: header.commitNumber,
              commitUser: header.commitUser,
              changedFields: draft.changedFields,
            },
          },
          event: { replayId: this.lastReplayId },
        },
      };
    });
    this.retained.push(...events);
    for (const listener of this.listeners) listener(events);
  }
}

/** `/data/ContactChangeEvent` → Contact; undefined for `/data/ChangeEvents` and unknown channels. */
export function entityOfChannel(channel: string): SObjectName | undefined {
  const match = /^\/data\/([A-Za-z]+)ChangeEvent$/.exec(channel);
  return SOBJECT_NAMES.find((name) => name === match?.[1]);
}

/** The channels an entity's events are delivered on. */
export function channelsOf(entity: SObjectName): string[] {
  return [`/data/${entity}ChangeEvent`, '/data/ChangeEvents'];
}
