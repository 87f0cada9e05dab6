import { salesforceObjectOf } from '@contact-sync/rules';
import type { SalesforceConnectionHandle } from '@contact-sync/salesforce';
import { streamKeyOfIntegration, type IntegrationDoc, type StreamLease, type SyncingIntegrationRef, type SyncStore } from '@contact-sync/store';
import { StreamSession, type StreamOptions, type StreamTarget } from '@contact-sync/sync';

/**
 * Which Change Data Capture streams this worker holds: one per Salesforce org
 * and object with syncing integrations, each held by one worker under a
 * stream lease it renews at every tick. A worker that dies stops renewing,
 * and another takes the stream over within a lease lifetime and a tick
 * (10 s + 3 s by default), resuming from the stored replayId.
 */
export interface StreamSupervisorOptions {
  store: SyncStore;
  workerId: string;
  /** Off: no subscription; every stream shows it (`streaming_disabled`) and its integrations are polled. */
  enabled: boolean;
  /** The syncing integrations in full (their sessions' connections and engine ports): read at each tick while streaming is on. */
  listSyncing: () => Promise<IntegrationDoc[]>;
  /** The same with only their streams: all a tick reads while streaming is off. */
  listSyncingRefs: () => Promise<SyncingIntegrationRef[]>;
  /** The integration's engine ports on the stream's connection; null when it cannot take changes (initial load not done, key missing…). */
  targetOf: (doc: IntegrationDoc, salesforce: SalesforceConnectionHandle) => Promise<StreamTarget | null>;
  salesforceOf: (doc: IntegrationDoc) => SalesforceConnectionHandle | null;
  exclusive: (integrationId: string, work: () => Promise<void>) => Promise<boolean>;
  requestRun: (integrationId: string) => Promise<void>;
  session: Pick<StreamOptions, 'pollSeconds' | 'safetyNetSeconds'> & Partial<StreamOptions>;
  leaseTtlMs?: number;
  everyMs?: number;
  now?: () => Date;
  onError?: (error: unknown, where: string) => void;
}

/** How often the supervisor looks at the streams and renews the leases of those it holds (a lease lasts 10 s). */
const TICK_MS = 3_000;
/**
 * With streaming off it holds none, and only makes new integrations' streams show it: a listing of the whole fleet
 * every 3 s was half of the worker's reads of integrations at 1,000 of them (the reconcile's every 5 s the other half).
 */
const DISABLED_TICK_MS = 15_000;
/** With streaming off, how long a stream shown disabled is taken to stay so before its document is read again. */
const DISABLED_RECHECK_MS = 60_000;

interface HeldStream {
  lease: StreamLease;
  session: StreamSession;
  /** The integration whose Salesforce session the stream subscribes with. */
  ownerId: string;
  /** The stream's integrations at the last tick. */
  docs: IntegrationDoc[];
}

export class StreamSupervisor {
  private readonly held = new Map<string, HeldStream>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly leaseTtlMs: number;
  private readonly now: () => Date;
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
    if (!this.options.enabled) return this.showDisabled(byStream(await this.options.listSyncingRefs()));
    const byKey = byStream(await this.options.listSyncing());
    for (const key of this.held.keys()) if (!byKey.has(key)) await this.drop(key);
    for (const [key, docs] of byKey) await this.hold(key, docs);
  }

  private async hold(key: string, docs: IntegrationDoc[]): Promise<void> {
    const held = this.held.get(key);
    if (held && !docs.some((doc) => doc._id.toHexString() === held.ownerId)) {
      // Its integration left (paused, deleted, auth_error): subscribe again with another's session.
      await this.drop(key);
    } else if (held) {
      held.docs = docs;
      if (!(await this.options.store.streamLeases.renew(held.lease, this.leaseTtlMs, this.now()))) await this.drop(key, false);
      return;
    }
    // The oldest integration's session subscribes for all of them.
    const owner = [...docs].sort((a, b) => a._id.toHexString().localeCompare(b._id.toHexString()))[0]!;
    const salesforce = this.options.salesforceOf(owner);
    if (!salesforce) return;
    const lease = await this.options.store.streamLeases.take(key, this.options.workerId, this.leaseTtlMs, this.now());
    if (!lease) return;
    const session = new StreamSession({
      key,
      orgId: owner.salesforce!.orgId,
      object: salesforceObjectOf(owner.kind),
      salesforce,
      targets: async () => {
        const current = this.held.get(key)?.docs ?? [];
        return (await Promise.all(current.map((doc) => this.options.targetOf(doc, salesforce)))).filter((target): target is StreamTarget => target !== null);
      },
      exclusive: this.options.exclusive,
      requestRun: this.options.requestRun,
      store: this.options.store,
      stillHolder: async () => (await this.options.store.streamLeases.holder(key, this.now())) === this.options.workerId,
      options: this.options.session,
      now: this.now,
      ...(this.options.onError ? { onError: this.options.onError } : {}),
    });
    this.held.set(key, { lease, session, ownerId: owner._id.toHexString(), docs });
    await session.start();
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
