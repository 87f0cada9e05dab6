import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { BrevoClient } from '@getbrevo/brevo';
import { deleteWebhook, registerContactWebhook } from '@contact-sync/brevo';
import { canonicalJson, isMadeWithOwnKey } from '@contact-sync/rules';
import type { SyncStateDoc, SyncStore, WebhookEventDoc } from '@contact-sync/store';
import type { Caller } from './classify.ts';

/** What the sync needs of packages/secrets' SecretBox. */
export interface SecretSealer {
  seal(plaintext: string, context?: string): object;
}

export function webhookUrl(bffPublicUrl: string, integrationId: string): string {
  return `${bffPublicUrl.replace(/\/+$/, '')}/api/v1/webhooks/brevo/${encodeURIComponent(integrationId)}`;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * On activation: registers the integration's Brevo marketing webhook
 * (`contactUpdated`, `contactDeleted`, `unsubscribed`) with a fresh per-integration bearer
 * secret. The secret is kept sealed (for rotation) and as a SHA-256 (to verify
 * calls without decrypting). Idempotent: an integration that has one keeps it.
 */
export async function registerIntegrationWebhook(
  integrationId: string,
  deps: { brevo: BrevoClient; store: SyncStore; secrets: SecretSealer; bffPublicUrl: string; callBrevo?: Caller; state?: Pick<SyncStateDoc, 'brevoWebhookId' | 'webhookSecretHash'> },
): Promise<number> {
  // The state the caller read (a run, under its lease), or read here.
  const state = deps.state ?? (await deps.store.state.get(integrationId));
  if (state.brevoWebhookId != null && state.webhookSecretHash) return state.brevoWebhookId;
  const secret = randomBytes(32).toString('base64url');
  const call = deps.callBrevo ?? (<T>(_label: string, fn: () => Promise<T>) => fn());
  const webhookId = await call('brevo.webhooks.create', () =>
    registerContactWebhook(deps.brevo, {
      url: webhookUrl(deps.bffPublicUrl, integrationId),
      secret,
      description: `Salesforce contacts sync ${integrationId}`,
    }),
  );
  await deps.store.state.setWebhook(integrationId, webhookId, deps.secrets.seal(secret, `webhook:${integrationId}`) as Record<string, unknown>, sha256(secret));
  return webhookId;
}

/** On pause or delete: the webhook goes (and with it the secret). */
export async function unregisterIntegrationWebhook(integrationId: string, deps: { brevo: BrevoClient; store: SyncStore }): Promise<void> {
  const state = await deps.store.state.find(integrationId);
  if (state?.brevoWebhookId != null) await deleteWebhook(deps.brevo, state.brevoWebhookId);
  if (state) await deps.store.state.setWebhook(integrationId, null, null, null);
}

export interface WebhookDelivery {
  integrationId: string;
  /** The `Authorization` header as received. */
  authorization: string | undefined;
  /** The parsed JSON body: one payload, or an array when Brevo batches. */
  body: unknown;
}

export interface WebhookAnswer {
  status: 200 | 400 | 401;
  stored: number;
  duplicates: number;
  /** Changes made with the integration's own Brevo key: echoes of its writes (R17), never stored. */
  ownWrites: number;
}

/**
 * The stored kind of each event handled. An unsubscribe (opt-outs follow the contact) is registered as
 * `unsubscribed`; Brevo's marketing-webhooks page names the delivered event "Unsubscribe", and its `event` value
 * could not be read here, so both spellings are taken as one kind.
 */
const KIND_OF_EVENT: Readonly<Record<string, WebhookEventDoc['kind']>> = {
  contact_updated: 'contact_updated',
  contact_deleted: 'contact_deleted',
  unsubscribed: 'unsubscribed',
  unsubscribe: 'unsubscribed',
};
const MAX_PAYLOADS = 1000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function verify(authorization: string, expectedHash: string | null | undefined): boolean {
  if (!expectedHash) return false;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) return false;
  const presented = Buffer.from(sha256(match[1]!), 'hex');
  const expected = Buffer.from(expectedHash, 'hex');
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/** A multiple-choice attribute's labels: Brevo offers options of at most 200 characters; a few hundred is far more than any attribute has. */
export const MAX_CHOICES = 500;
export const MAX_CHOICE_LENGTH = 200;

function isChoices(value: unknown): value is string[] {
  return Array.isArray(value) && value.length <= MAX_CHOICES && value.every((item) => typeof item === 'string' && item.length <= MAX_CHOICE_LENGTH);
}

/**
 * Only plain attribute names (Brevo's are upper-case identifiers): `$`-prefixed or prototype keys are dropped, and
 * values that are neither scalars nor a multiple-choice attribute's labels.
 */
function cleanContent(content: unknown): Record<string, unknown> | null {
  const items = Array.isArray(content) ? content : [content];
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const item of items) {
    if (!isRecord(item)) return null;
    for (const [key, value] of Object.entries(item)) {
      if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(key)) continue;
      if (value !== null && !['string', 'number', 'boolean'].includes(typeof value) && !isChoices(value)) continue;
      out[key] = value;
    }
  }
  return { ...out };
}

