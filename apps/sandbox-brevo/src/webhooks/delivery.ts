import { Agent as HttpAgent, request as httpRequest, type ClientRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AccountState } from '../account-state.ts';
import type { ContactEvent } from '../contacts/store.ts';
import { accountWebhookKey, payloadsFor, type MarketingPayload } from './payloads.ts';
import type { Webhook, WebhookRegistry } from './registry.ts';

/**
 * Brevo's retry schedule (developers.brevo.com/docs/retry-mechanism): after
 * the first attempt, 4 retries 10 min, 1 h, 2 h and 8 h apart. Only an
 * unreachable endpoint (connection error, timeout) or a 429 is retried; any
 * other 4xx and every 5xx "stop all retry attempts and discard the webhook".
 */
export const BREVO_RETRY_DELAYS_MS = [600_000, 3_600_000, 7_200_000, 28_800_000];

export interface DeliveryOptions {
  retryDelaysMs: number[];
  timeoutMs: number;
  /** Batched webhooks collect events for this long (or up to batchMaxEvents) before one POST with an array. */
  batchWindowMs: number;
  batchMaxEvents: number;
  /** Parallel POSTs in flight, all webhooks together. */
  concurrency: number;
  /** Deliveries kept for GET /__sandbox/webhooks/deliveries. */
  historySize: number;
}

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  retryDelaysMs: BREVO_RETRY_DELAYS_MS,
  timeoutMs: 10_000,
  batchWindowMs: 1_000,
  batchMaxEvents: 100,
  concurrency: 16,
  historySize: 2_000,
};

/** How long a kept-alive connection to a receiver stays open unused. */
export const IDLE_CONNECTION_MS = 4_000;

/** What a timed-out attempt records (the words fetch used, which deliveries recorded before). */
const TIMEOUT_MESSAGE = 'The operation was aborted due to timeout';

export interface Attempt {
  at: string;
  status?: number;
  error?: string;
  durationMs: number;
}

export interface Delivery {
  id: number;
  accountId: string;
  webhookId: number;
  url: string;
  events: string[];
  body: MarketingPayload | MarketingPayload[];
  state: 'pending' | 'delivered' | 'failed' | 'discarded';
  attempts: Attempt[];
  nextAttemptAt?: string;
}

/**
 * Sends marketing webhooks for contact changes, outside the request that
 * caused them, with Brevo's auth header, custom headers and retry policy.
 */
