import { isDuplicateKeyError, refusedPositions } from './duplicate-key.ts';
import { findByIds, type Db } from './sync-db.ts';

/** `unsubscribed`: the contact unsubscribed from a campaign (opt-outs). */
export type WebhookEventKind = 'contact_updated' | 'contact_deleted' | 'unsubscribed';
export type WebhookEventState = 'pending' | 'applied' | 'ignored' | 'failed';

/** A Brevo marketing webhook call stored before it is acknowledged. */
export interface WebhookEventDoc {
  /** Dedupe key: the same delivery twice (Brevo retries) is stored once. */
  _id: string;
  integrationId: string;
  kind: WebhookEventKind;
  brevoId: number | null;
  email: string | null;
  /** Changed attributes as Brevo sent them (contact_updated), upper-case names. */
  content: Record<string, unknown>;
  /** Brevo's time of the change (R17: compared with SystemModstamp). */
  modifiedAt: Date;
  receivedAt: Date;
  state: WebhookEventState;
  appliedAt?: Date | null;
  outcome?: string | null;
}

/** What is kept of an event once handled: enough to recognise a redelivery, and how it ended. */
export interface HandledWebhookEventDoc {
  _id: string;
  integrationId: string;
  state: Exclude<WebhookEventState, 'pending'>;
  appliedAt: Date;
  outcome: string | null;
}

/** Events not yet handled, and only those. */
export const WEBHOOK_EVENTS = 'sync_webhook_events';
/** Handled events by `_id` (the dedupe key). */
export const HANDLED_WEBHOOK_EVENTS = 'sync_webhook_events_handled';

/** Deletes by `_id` per bulkWrite (see LinkStore). */
const BY_ID_PER_COMMAND = 50;

/**
 * Pending and handled events live apart, so a run reads only what is still to
 * do, whatever the number of events ever received (the initial load's own echoes
 * alone are one event per record): the pending collection is read by
 * integration, oldest change first (`pending`), and handling an event moves it
 * by `_id`: a small document into the handled collection, then a delete.
 */
export class WebhookEventStore {
  constructor(private readonly db: Db) {}

  private get collection() {
    return this.db.collection<WebhookEventDoc>(WEBHOOK_EVENTS);
  }

  private get handled() {
    return this.db.collection<HandledWebhookEventDoc>(HANDLED_WEBHOOK_EVENTS);
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ integrationId: 1, modifiedAt: 1 }, { name: 'integration_modified' });
  }

  /** Stores an event; false when it was already stored (a redelivery). */
  async add(event: WebhookEventDoc): Promise<boolean> {
    return (await this.addMany([event])) === 1;
  }

  /**
   * Stores events, each once: returns how many were new. A redelivery of an
   * event still pending clashes on `_id`; one of an event already handled is
   * inserted, seen in the handled collection and taken out again (checked
   * after the insert: an event handled between a check and an insert would
   * otherwise come back as pending).
   */
  async addMany(events: readonly WebhookEventDoc[]): Promise<number> {
    if (events.length === 0) return 0;
    let inserted: WebhookEventDoc[] = [...events];
    try {
      await this.collection.insertMany(events.map((event) => ({ ...event })), { ordered: false });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const clashes = refusedPositions(error);
      inserted = events.filter((_event, index) => !clashes.has(index));
    }
    const redelivered = (await findByIds(this.handled, inserted.map((event) => event._id), { _id: 1 })).map((doc) => doc._id);
    await this.deleteByIds(redelivered);
    return inserted.length - redelivered.length;
  }

  /**
   * The `limit` oldest pending events of one integration, by Brevo's time of the
   * change (then receipt, then `_id`: a stable order for events of one second), so
   * that a backlog larger than one run takes is applied oldest change first
   * whatever order its deliveries came in. Found through the `{integrationId,
   * modifiedAt}` index, then sorted: the embedded database sorts the
   * integration's pending events in memory after that indexed filter
   * (tools/devdb/README.md), and so does MongoDB (a top-`limit` sort), since the
   * index holds only the first of the sort's keys.
   */
  async pending(integrationId: string, limit: number): Promise<WebhookEventDoc[]> {
    return this.collection.find({ integrationId }).sort({ modifiedAt: 1, receivedAt: 1, _id: 1 }).limit(limit).toArray();
  }

  async countPending(integrationId: string): Promise<number> {
    return this.collection.countDocuments({ integrationId });
  }

  async integrationsWithPending(): Promise<string[]> {
    return (await this.collection.distinct('integrationId', {})) as string[];
  }

  /** How handled events ended (tests, audits). */
  async handledStates(ids: readonly string[]): Promise<Map<string, Exclude<WebhookEventState, 'pending'>>> {
    const found = new Map<string, Exclude<WebhookEventState, 'pending'>>();
    for (const id of ids) {
      const doc = await this.handled.findOne({ _id: id });
      if (doc) found.set(id, doc.state);
    }
    return found;
  }

  /**
   * Handled events of one integration: recorded as handled first, then no
   * longer pending, both by `_id` (a crash in between leaves an event
   * pending, to be handled again: the same outcome, as its effects are
   * already in the links).
   */
  async mark(integrationId: string, ids: readonly string[], state: Exclude<WebhookEventState, 'pending'>, now: Date, outcome: string | null = null): Promise<void> {
    if (ids.length === 0) return;
    const docs: HandledWebhookEventDoc[] = ids.map((_id) => ({ _id, integrationId, state, appliedAt: now, outcome }));
    try {
      await this.handled.insertMany(docs, { ordered: false });
    } catch (error) {
      // Handled before (a replay after a crash between these two steps): the first outcome stays.
      if (!isDuplicateKeyError(error)) throw error;
    }
    await this.deleteByIds(ids);
  }

  private async deleteByIds(ids: readonly string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += BY_ID_PER_COMMAND) {
      await this.collection.bulkWrite(
        ids.slice(i, i + BY_ID_PER_COMMAND).map((id) => ({ deleteOne: { filter: { _id: id } } })),
        { ordered: false },
      );
    }
  }

  async removeIntegration(integrationId: string): Promise<void> {
    await this.collection.deleteMany({ integrationId });
    await this.handled.deleteMany({ integrationId });
  }
}
