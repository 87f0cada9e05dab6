import {
  changeEventChannel,
  subscribeToChangeEvents,
  type ChangeEvent,
  type ChangeEventSubscription,
  type SalesforceConnectionHandle,
  type SubscriptionFailure,
} from '@contact-sync/salesforce';
import type { PollingReason, SalesforceObjectName } from '@contact-sync/rules';
import type { StreamModeChange, SyncStore } from '@contact-sync/store';
import { foldChangeEvents, isOwnChange, type ChangeBatch } from './change-events.ts';
import { salesforceCaller } from './classify.ts';
import { describeFieldsLoader } from './describe-fields.ts';
import type { IntegrationSnapshot } from './integration.ts';
import { applySalesforceChanges, type EngineDeps } from './salesforce-to-brevo.ts';

/**
 * One Change Data Capture subscription (one Salesforce org and object),
 * applied to every integration on it, held by one worker (the stream lease,
 * apps/worker). Events that land within `coalesceMs` are applied together:
 * per integration, one engine batch (the run's rules, one Brevo batch), under
 * the integration's run lease, so a stream batch and a watermark run never
 * write for one integration at once. The replayId is stored only once every
 * integration has the batch in Brevo; a crash replays from there.
 *
 * Whenever the stream cannot be trusted the integrations fall back to the
 * watermark run (asked for at once; the schedule polls every `pollSeconds`
 * meanwhile): a gap or overflow event, a replayId past retention, the object
 * not selected for Change Data Capture, a disconnection longer than
 * `disconnectBoundMs`, a refused session (refreshed, then subscribed again).
 * Events may have been missed in the first three: the stream is real time
 * again once each integration has had a watermark run that started after.
 */
export interface StreamTarget {
  integration: IntegrationSnapshot;
  /** The integration's engine ports (its account's Brevo client and status port; `salesforce`: the stream's connection). */
  deps: EngineDeps;
}

export interface StreamOptions {
  /** Events landing within this window are applied as one batch. */
  coalesceMs: number;
  /** The transport down longer than this: fall back to the watermark run. */
  disconnectBoundMs: number;
  /** How soon to subscribe again after the object was not selected, or the session could not be refreshed. */
  resubscribeMs: number;
  /** How soon to try a batch again when an integration's run held its lease or the write failed. */
  retryMs: number;
  /** How often to look whether the watermark runs of a fall-back are done. */
  catchUpCheckMs: number;
  /** Shown to users: the watermark run interval while polling, and as the safety net while real time. */
  pollSeconds: number;
  safetyNetSeconds: number;
}

export const DEFAULT_STREAM_OPTIONS: StreamOptions = {
  coalesceMs: 1_000,
  disconnectBoundMs: 20_000,
  resubscribeMs: 60_000,
  retryMs: 2_000,
  catchUpCheckMs: 2_000,
  pollSeconds: 60,
  safetyNetSeconds: 900,
};

export interface StreamPorts {
  key: string;
  orgId: string;
  object: SalesforceObjectName;
  /** A session of one of the stream's integrations (the org's events are the same for every user with access). */
  salesforce: SalesforceConnectionHandle;
  /** The integrations on the stream that take changes now (their initial load is done). */
  targets(): Promise<StreamTarget[]>;
  /** Runs `work` while no run of the integration is going; false when one is (the batch is tried again). */
  exclusive(integrationId: string, work: () => Promise<void>): Promise<boolean>;
  /** Asks for a watermark run of the integration now. */
  requestRun(integrationId: string): Promise<void>;
  store: SyncStore;
  /** False once this worker no longer holds the stream. */
  stillHolder(): Promise<boolean>;
  options?: Partial<StreamOptions>;
  now?: () => Date;
  onError?: (error: unknown, where: string) => void;
}

/** Events that are being applied, and the integrations that have them already. */
interface PendingBatch {
  events: ChangeEvent[];
  batch: ChangeBatch;
  applied: Set<string>;
}

export class StreamSession {
  private readonly options: StreamOptions;
  private readonly now: () => Date;
  private subscription: ChangeEventSubscription | null = null;
  private subscribed = false;
  /** Something keeps the stream from delivering (the fall-back lasts while it does). */
  private problem: PollingReason | null = null;
  /** Events may have been missed: polling until every integration had a watermark run started after `since`. */
  private catchUp: { reason: PollingReason; since: Date } | null = null;
  private received: ChangeEvent[] = [];
  private pending: PendingBatch | null = null;
  /**
   * Where to subscribe again from without losing anything: the newest replayId
   * received (what is buffered is still applied), else the stored one; -1
   * when neither is known (a subscription from there may miss events).
   */
  private position = -1;
  /** The integrations the stream has taken changes for (a new one first gets a watermark run). */
  private readonly known = new Set<string>();
  private stopped = false;
  private working: Promise<void> = Promise.resolve();
  private readonly timers = new Set<NodeJS.Timeout>();
  private flushTimer: NodeJS.Timeout | null = null;
  private disconnectTimer: NodeJS.Timeout | null = null;
  private shownMode: string | null = null;
  /** The object's describe, once for the session (every batch needs it; a new session reads it again). */
  private readonly loadFields;

