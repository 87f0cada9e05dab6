import { salesforceObjectOf, type ChangeDeliveryMode, type PollingReason } from '@contact-sync/rules';
import type { IntegrationDoc } from './integrations.ts';
import type { Db } from './sync-db.ts';

/**
 * The state of one Change Data Capture subscription (one per Salesforce org
 * and object, shared by every integration on them), `_id` = the stream key.
 * Written by the worker holding the stream's lease only; the BFF reads it to
 * show each integration how its Salesforce changes arrive.
 */
export type StreamMode = ChangeDeliveryMode;

export interface StreamStateDoc {
  _id: string;
  orgId: string;
  object: string;
  /** The last event applied to every integration on the stream (stored after Brevo has it); null before the first. */
  replayId: number | null;
  mode: StreamMode;
  reason: PollingReason | null;
  /** Since when the mode is what it is. */
  since: Date;
  /** The watermark run interval in each mode (s). */
  pollSeconds: number;
  safetyNetSeconds: number;
  updatedAt: Date;
}

export const SYNC_STREAMS = 'sync_streams';

/** The stream an integration's changes come on: its Salesforce org and object. */
export function streamKeyOf(orgId: string, object: string): string {
  return `${orgId}:${object}`;
}

/** An integration's stream; null before its Salesforce org is connected. */
export function streamKeyOfIntegration(integration: Pick<IntegrationDoc, 'kind'> & { salesforce?: { orgId: string } | null }): string | null {
  return integration.salesforce ? streamKeyOf(integration.salesforce.orgId, salesforceObjectOf(integration.kind)) : null;
}

export interface StreamModeChange {
  mode: StreamMode;
  reason: PollingReason | null;
  pollSeconds: number;
  safetyNetSeconds: number;
}

export class StreamStateStore {
  constructor(private readonly db: Db) {}

  private get collection() {
    return this.db.collection<StreamStateDoc>(SYNC_STREAMS);
  }

  async get(key: string): Promise<StreamStateDoc | null> {
    return this.collection.findOne({ _id: key });
  }

  /** The streams of several keys, in one find by `_id`. */
  async many(keys: readonly string[]): Promise<Map<string, StreamStateDoc>> {
    if (keys.length === 0) return new Map();
    const found = await this.collection.find({ _id: { $in: [...new Set(keys)] } }).toArray();
    return new Map(found.map((doc) => [doc._id, doc]));
  }

  /** Which of these streams are in real time, in one find that reads only their keys (usually none, or a few). */
  async realtimeKeys(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const found = await this.collection.find({ _id: { $in: [...new Set(keys)] }, mode: 'realtime' }, { projection: { _id: 1 } }).toArray();
    return new Set(found.map((doc) => doc._id));
  }

  /** Sets the mode (and `since` when it changed); creates the stream's document the first time. */
  async setMode(key: string, orgId: string, object: string, change: StreamModeChange, now: Date): Promise<void> {
    const current = await this.get(key);
    const since = current && current.mode === change.mode && current.reason === change.reason ? current.since : now;
    await this.collection.updateOne(
      { _id: key },
      { $set: { orgId, object, ...change, since, updatedAt: now }, $setOnInsert: { replayId: null } },
      { upsert: true },
    );
  }

  async saveReplayId(key: string, replayId: number, now: Date): Promise<void> {
    await this.collection.updateOne({ _id: key }, { $set: { replayId, updatedAt: now } });
  }

  /** Forgets the stored position (a replay from it was refused: the stream starts again from new events). */
  async clearReplayId(key: string, now: Date): Promise<void> {
    await this.collection.updateOne({ _id: key }, { $set: { replayId: null, updatedAt: now } });
  }
}
