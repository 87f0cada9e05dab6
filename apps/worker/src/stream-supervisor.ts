import { salesforceObjectOf } from '@contact-sync/rules';
import type { SalesforceConnectionHandle } from '@contact-sync/salesforce';
import { streamKeyOfIntegration, type IntegrationDoc, type StreamLease, type SyncingIntegrationRef, type SyncingIntegrationVersion, type SyncStore } from '@contact-sync/store';
import { StreamSession, type StreamOptions, type StreamPorts, type StreamTarget } from '@contact-sync/sync';

/**
 * Which Change Data Capture streams this worker holds: one per Salesforce org
 * and object with syncing integrations, each held by one worker under a
 * stream lease it renews at every tick. A worker that dies stops renewing,
 * and another takes the stream over within a lease lifetime and a tick
 * (10 s + 3 s by default), resuming from the stored replayId.
 *
 * A tick lists the fleet by reference only (id, stream, when last written).
 * Integrations are read in full only for the streams this worker holds or
 * takes, and of those only the ones written since they were read: at 2,000
 * integrations, a listing in full every 3 s was 40,000 documents of 1.5 kB a
 * minute, whoever held the streams.
 */
export interface StreamSupervisorOptions {
  store: SyncStore;
  workerId: string;
  /** Off: no subscription; every stream shows it (`streaming_disabled`) and its integrations are polled. */
  enabled: boolean;
  /** The syncing integrations by reference, with when each was last written: read at each tick. */
  listSyncing: () => Promise<SyncingIntegrationVersion[]>;
  /** Those of these integrations that are syncing, in full (their sessions' connections and engine ports). */
  findSyncing: (ids: readonly string[]) => Promise<IntegrationDoc[]>;
  /** The integration's engine ports on the stream's connection; null when it cannot take changes (initial load not done, key missing…). */
  targetOf: (doc: IntegrationDoc, salesforce: SalesforceConnectionHandle) => Promise<StreamTarget | null>;
  salesforceOf: (doc: IntegrationDoc) => SalesforceConnectionHandle | null;
  /**
   * When each of these accounts was last written (ms), read at each tick for the accounts of the held streams' integrations:
   * a target made before its account's last write (a new Brevo key, a new notice address) is made again. Absent: only
   * after TARGET_REREAD_MS.
   */
  accountVersions?: (accountIds: readonly string[]) => Promise<Map<string, number>>;
  exclusive: (integrationId: string, work: () => Promise<void>) => Promise<boolean>;
  requestRun: (integrationId: string) => Promise<void>;
  session: Pick<StreamOptions, 'pollSeconds' | 'safetyNetSeconds'> & Partial<StreamOptions>;
  leaseTtlMs?: number;
  everyMs?: number;
  now?: () => Date;
  onError?: (error: unknown, where: string) => void;
  /** Makes the session of a stream this worker takes (a CometD subscription; tests give one of their own). */
  openSession?: (ports: StreamPorts) => Pick<StreamSession, 'start' | 'stop'>;
}

/** How often the supervisor looks at the streams and renews the leases of those it holds (a lease lasts 10 s). */
export const TICK_MS = 3_000;
/**
 * With streaming off it holds none, and only makes new integrations' streams show it: a listing of the whole fleet
 * every 3 s was half of the worker's reads of integrations at 1,000 of them (the reconcile's every 5 s the other half).
 */
export const DISABLED_TICK_MS = 15_000;
/** With streaming off, how long a stream shown disabled is taken to stay so before its document is read again. */
const DISABLED_RECHECK_MS = 60_000;
/**
 * The longest a held stream's session uses a target as `targetOf` made it, while the integration's document stays the
 * one it was made from and its account was not written since: what neither shows (the end of its initial load) is read
 * again after this. A document written since (paused, a new mapping, an auth error, disabled by its quota) is read again
 * at the next tick, and so is the account's last write (`accountVersions`); the target is then made again at the
 * session's next ask, as before the cache.
 */
export const TARGET_REREAD_MS = 30_000;

interface HeldStream {
  lease: StreamLease;
  session: Pick<StreamSession, 'start' | 'stop'>;
  /** The integration whose Salesforce session the stream subscribes with. */
  ownerId: string;
  /** The stream's integrations in full, as last read (read again once written since). */
  docs: IntegrationDoc[];
  /** Each integration's target (null: takes no changes), from which of `docs`, after which write of its account and when it was made (`targetsOf`). */
  targets: Map<string, { doc: IntegrationDoc; accountWrittenAt: number | undefined; target: StreamTarget | null; madeAt: number }>;
}

export class StreamSupervisor {
  private readonly held = new Map<string, HeldStream>();
  /** Streams known to have a lease document (it is never deleted): of those only the lapsed leases are read. */
  private readonly leased = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly leaseTtlMs: number;
  private readonly now: () => Date;
  /** When the accounts of the held streams' integrations were last written, as of the last tick (`accountVersions`). */
  private accountWrittenAt = new Map<string, number>();
  /** Streaming off: the streams this supervisor found or made `streaming_disabled`, and since when it knows (read again after DISABLED_RECHECK_MS). */
  private shownDisabled = { keys: new Set<string>(), since: 0 };