  constructor(private readonly ports: StreamPorts) {
    this.options = { ...DEFAULT_STREAM_OPTIONS, ...ports.options };
    this.now = ports.now ?? (() => new Date());
    this.loadFields = describeFieldsLoader(ports.salesforce.connection, salesforceCaller());
  }

  get channel(): string {
    return changeEventChannel(this.ports.object);
  }

  /** The mode and reason the integrations on the stream are in. */
  get mode(): StreamModeChange {
    const reason = this.problem ?? this.catchUp?.reason ?? (this.subscribed ? null : 'connecting');
    return { mode: reason ? 'polling' : 'realtime', reason, pollSeconds: this.options.pollSeconds, safetyNetSeconds: this.options.safetyNetSeconds };
  }

  async start(): Promise<void> {
    const stored = (await this.ports.store.streams.get(this.ports.key))?.replayId ?? null;
    if (stored === null) {
      // Without a stored position, changes made before the subscription are the watermark run's.
      await this.fallBack('connecting');
    } else {
      this.position = stored;
      for (const { integration } of await this.ports.targets()) this.known.add(integration.id);
    }
    await this.showMode();
    this.subscribe(this.position);
    this.every(this.options.catchUpCheckMs, async () => {
      await this.checkNewTargets();
      await this.checkCatchUp();
    });
  }

  /** Stops delivering; what is not applied yet is replayed by the next holder from the stored replayId. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.subscription?.close();
    this.subscription = null;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.working;
  }

  private subscribe(replayId: number): void {
    if (this.stopped) return;
    this.subscription?.close();
    this.subscribed = false;
    let acknowledged = false;
    this.subscription = subscribeToChangeEvents(this.ports.salesforce.connection, {
      channel: this.channel,
      replayId,
      onEvent: (event) => this.receive(event),
      onSubscribed: () => {
        // Again after a re-handshake: from -1, the client's replay extension cannot bring what was missed.
        const resumedBlind = (acknowledged && this.position === -1) || (!acknowledged && replayId === -1);
        acknowledged = true;
        this.subscribed = true;
        this.schedule(async () => {
          const unselected = this.problem === 'cdc_not_enabled';
          this.problem = null;
          // While unselected, changes published nothing; after a blind subscription some may be missed.
          if (unselected || (resumedBlind && !this.catchUp)) await this.fallBack(unselected ? 'cdc_not_enabled' : 'disconnected');
          await this.showMode();
        });
      },
      onFailure: (failure) => this.failed(failure),
      onTransport: (up) => this.transport(up),
    });
  }

  private receive(event: ChangeEvent): void {
    this.received.push(event);
    this.position = Math.max(this.position, event.event.replayId);
    this.flushTimer ??= this.after(this.options.coalesceMs, () => {
      this.flushTimer = null;
      this.schedule(() => this.flush());
    });
  }

  private failed(failure: SubscriptionFailure): void {
    this.subscription?.close();
    this.subscription = null;
    this.subscribed = false;
    this.schedule(async () => {
      if (failure.kind === 'replay_invalid') {
        // Events after the stored position are gone: new ones from now, the rest by watermark runs.
        await this.ports.store.streams.clearReplayId(this.ports.key, this.now());
        this.position = -1;
        await this.fallBack('replay_expired');
        this.subscribe(-1);
      } else if (failure.kind === 'channel_missing') {
        await this.setProblem('cdc_not_enabled');
        this.after(this.options.resubscribeMs, () => this.subscribe(this.position));
      } else if (failure.kind === 'auth') {
        await this.setProblem('auth_failed');
        await this.refreshAndSubscribe();
      } else {
        this.ports.onError?.(new Error(failure.message), 'stream subscription');
        await this.setProblem('disconnected');
        this.after(this.options.retryMs, () => this.subscribe(this.position));
      }
      await this.showMode();
    });
  }

  private async refreshAndSubscribe(): Promise<void> {
    try {
      await this.ports.salesforce.refreshAccessToken();
      this.subscribe(this.position);
    } catch (error) {
      // Refused for good (the integrations' runs set auth_error), or Salesforce unreachable: try again later.
      this.ports.onError?.(error, 'stream session refresh');
      this.after(this.options.resubscribeMs, () => this.schedule(() => this.refreshAndSubscribe()));
    }
  }

  private transport(up: boolean): void {
    if (up) {
      if (this.disconnectTimer) clearTimeout(this.disconnectTimer);
      this.disconnectTimer = null;
      if (this.problem === 'disconnected' && this.subscription) {
        this.schedule(async () => {
          this.problem = null;
          await this.showMode();
        });
      }
      return;
    }
    this.disconnectTimer ??= this.after(this.options.disconnectBoundMs, () => {
      this.disconnectTimer = null;
      this.schedule(async () => {
        await this.setProblem('disconnected');
        await this.showMode();
      });
    });
  }

  /** Applies what was received, one batch after the other; a batch that failed is tried again. */
  private async flush(): Promise<void> {
    try {
      await this.flushOnce();
    } catch (error) {
      this.ports.onError?.(error, 'stream batch');
      this.after(this.options.retryMs, () => this.schedule(() => this.flush()));
    }
  }

