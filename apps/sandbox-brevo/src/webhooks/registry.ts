import { invalid, missing, notFound } from '../errors.ts';

export type WebhookType = 'marketing' | 'transactional' | 'inbound';

/** Event names the API accepts per webhook type (SDK CreateWebhookRequest.events doc). */
export const EVENTS_BY_TYPE: Record<WebhookType, string[]> = {
  marketing: ['spam', 'opened', 'click', 'hardBounce', 'softBounce', 'unsubscribed', 'listAddition', 'delivered', 'contactUpdated', 'contactDeleted'],
  transactional: ['sent', 'request', 'delivered', 'hardBounce', 'softBounce', 'blocked', 'spam', 'invalid', 'deferred', 'click', 'opened', 'uniqueOpened', 'unsubscribed'],
  inbound: ['inboundEmailProcessed', 'reply'],
};

export interface Webhook {
  id: number;
  url: string;
  description: string;
  type: WebhookType;
  events: string[];
  auth?: { type: string; token: string };
  headers: { key: string; value: string }[];
  batched: boolean;
  channel?: string;
  createdAt: number;
  modifiedAt: number;
}

export class WebhookRegistry {
  private webhooks = new Map<number, Webhook>();
  private nextId = 1;

  constructor(private readonly now: () => number) {}

  all(): Webhook[] {
    return [...this.webhooks.values()];
  }

  get(id: number): Webhook {
    const webhook = this.webhooks.get(id);
    if (!webhook) throw notFound('Webhook not found');
    return webhook;
  }

  find(id: number): Webhook | undefined {
    return this.webhooks.get(id);
  }

  create(body: Record<string, unknown>): Webhook {
    if (typeof body.url !== 'string' || body.url === '') throw missing('url is missing');
    const type = (body.type ?? 'transactional') as WebhookType;
    if (!(type in EVENTS_BY_TYPE)) throw invalid('type is not valid');
    const at = this.now();
    const webhook: Webhook = {
      id: this.nextId++,
      url: parseUrl(body.url),
      description: typeof body.description === 'string' ? body.description : '',
      type,
      events: parseEvents(body.events, type, true),
      headers: parseHeaders(body.headers),
      batched: body.batched === true,
      createdAt: at,
      modifiedAt: at,
    };
    const auth = parseAuth(body.auth);
    if (auth) webhook.auth = auth;
    if (typeof body.channel === 'string') webhook.channel = body.channel;
    this.webhooks.set(webhook.id, webhook);
    return webhook;
  }

  update(id: number, body: Record<string, unknown>): void {
    const webhook = this.get(id);
    if (body.url !== undefined) webhook.url = parseUrl(body.url);
    if (typeof body.description === 'string') webhook.description = body.description;
    if (body.events !== undefined) webhook.events = parseEvents(body.events, webhook.type, true);
    if (body.headers !== undefined) webhook.headers = parseHeaders(body.headers);
    if (body.batched !== undefined) webhook.batched = body.batched === true;
    if (body.auth !== undefined) {
      const auth = parseAuth(body.auth);
      if (auth) webhook.auth = auth;
      else delete webhook.auth;
    }
    webhook.modifiedAt = this.now();
  }

  delete(id: number): void {
    this.get(id);
    this.webhooks.delete(id);
  }

  /** Marketing webhooks subscribed to one API event name (e.g. `contactUpdated`). */
  subscribers(event: string): Webhook[] {
    return this.all().filter((webhook) => webhook.type === 'marketing' && webhook.events.includes(event));
  }
}

function parseUrl(value: unknown): string {
  if (typeof value !== 'string') throw invalid('url should be type string');
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw invalid('url is not valid');
  }
  return value;
}

function parseEvents(value: unknown, type: WebhookType, required: boolean): string[] {
  if (value === undefined && !required) return [];
  if (type === 'inbound' && value === undefined) return ['inboundEmailProcessed'];
  if (!Array.isArray(value) || value.length === 0) throw missing('events is missing');
  for (const event of value) {
    if (typeof event !== 'string' || !EVENTS_BY_TYPE[type].includes(event)) throw invalid(`Invalid event: ${String(event)}`);
  }
  return [...new Set(value as string[])];
}

function parseHeaders(value: unknown): { key: string; value: string }[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid('headers should be an array');
  return value.map((item) => {
    const { key, value: v } = (item ?? {}) as { key?: unknown; value?: unknown };
    if (typeof key !== 'string' || typeof v !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) throw invalid('headers is not valid');
    return { key, value: v };
  });
}

function parseAuth(value: unknown): { type: string; token: string } | undefined {
  if (value === undefined || value === null) return undefined;
  const { type, token } = value as { type?: unknown; token?: unknown };
  if (type !== 'bearer' || typeof token !== 'string' || token === '') throw invalid('auth is not valid: use { type: "bearer", token }');
  return { type, token };
}