  constructor(private readonly options: StreamSupervisorOptions) {
    this.leaseTtlMs = options.leaseTtlMs ?? 10_000;
    this.now = options.now ?? (() => new Date());
  }

  start(): void {
    const tick = () => {
      this.ticking = this.ticking.then(() => this.tick()).catch((error: unknown) => this.options.onError?.(error, 'stream supervisor'));
    };
    tick();
    this.timer = setInterval(tick, this.options.everyMs ?? (this.options.enabled ? TICK_MS : DISABLED_TICK_MS));
  }

  /** Stops every session and releases its stream, so another worker takes it over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.ticking;
    await Promise.all([...this.held.keys()].map((key) => this.drop(key)));
  }

  /** Keys of the streams this worker holds (tests, logs). */
  heldKeys(): string[] {
    return [...this.held.keys()];
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const byKey = byStream(await this.options.listSyncing());
    if (!this.options.enabled) return this.showDisabled(byKey);
    for (const [key, held] of this.held) {
      // No integration left on it: given up. Its subscribing one left (paused, deleted, auth_error): given up, and
      // taken again below with another's session.
      if (!byKey.get(key)?.some((ref) => ref._id.toHexString() === held.ownerId)) await this.guarded(key, () => this.drop(key));
    }
    const free = await this.freeStreams([...byKey.keys()].filter((key) => !this.held.has(key)));
    // Read in full, in one find: the integrations of the streams to take, and those of held streams written since read.
    const toRead = [
      ...free.flatMap((key) => byKey.get(key)!.map((ref) => ref._id.toHexString())),
      ...[...this.held].flatMap(([key, held]) => writtenSince(held.docs, byKey.get(key)!)),
    ];
    const read = new Map((toRead.length > 0 ? await this.options.findSyncing(toRead) : []).map((doc) => [doc._id.toHexString(), doc]));
    // Before the takes: a session asks for its targets as it starts.
    await this.guarded('accounts', () => this.readAccountVersions([...[...this.held.values()].flatMap((held) => held.docs), ...read.values()]));
    for (const [key, held] of this.held) await this.guarded(key, () => this.renew(key, held, docsOf(byKey.get(key)!, read, held.docs)));
    for (const key of free) await this.guarded(key, () => this.take(key, docsOf(byKey.get(key)!, read, [])));
  }

  /** When the accounts of these integrations (of the streams held or taken) were last written: one find for all, none for none. */
  private async readAccountVersions(docs: IntegrationDoc[]): Promise<void> {
    if (!this.options.accountVersions) return;
    const accountIds = [...new Set(docs.map((doc) => doc.accountId))];
    this.accountWrittenAt = accountIds.length > 0 ? await this.options.accountVersions(accountIds) : new Map();
  }