  private async flushOnce(): Promise<void> {
    if (!this.pending && this.received.length > 0) {
      const events = this.received.sort((a, b) => a.event.replayId - b.event.replayId);
      this.received = [];
      this.pending = { events, batch: foldChangeEvents(events), applied: new Set() };
      const gap = this.pending.batch.gaps[0];
      if (gap) await this.fallBack(gap.changeType === 'GAP_OVERFLOW' ? 'overflow_event' : 'gap_event');
    }
    const pending = this.pending;
    if (!pending) return;
    const done = await this.apply(pending);
    if (!done) {
      this.after(this.options.retryMs, () => this.schedule(() => this.flush()));
      return;
    }
    if (!(await this.ports.stillHolder())) return;
    await this.ports.store.streams.saveReplayId(this.ports.key, pending.batch.lastReplayId, this.now());
    this.pending = null;
    if (this.received.length > 0) this.schedule(() => this.flush());
    await this.showMode();
  }

  /** The batch to every integration that does not have it yet; true once all have it. */
  private async apply(pending: PendingBatch): Promise<boolean> {
    let complete = true;
    for (const { integration, deps } of await this.ports.targets()) {
      if (pending.applied.has(integration.id)) continue;
      // Records whose only changes are this integration's own writes: echoes, not sent back.
      const changes = pending.batch.records.filter((change) => !change.origins.every((origin) => isOwnChange(origin, integration.id)));
      let end: string = 'completed';
      const ran = await this.ports.exclusive(integration.id, async () => {
        const withFields = { ...deps, loadFields: deps.loadFields ?? this.loadFields };
        end = (await applySalesforceChanges(integration, changes, withFields, `stream|${integration.id}|${pending.batch.firstReplayId}`)).end;
      });
      // Failed or paused (rate limits): the same batch again later. Quota and auth ends stop the integration: it has what it can take.
      if (ran && (end === 'completed' || end === 'quota_exceeded' || end === 'auth_error')) pending.applied.add(integration.id);
      else complete = false;
    }
    return complete;
  }

  /** Events may have been missed: a watermark run of every integration now, polling until they are done. */
  private async fallBack(reason: PollingReason): Promise<void> {
    this.catchUp = { reason, since: this.now() };
    await this.showMode();
    for (const { integration } of await this.ports.targets()) {
      this.known.add(integration.id);
      await this.ports.requestRun(integration.id);
    }
  }

  /** An integration that joined the stream (activated, initial load done) missed the events before: a watermark run first. */
  private async checkNewTargets(): Promise<void> {
    const targets = await this.ports.targets();
    if (targets.every(({ integration }) => this.known.has(integration.id))) return;
    await this.fallBack(this.catchUp?.reason ?? 'connecting');
  }

  private async setProblem(reason: PollingReason): Promise<void> {
    const fresh = this.problem !== reason;
    this.problem = reason;
    await this.showMode();
    if (fresh) for (const { integration } of await this.ports.targets()) await this.ports.requestRun(integration.id);
  }

  private async checkCatchUp(): Promise<void> {
    if (!this.catchUp) return;
    const since = this.catchUp.since.getTime();
    const targets = await this.ports.targets();
    // Nothing takes the changes yet (initial loads running): nothing has caught up.
    if (targets.length === 0) return;
    for (const { integration } of targets) {
      const completed = (await this.ports.store.state.get(integration.id)).completedRunStartedAt;
      if (!completed || completed.getTime() < since) return;
    }
    this.catchUp = null;
    await this.showMode();
  }

  /** Writes the mode for the integrations' pages (only when it changed). */
  private async showMode(): Promise<void> {
    const mode = this.mode;
    const shown = `${mode.mode}:${mode.reason}`;
    if (shown === this.shownMode || this.stopped) return;
    if (!(await this.ports.stillHolder())) return;
    await this.ports.store.streams.setMode(this.ports.key, this.ports.orgId, this.ports.object, mode, this.now());
    this.shownMode = shown;
  }

  /** Work on the stream's state, one piece at a time (events arrive while a batch is written). */
  private schedule(work: () => Promise<void>): void {
    this.working = this.working.then(async () => {
      if (this.stopped) return;
      try {
        await work();
      } catch (error) {
        this.ports.onError?.(error, 'stream');
      }
    });
  }

  private after(ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private every(ms: number, work: () => Promise<void>): void {
    const tick = () => this.after(ms, () => {
      this.schedule(work);
      tick();
    });
    tick();
  }
}