export class WebhookDelivery {
  private nextId = 1;
  private history: Delivery[] = [];
  /** Each delivery with the registry of its account, so every attempt uses the webhook's current settings. */
  private queue: { delivery: Delivery; registry: WebhookRegistry }[] = [];
  private inFlight = 0;
  private timers = new Set<NodeJS.Timeout>();
  private batches = new Map<string, { webhook: Webhook; account: AccountState; payloads: MarketingPayload[]; timer: NodeJS.Timeout }>();
  private closed = false;
  /**
   * Connections kept open between deliveries; they do not hold the process. An idle one is closed after
   * IDLE_CONNECTION_MS, before the receiver's own keep-alive timeout (Node's servers: 5 s) can close it under a
   * request just sent on it, which would fail as a connection error.
   */
  private readonly agents = { http: new HttpAgent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }), https: new HttpsAgent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }) };

  constructor(
    public options: DeliveryOptions,
    private readonly now: () => number,
  ) {}

  /** Subscribes to an account's contact changes. */
  watch(account: AccountState): void {
    const key = accountWebhookKey(account.accountId);
    account.contacts.onChange((event: ContactEvent) => {
      for (const webhook of account.webhooks.all()) {
        if (webhook.type !== 'marketing') continue;
        const payloads = payloadsFor(event, webhook, key);
        if (payloads.length === 0) continue;
        if (webhook.batched) this.addToBatch(account, webhook, payloads);
        else for (const payload of payloads) this.enqueue(account, webhook, payload);
      }
    });
  }

  /** The last `historySize` deliveries, oldest first. */
  deliveries(): Delivery[] {
    const excess = this.history.length - this.options.historySize;
    if (excess > 0) this.history.splice(0, excess);
    return this.history;
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const batch of this.batches.values()) clearTimeout(batch.timer);
    this.batches.clear();
    this.queue = [];
    this.history = [];
  }

  close(): void {
    this.closed = true;
    this.clear();
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  /** Resolves once nothing is queued, in flight or waiting to be batched (retries scheduled later do not count). */
  async idle(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight > 0 || this.batches.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  private addToBatch(account: AccountState, webhook: Webhook, payloads: MarketingPayload[]): void {
    const key = `${account.accountId}|${webhook.id}`;
    let batch = this.batches.get(key);
    if (!batch) {
      const timer = setTimeout(() => this.flushBatch(key), this.options.batchWindowMs);
      batch = { webhook, account, payloads: [], timer };
      this.batches.set(key, batch);
    }
    batch.payloads.push(...payloads);
    if (batch.payloads.length >= this.options.batchMaxEvents) this.flushBatch(key);
  }

  private flushBatch(key: string): void {
    const batch = this.batches.get(key);
    if (!batch) return;
    clearTimeout(batch.timer);
    this.batches.delete(key);
    this.enqueue(batch.account, batch.webhook, batch.payloads);
  }

  private enqueue(account: AccountState, webhook: Webhook, body: MarketingPayload | MarketingPayload[]): void {
    if (this.closed) return;
    const events = (Array.isArray(body) ? body : [body]).map((payload) => String(payload.event));
    const delivery: Delivery = { id: this.nextId++, accountId: account.accountId, webhookId: webhook.id, url: webhook.url, events, body, state: 'pending', attempts: [] };
    this.history.push(delivery);
    // Trimmed in steps of historySize, not one shift per delivery (a copy of the whole array each time).
    if (this.history.length >= 2 * this.options.historySize) this.history.splice(0, this.history.length - this.options.historySize);
    this.queue.push({ delivery, registry: account.webhooks });
    // Never inside the request that caused the change: start on a later tick.
    setImmediate(() => this.pump());
  }

  private pump(): void {
    while (this.inFlight < this.options.concurrency && this.queue.length > 0) {
      const entry = this.queue.shift()!;
      this.inFlight++;
      void this.attempt(entry.delivery, entry.registry).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async attempt(delivery: Delivery, registry: WebhookRegistry): Promise<void> {
    if (this.closed) return;
    // A webhook deleted meanwhile gets nothing more; an updated one is used as it is now.
    const webhook = registry.find(delivery.webhookId);
    if (!webhook) {
      delivery.state = 'discarded';
      delete delivery.nextAttemptAt;
      return;
    }
    delivery.url = webhook.url;
    const started = this.now();
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Brevo-Webhook (sandbox)' };
    // Names lower-cased, so a custom header of the same name replaces the sandbox's own.
    for (const { key, value } of webhook.headers) headers[key.toLowerCase()] = value;
    if (webhook.auth) headers.authorization = `Bearer ${webhook.auth.token}`;
    const { status, error } = await this.post(delivery.url, headers, JSON.stringify(delivery.body));
    // Closed meanwhile (its connections destroyed under this attempt): nothing recorded, no retry scheduled.
    if (this.closed) return;
    delivery.attempts.push({ at: new Date(started).toISOString(), ...(status !== undefined ? { status } : {}), ...(error ? { error } : {}), durationMs: this.now() - started });
    if (status !== undefined && status >= 200 && status < 300) {
      delivery.state = 'delivered';
      delete delivery.nextAttemptAt;
      return;
    }
    const retryable = status === undefined || status === 429;
    const delay = this.options.retryDelaysMs[delivery.attempts.length - 1];
    if (!retryable || delay === undefined) {
      delivery.state = retryable ? 'failed' : 'discarded';
      delete delivery.nextAttemptAt;
      return;
    }
    delivery.nextAttemptAt = new Date(this.now() + delay).toISOString();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.queue.push({ delivery, registry });
      this.pump();
    }, delay);
    this.timers.add(timer);
  }

  /**
   * One attempt's POST, on kept-alive connections. node:http rather than
   * fetch: at the fleet's size fetch's own machinery (web streams, abort
   * signals) was a fifth of the sandbox's CPU. The status once the answer's
   * head arrives (its body is read and dropped), else the error that kept it
   * from arriving within `timeoutMs`. A redirect is an answer like any other:
   * never followed, so a 3xx discards the delivery.
   */
  private post(url: string, headers: Record<string, string>, body: string): Promise<{ status?: number; error?: string }> {
    return new Promise((resolve) => {
      let status: number | undefined;
      let timer: NodeJS.Timeout | undefined;
      const settle = (outcome: { status?: number; error?: string }) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      try {
        const target = new URL(url);
        const https = target.protocol === 'https:';
        let request: ClientRequest;
        const send = (firstTry: boolean) => {
          request = (https ? httpsRequest : httpRequest)(target, {
            method: 'POST',
            headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
            agent: https ? this.agents.https : this.agents.http,
          });
          request.on('response', (response) => {
            status = response.statusCode;
            const done = () => settle({ status });
            response.on('end', done).on('close', done).on('error', done);
            response.resume();
          });
          request.on('error', (e: NodeJS.ErrnoException) => {
            // A kept-alive connection the receiver closed as it was reused: sent again at once on a new one, as a
            // client that opens a connection per delivery would have done (Node's documented pattern).
            if (firstTry && request.reusedSocket && status === undefined && (e.code === 'ECONNRESET' || e.code === 'EPIPE')) return send(false);
            // After the head, a failure (or the timeout) while the body is read leaves the status standing.
            settle(status === undefined ? { error: errorText(e) } : { status });
          });
          request.end(body);
        };
        send(true);
        timer = setTimeout(() => request.destroy(new Error(TIMEOUT_MESSAGE)), this.options.timeoutMs);
      } catch (e) {
        // An invalid header value or URL: retried as an unreachable endpoint would be.
        settle({ error: errorText(e) });
      }
    });
  }
}

/** An error's message, or its code when it has none (an AggregateError of every address refusing the connection). */
function errorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  return e.message || (e as NodeJS.ErrnoException).code || e.name;
}