  /** One stream's trouble (a token that does not open, a failed write) is reported and leaves the others' alone. */
  private async guarded(key: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.options.onError?.(error, `stream supervisor ${key}`);
    }
  }

  /**
   * Of these streams, those no worker holds: never leased, released or expired. Only the lapsed leases are read (usually
   * none), and once the keys of the streams first seen.
   */
  private async freeStreams(keys: string[]): Promise<string[]> {
    const unseen = keys.filter((key) => !this.leased.has(key));
    const existing = await this.options.store.streamLeases.existing(unseen);
    for (const key of existing) this.leased.add(key);
    const lapsed = await this.options.store.streamLeases.lapsed(keys.filter((key) => this.leased.has(key)), this.now());
    return keys.filter((key) => lapsed.has(key) || !this.leased.has(key));
  }

  private async renew(key: string, held: HeldStream, docs: IntegrationDoc[]): Promise<void> {
    held.docs = docs;
    if (!(await this.options.store.streamLeases.renew(held.lease, this.leaseTtlMs, this.now()))) await this.drop(key, false);
  }

  private async take(key: string, docs: IntegrationDoc[]): Promise<void> {
    if (docs.length === 0) return;
    // The oldest integration's session subscribes for all of them.
    const owner = [...docs].sort((a, b) => a._id.toHexString().localeCompare(b._id.toHexString()))[0]!;
    const salesforce = this.options.salesforceOf(owner);
    if (!salesforce) return;
    const lease = await this.options.store.streamLeases.take(key, this.options.workerId, this.leaseTtlMs, this.now());
    this.leased.add(key);
    if (!lease) return;
    const ports: StreamPorts = {
      key,
      orgId: owner.salesforce!.orgId,
      object: salesforceObjectOf(owner.kind),
      salesforce,
      targets: () => this.targetsOf(key, salesforce),
      exclusive: this.options.exclusive,
      requestRun: this.options.requestRun,
      store: this.options.store,
      stillHolder: async () => (await this.options.store.streamLeases.holder(key, this.now())) === this.options.workerId,
      options: this.options.session,
      now: this.now,
      ...(this.options.onError ? { onError: this.options.onError } : {}),
    };
    const session = this.options.openSession?.(ports) ?? new StreamSession(ports);
    this.held.set(key, { lease, session, ownerId: owner._id.toHexString(), docs, targets: new Map() });
    await session.start();
  }

  /**
   * The integrations of a held stream that take its changes now. A session asks every 2 s (and at each batch), and
   * `targetOf` reads the integration's sync state and its account: at 500 integrations held, 30,000 reads a minute.
   * So a target is made again only when the integration's document is no longer the one it was made from (the tick
   * read it again: written since), when its account was written since (as the last tick saw it), or after
   * TARGET_REREAD_MS.
   */
  private async targetsOf(key: string, salesforce: SalesforceConnectionHandle): Promise<StreamTarget[]> {
    const held = this.held.get(key);
    if (!held) return [];
    const now = this.now().getTime();
    const made = await Promise.all(
      held.docs.map(async (doc) => {
        const id = doc._id.toHexString();
        const cached = held.targets.get(id);
        // Taken before the target is made: an account written meanwhile is seen at the next tick, and the target made again.
        const accountWrittenAt = this.accountWrittenAt.get(doc.accountId);
        if (cached?.doc === doc && cached.accountWrittenAt === accountWrittenAt && now - cached.madeAt < TARGET_REREAD_MS) return cached.target;
        const target = await this.options.targetOf(doc, salesforce);
        held.targets.set(id, { doc, accountWrittenAt, target, madeAt: now });
        return target;
      }),
    );
    // Those that left the stream are forgotten.
    const onStream = new Set(held.docs.map((doc) => doc._id.toHexString()));
    for (const id of held.targets.keys()) if (!onStream.has(id)) held.targets.delete(id);
    return made.filter((target): target is StreamTarget => target !== null);
  }

  private async drop(key: string, release = true): Promise<void> {
    const held = this.held.get(key);
    if (!held) return;
    this.held.delete(key);
    await held.session.stop();
    if (release) await this.options.store.streamLeases.release(held.lease);
  }

  /**
   * Every stream shows that streaming is off. Its document is read once (in one find for all: one per org was 167 finds
   * a second at 500 orgs), and again only after DISABLED_RECHECK_MS: reading 2,000 of them at every tick grew the
   * worker's CPU per run with the fleet.
   */
  private async showDisabled(byKey: Map<string, SyncingIntegrationRef[]>): Promise<void> {
    const now = this.now().getTime();
    if (now - this.shownDisabled.since >= DISABLED_RECHECK_MS) this.shownDisabled = { keys: new Set(), since: now };
    const { keys } = this.shownDisabled;
    const unknown = [...byKey.keys()].filter((key) => !keys.has(key));
    if (unknown.length === 0) return;
    const streams = await this.options.store.streams.many(unknown);
    for (const key of unknown) {
      const current = streams.get(key);
      if (current?.reason !== 'streaming_disabled' || current.pollSeconds !== this.options.session.pollSeconds) {
        const [ref] = byKey.get(key)!;
        await this.options.store.streams.setMode(
          key,
          ref!.salesforce!.orgId,
          salesforceObjectOf(ref!.kind),
          { mode: 'polling', reason: 'streaming_disabled', pollSeconds: this.options.session.pollSeconds, safetyNetSeconds: this.options.session.safetyNetSeconds },
          this.now(),
        );
      }
      keys.add(key);
    }
  }
}

/** The ids of a held stream's integrations that are new to it or were written since they were read. */
function writtenSince(docs: IntegrationDoc[], refs: SyncingIntegrationVersion[]): string[] {
  const readAt = new Map(docs.map((doc) => [doc._id.toHexString(), doc.updatedAt?.getTime()]));
  return refs.flatMap((ref) => {
    const id = ref._id.toHexString();
    return readAt.has(id) && readAt.get(id) === ref.updatedAt?.getTime() ? [] : [id];
  });
}

/** A stream's integrations in full: as just read, else as read before; one no longer syncing when read is left out. */
function docsOf(refs: SyncingIntegrationVersion[], read: Map<string, IntegrationDoc>, before: IntegrationDoc[]): IntegrationDoc[] {
  const kept = new Map(before.map((doc) => [doc._id.toHexString(), doc]));
  return refs.flatMap((ref) => {
    const id = ref._id.toHexString();
    const doc = read.get(id) ?? (kept.get(id)?.updatedAt?.getTime() === ref.updatedAt?.getTime() ? kept.get(id) : undefined);
    return doc ? [doc] : [];
  });
}

/** Integrations by the stream they are on (none before their Salesforce org is connected). */
function byStream<T extends SyncingIntegrationRef>(integrations: T[]): Map<string, T[]> {
  const byKey = new Map<string, T[]>();
  for (const integration of integrations) {
    const key = streamKeyOfIntegration(integration);
    if (!key) continue;
    const onStream = byKey.get(key);
    if (onStream) onStream.push(integration);
    else byKey.set(key, [integration]);
  }
  return byKey;
}