function eventOf(integrationId: string, payload: Record<string, unknown>, now: Date): WebhookEventDoc | null | 'invalid' {
  if (typeof payload.event !== 'string') return 'invalid';
  const kind = Object.hasOwn(KIND_OF_EVENT, payload.event) ? KIND_OF_EVENT[payload.event]! : null;
  if (kind === null) return null;
  if (typeof payload.email !== 'string' || payload.email.length > 320) return 'invalid';
  const ts = typeof payload.ts === 'number' ? payload.ts : Number.NaN;
  // Seconds since 1970 that a Date can hold: beyond them the event would be stored with an Invalid Date.
  const modifiedAt = new Date(ts * 1000);
  if (Number.isNaN(modifiedAt.getTime())) return 'invalid';
  const content = kind === 'contact_updated' ? cleanContent(payload.content ?? {}) : {};
  if (content === null) return 'invalid';
  // Brevo's `date` is a string; any other value (a 1 MB nesting would overflow canonicalJson's stack) is left out of the key.
  const date = typeof payload.date === 'string' ? payload.date : null;
  return {
    _id: sha256(`${integrationId}\n${canonicalJson({ event: payload.event, email: payload.email, ts, content, date })}`),
    integrationId,
    kind,
    brevoId: null,
    email: payload.email.trim().toLowerCase() || null,
    content,
    modifiedAt,
    receivedAt: now,
    state: 'pending',
  };
}

/** A delivery whose bearer secret is its integration's: the only kind whose body is read. */
export interface AuthenticatedWebhook {
  readonly integrationId: string;
}

/** Integration ids are ObjectIds; anything else names no integration and costs no database read. */
const INTEGRATION_ID = /^[0-9a-f]{24}$/;

/**
 * Checks a delivery's bearer secret against its integration's, before its
 * body is read: an unknown integration, a missing or a wrong secret are the
 * same null, and cost one read by `_id` (none for a malformed id).
 */
export async function authenticateBrevoWebhook(
  integrationId: string,
  authorization: string | undefined,
  store: Pick<SyncStore, 'state'>,
): Promise<AuthenticatedWebhook | null> {
  if (!INTEGRATION_ID.test(integrationId) || typeof authorization !== 'string') return null;
  const state = await store.state.find(integrationId);
  return verify(authorization, state?.webhookSecretHash) ? { integrationId } : null;
}

export interface WebhookStoreDeps {
  store: SyncStore;
  /** The name of the Brevo key the integration writes with (null: not known, every event is stored); read after the secret is verified. */
  ownApiKeyName?: () => Promise<string | null>;
  now?: () => Date;
  onRequestFailed?: (error: unknown) => void;
}

/**
 * The events of an authenticated delivery: validates the payloads, drops the
 * echoes of the integration's own writes when the account's key name is
 * known (an initial load echoes every record it wrote), stores each other
 * event once (a redelivery has the same key), asks the workers for a run (as
 * "Sync now" does, unless one is already asked) and answers at once; the
 * worker applies them. 400 for a malformed body stores nothing; a storage
 * failure throws, so the route answers that Brevo must redeliver.
 */
export async function storeBrevoWebhook(webhook: AuthenticatedWebhook, body: unknown, deps: WebhookStoreDeps): Promise<WebhookAnswer> {
  const { integrationId } = webhook;
  const payloads = Array.isArray(body) ? body : [body];
  if (payloads.length === 0 || payloads.length > MAX_PAYLOADS || !payloads.every(isRecord)) return refused(400);
  const now = (deps.now ?? (() => new Date()))();
  const ownApiKeyName = (await deps.ownApiKeyName?.()) ?? null;
  const events: WebhookEventDoc[] = [];
  let ownWrites = 0;
  for (const payload of payloads) {
    const event = eventOf(integrationId, payload, now);
    if (event === 'invalid') return refused(400);
    if (!event) continue;
    // R17: only `contact_updated` carries the key's name.
    if (event.kind === 'contact_updated' && isMadeWithOwnKey(payload.api_key_name, ownApiKeyName)) ownWrites += 1;
    else events.push(event);
  }
  const stored = await deps.store.events.addMany(events);
  if (stored > 0) {
    // The change should reach Salesforce within seconds, not at the next scheduled run; one request
    // at a time. If it cannot be written the events are stored all the same and the scheduled run
    // applies them, so the answer stays 200.
    const ask = async () => {
      if (!(await deps.store.state.syncRequestedAt(integrationId))) await deps.store.state.requestSync(integrationId, now, 'brevo_change');
    };
    await ask().catch((error: unknown) => deps.onRequestFailed?.(error));
  }
  return { status: 200, stored, duplicates: events.length - stored, ownWrites };
}

const refused = (status: 400 | 401): WebhookAnswer => ({ status, stored: 0, duplicates: 0, ownWrites: 0 });

/**
 * The whole receiver, framework-free, for callers that hold the parsed body
 * already (the sync tests' stand-in for the BFF route): authenticates, then
 * stores. 401 for a wrong or missing secret stores nothing. The BFF
 * authenticates before it reads the body (`authenticateBrevoWebhook`, then
 * `storeBrevoWebhook`).
 */
export async function receiveBrevoWebhook(delivery: WebhookDelivery, deps: WebhookStoreDeps): Promise<WebhookAnswer> {
  const webhook = await authenticateBrevoWebhook(delivery.integrationId, delivery.authorization, deps.store);
  return webhook ? storeBrevoWebhook(webhook, delivery.body, deps) : refused(401);
}
