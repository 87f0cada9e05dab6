import { API_ERRORS, brevoWebhookResponseSchema, errorResponseSchema } from '@contact-sync/api';
import { createSyncStore, WEBHOOK_EVENTS, type WebhookEventDoc } from '@contact-sync/store';
import { MAX_CHOICE_LENGTH, MAX_CHOICES } from '@contact-sync/sync';
import { useTestDatabase } from '@contact-sync/testing';
import fc from 'fast-check';
import { createHash, randomUUID } from 'node:crypto';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBff } from '../test-support.ts';

/**
 * Property-based fuzz of the Brevo webhook receiver WITH the integration's
 * valid secret (brevo-webhooks.test.ts has the fixed cases): whatever the
 * body, the answer is the one documented for it and the webhook events
 * collection holds exactly what it should — one event per valid handled
 * payload, nothing for anything else.
 *
 * WEBHOOK_FUZZ_RUNS sets the cases per property (npm test: the default;
 * `npm run test:soak` many more); WEBHOOK_FUZZ_SEED replays the seed a
 * failure printed.
 */
const RUNS = positiveInteger('WEBHOOK_FUZZ_RUNS', 40);
/** Cases whose bodies are up to megabytes: fewer. */
const MEGABYTE_RUNS = Math.max(5, Math.ceil(RUNS / 4));
const SEED = process.env.WEBHOOK_FUZZ_SEED ? Number(process.env.WEBHOOK_FUZZ_SEED) : undefined;
/** Examples run first, every time: what an earlier fuzz run found. */
function fuzz<Ts>({ runs = RUNS, examples = [] }: { runs?: number; examples?: Ts[] } = {}): fc.Parameters<Ts> {
  return { numRuns: runs, examples, ...(SEED === undefined ? {} : { seed: SEED }) };
}
/** Generous: a case is one request and two reads, but the CI machine is shared and busy. */
const timeout = (runs = RUNS) => 60_000 + runs * 1_000;

function positiveInteger(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${name} must be a positive integer, not ${JSON.stringify(value)}`);
  return parsed;
}

const db = useTestDatabase('bff_brevo_webhooks_fuzz');
const bff = useTestBff(db);
const SECRET = 'fuzz-integration-secret-0123456789';
const OTHER_SECRET = 'fuzz-other-integration-secret-987654';
const ID = '665f1c2b9a1e4b00aaaaaaaa';
const OTHER_ID = '665f1c2b9a1e4b00bbbbbbbb';
const ROUTE = '/api/v1/webhooks/brevo/{integrationId}';
/** express.json's '1mb'. */
const BODY_LIMIT_BYTES = 1024 * 1024;
const HANDLED = ['contact_updated', 'contact_deleted', 'unsubscribed', 'unsubscribe'] as const;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const events = () => db.connection.db!.collection<WebhookEventDoc>(WEBHOOK_EVENTS);
let documented: Set<number>;

beforeAll(async () => {
  const store = createSyncStore(db.connection.db!);
  await store.state.setWebhook(ID, 7, { v: 1 }, sha256(SECRET));
  await store.state.setWebhook(OTHER_ID, 8, { v: 1 }, sha256(OTHER_SECRET));
  const openapi = await request(bff.app).get('/api/v1/openapi.json');
  documented = new Set(Object.keys(openapi.body.paths[ROUTE].post.responses as object).map(Number));
});

interface Delivery {
  body: string;
  authorization?: string;
  integrationId?: string;
  contentType?: string;
}

/** One delivery as Brevo makes it, starting from an empty events collection. */
async function deliver({ body, authorization = `Bearer ${SECRET}`, integrationId = ID, contentType = 'application/json' }: Delivery) {
  await events().deleteMany({});
  const response = await request(bff.app)
    .post(`/api/v1/webhooks/brevo/${encodeURIComponent(integrationId)}`)
    .set('content-type', contentType)
    .set('authorization', authorization)
    .send(body);
  // Whatever the body: a documented status, never a 5xx, and the API's one error shape.
  expect(documented.has(response.status), `undocumented ${response.status}: ${response.text.slice(0, 300)}`).toBe(true);
  expect(response.status).toBeLessThan(500);
  if (response.status === 200) {
    expect(brevoWebhookResponseSchema.safeParse(response.body).success, response.text).toBe(true);
  } else {
    const error = errorResponseSchema.safeParse(response.body);
    expect(error.success, response.text.slice(0, 300)).toBe(true);
    expect(API_ERRORS[error.data!.error.code].status).toBe(response.status);
  }
  return { status: response.status, body: response.body as Record<string, unknown>, stored: await events().find({}).toArray() };
}

/** An invalid body: refused as the client's fault (so Brevo does not redeliver it), nothing stored. */
async function expectRefused(delivery: Delivery, status: number, code: string) {
  const answer = await deliver(delivery);
  expect(answer.status, JSON.stringify(answer.body).slice(0, 300)).toBe(status);
  expect((answer.body.error as { code: string }).code).toBe(code);
  expect(answer.stored).toEqual([]);
}

// ── generators ──────────────────────────────────────────────────────────────

const HOSTILE_STRINGS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '\u0000',
  'a\u0000b',
  '"; db.dropDatabase(); //',
  '{"$gt":""}',
  '$where',
  '__proto__',
  'constructor',
  '😀👩‍👩‍👧‍👦',
  '\u202eevil',
  '../../etc/passwd',
  '\\',
  ' ',
  '',
];

const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom(...HOSTILE_STRINGS));
/** Brevo's attribute names are upper-case identifiers; anything else must be dropped, not stored. */
const attributeName = fc.oneof(
  fc.stringMatching(/^[A-Z][A-Z0-9_]{0,20}$/),
  fc.constantFrom('__proto__', 'constructor', 'prototype', '$set', '$where', 'a.b', '', 'X'.repeat(65), 'FIRSTNAME', 'EMAIL'),
  fc.string({ maxLength: 20 }),
);
/** Multiple-choice labels at the receiver's bounds and just past them. */
const LABELS_AT_BOUNDS = [
  Array.from({ length: MAX_CHOICES }, (_, i) => `choice ${i}`),
  Array.from({ length: MAX_CHOICES + 1 }, (_, i) => `choice ${i}`),
  ['x'.repeat(MAX_CHOICE_LENGTH)],
  ['x'.repeat(MAX_CHOICE_LENGTH + 1)],
];
const attributeValue = fc.oneof(text, fc.constant('x'.repeat(10_000)), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(...LABELS_AT_BOUNDS));
/** Object.fromEntries makes `__proto__` an own key, as JSON.parse does. */
const attributes = fc.array(fc.tuple(attributeName, attributeValue), { maxLength: 8 }).map((entries) => Object.fromEntries(entries) as Record<string, unknown>);
const content = fc.oneof(attributes, fc.array(attributes, { maxLength: 3 }), fc.constant(null));
/** Seconds since the epoch that a JavaScript Date can hold. */
const validTs = fc.oneof(fc.integer({ min: 0, max: 4_102_444_800 }), fc.double({ min: -8.64e12, max: 8.64e12, noNaN: true }));
const PAYLOAD_KEYS = new Set(['event', 'email', 'ts', 'content']);
/** Fields Brevo adds (id, date, list_id, …) or anything else: ignored. */
const extraFields = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom('id', 'date', 'list_id', 'tag', '__proto__', '$set'), fc.string({ maxLength: 12 })), fc.jsonValue({ maxDepth: 3 })), { maxLength: 4 })
  .map((entries) => Object.fromEntries(entries.filter(([key]) => !PAYLOAD_KEYS.has(key))) as Record<string, unknown>);

type Payload = Record<string, unknown> & { event: string; email: string; ts: number };
const handledPayload = fc
  .record({ event: fc.constantFrom(...HANDLED), email: text, ts: validTs, content, extra: extraFields }, { requiredKeys: ['event', 'email', 'ts', 'extra'] })
  .map(({ extra, ...payload }): Payload => ({ ...extra, ...payload }));
const unknownPayload = fc
  .tuple(fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('list_addition', 'unsubscribed', 'Contact_Updated', 'contact_updated ', 'delivered')), handledPayload)
  .filter(([event]) => !(HANDLED as readonly string[]).includes(event))
  .map(([event, payload]): Payload => ({ ...payload, event }));
/** Any JSON value but a number: a wrong type for `ts`. */
const notANumber = fc.jsonValue({ maxDepth: 2 }).filter((value) => typeof value !== 'number');
const notAString = fc.jsonValue({ maxDepth: 2 }).filter((value) => typeof value !== 'string');
/** A JSON value that is not a record of attributes, nor null (a missing content), nor an array of records. */
const scalar = fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean());
const notARecord = fc.oneof(scalar, fc.array(fc.oneof(scalar, fc.constant(null), fc.array(fc.jsonValue({ maxDepth: 1 }))), { minLength: 1 }));

/** A multiple-choice attribute's labels, as the receiver bounds them (at most MAX_CHOICES labels of at most MAX_CHOICE_LENGTH characters). */
const isChoices = (value: unknown) =>
  Array.isArray(value) && value.length <= MAX_CHOICES && value.every((item) => typeof item === 'string' && item.length <= MAX_CHOICE_LENGTH);
/** What the receiver stores of an attribute name and value: plain names, scalar values or a list of labels. */
const keptAttribute = ([key, value]: [string, unknown]) =>
  /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(key) && (value === null || ['string', 'number', 'boolean'].includes(typeof value) || isChoices(value));
/** Stored strings are UTF-8: a lone surrogate comes back as U+FFFD. */
const asStored = (value: string) => Buffer.from(value, 'utf8').toString('utf8');

/** The one event a handled payload must leave in the collection. */
function expectStoredAs(event: WebhookEventDoc, sent: Payload) {
  // As the receiver parses it (NaN and Infinity become null, -0 becomes 0).
  const payload = JSON.parse(JSON.stringify(sent)) as Payload;
  expect(event.integrationId).toBe(ID);
  expect(event.kind).toBe(payload.event === 'unsubscribe' ? 'unsubscribed' : payload.event);
  expect(event.state).toBe('pending');
  expect(event.email).toBe(asStored(payload.email.trim().toLowerCase()) || null);
  expect(event.modifiedAt.getTime()).toBe(new Date(payload.ts * 1000).getTime());
  const items = payload.event === 'contact_updated' ? [payload.content ?? {}].flat() : [];
  const expected = Object.fromEntries(items.flatMap((item) => Object.entries(item as object)).filter(keptAttribute));
  expect(Object.keys(event.content).sort()).toEqual(Object.keys(expected).sort());
  for (const [key, value] of Object.entries(event.content)) {
    const sent = expected[key];
    expect(value).toEqual(typeof sent === 'string' ? asStored(sent) : Array.isArray(sent) ? sent.map((label: string) => asStored(label)) : sent);
  }
}

// ── properties ──────────────────────────────────────────────────────────────

describe('Brevo webhook receiver, fuzzed with the valid secret', () => {
  it('stores exactly one event for a valid contact_updated / contact_deleted / unsubscribed payload, whatever its values; a body that is not JSON is refused (415) unread', async () => {
    const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/octet-stream', 'application/x-www-form-urlencoded');
    await fc.assert(
      fc.asyncProperty(handledPayload, contentType, async (payload, type) => {
        const answer = await deliver({ body: JSON.stringify(payload), contentType: type });
        if (!type.startsWith('application/json')) {
          expect(answer.status).toBe(415);
          expect((answer.body as { error: { code: string } }).error.code).toBe('unsupported_media_type');
          expect(answer.stored).toHaveLength(0);
          return;
        }
        expect(answer.status, JSON.stringify(answer.body).slice(0, 300)).toBe(200);
        expect(answer.body).toEqual({ stored: 1, duplicates: 0, ownWrites: 0 });
        expect(answer.stored).toHaveLength(1);
        expectStoredAs(answer.stored[0]!, payload);
      }),
      // A multiple-choice attribute with nothing chosen, and labels with a lone surrogate: the receiver keeps both.
      // Labels at the receiver's bounds are kept, and just past them dropped.
      fuzz<[Payload, string]>({
        examples: [
          [{ event: 'contact_updated', email: '', ts: 0, content: { A: [] } }, 'application/json'],
          [{ event: 'contact_updated', email: 'a@b.test', ts: 1, content: [{ INTERESTS: ['\ud800', 'Events'] }] }, 'application/json'],
          [{ event: 'contact_updated', email: 'a@b.test', ts: 2, content: Object.fromEntries(LABELS_AT_BOUNDS.map((labels, i) => [`CHOICES_${i}`, labels])) }, 'application/json'],
        ],
      }),
    );
  }, timeout());

  it('stores each handled payload of a batch once, acknowledges unknown events without storing them', async () => {
    const batch = fc.array(fc.oneof(handledPayload, unknownPayload), { minLength: 1, maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(batch, async (payloads) => {
        // Distinct times: two equal payloads are one event (a redelivery), which is not what this checks.
        const distinct = payloads.map((payload, i) => ({ ...payload, ts: 1_700_000_000 + i }));
        const handled = distinct.filter((payload) => (HANDLED as readonly string[]).includes(payload.event));
        const answer = await deliver({ body: JSON.stringify(distinct) });
        expect(answer.status, JSON.stringify(answer.body).slice(0, 300)).toBe(200);
        expect(answer.body).toEqual({ stored: handled.length, duplicates: 0, ownWrites: 0 });
        expect(answer.stored.map((event) => event.modifiedAt.getTime()).sort()).toEqual(handled.map((payload) => payload.ts * 1000).sort());
        // Brevo delivers again: nothing more is stored.
        const again = await request(bff.app).post(`/api/v1/webhooks/brevo/${ID}`).set('content-type', 'application/json').set('authorization', `Bearer ${SECRET}`).send(JSON.stringify(distinct));
        expect(again.body).toEqual({ stored: 0, duplicates: handled.length, ownWrites: 0 });
        expect(await events().countDocuments({})).toBe(handled.length);
      }),
      fuzz(),
    );
  }, timeout());

  it('stores a valid payload whose other fields nest as deep as 1 MB allows', async () => {
    const nestings: [open: string, close: string][] = [['[', ']'], ['{"a":', '}'], ['[{"$gt":', '}]']];
    const fields = ['date', 'id', 'nested', 'content'];
    const deepCase = fc.tuple(handledPayload, fc.nat(), fc.constantFrom(...nestings), fc.constantFrom(...fields));
    await fc.assert(
      fc.asyncProperty(deepCase, async ([payload, n, [open, close], field]) => {
        // Spliced in as text: JSON.stringify itself cannot go that deep.
        const marker = `"${randomUUID()}"`;
        const placed = { ...payload, [field]: field === 'content' ? { DEEP: JSON.parse(marker) as string } : JSON.parse(marker) };
        const outer = JSON.stringify(placed);
        const depth = 1 + (n % Math.floor((BODY_LIMIT_BYTES - Buffer.byteLength(outer)) / (open.length + close.length)));
        const raw = outer.replace(marker, `${open.repeat(depth)}0${close.repeat(depth)}`);
        const answer = await deliver({ body: raw });
        expect(answer.status, JSON.stringify(answer.body).slice(0, 300)).toBe(200);
        expect(answer.stored).toHaveLength(1);
      }),
      // Found by this fuzz: a deep `date` overflowed the stack while computing the event's key (429, redelivered for ever).
      fuzz({ runs: MEGABYTE_RUNS, examples: [[[{ event: 'contact_updated', email: 'a@b.test', ts: 0 }, 100_000, ['{"a":', '}'], 'date']]] }),
    );
  }, timeout(MEGABYTE_RUNS));

  it('refuses a payload with a missing field or a field of the wrong type (422), storing nothing of its batch', async () => {
    const broken = fc.oneof(
      handledPayload.map(({ event: _event, ...payload }) => payload),
      handledPayload.map(({ email: _email, ...payload }) => payload),
      handledPayload.map(({ ts: _ts, ...payload }) => payload),
      fc.tuple(handledPayload, notAString).map(([payload, event]) => ({ ...payload, event })),
      fc.tuple(handledPayload, notAString).map(([payload, email]) => ({ ...payload, email })),
      fc.tuple(handledPayload, fc.integer({ min: 321, max: 5_000 })).map(([payload, length]) => ({ ...payload, email: `${'a'.repeat(length - 7)}@b.test` })),
      fc.tuple(handledPayload, notANumber).map(([payload, ts]) => ({ ...payload, ts })),
      // A time no Date can hold (Brevo's are seconds since 1970).
      fc.tuple(handledPayload, fc.oneof(fc.double({ min: 8.64e12, noNaN: true, noDefaultInfinity: true, minExcluded: true }), fc.double({ max: -8.64e12, noNaN: true, noDefaultInfinity: true, maxExcluded: true }))).map(([payload, ts]) => ({ ...payload, ts })),
      fc.tuple(handledPayload, notARecord).map(([payload, value]) => ({ ...payload, event: 'contact_updated', content: value })),
      fc.tuple(handledPayload, attributes, notARecord).map(([payload, good, bad]) => ({ ...payload, event: 'contact_updated', content: [good, bad] })),
    );
    const body = fc.oneof(
      broken.map((payload) => JSON.stringify(payload)),
      fc.tuple(fc.array(handledPayload, { maxLength: 5 }), broken, fc.nat()).map(([good, bad, at]) => {
        const batch: unknown[] = good.map((payload, i) => ({ ...payload, ts: 1_700_000_000 + i }));
        batch.splice(at % (batch.length + 1), 0, bad);
        return JSON.stringify(batch);
      }),
      fc.array(notARecord, { minLength: 1, maxLength: 5 }).map((items) => JSON.stringify(items)),
      fc.constant('[]'),
    );
    await fc.assert(
      fc.asyncProperty(body, (raw) => expectRefused({ body: raw }, 422, 'validation_failed')),
      // Found by this fuzz: a time beyond what a Date holds was stored as an Invalid Date.
      fuzz({ examples: [[JSON.stringify([{ event: 'contact_updated', email: '', ts: -8640000000000.001 }])]] }),
    );
  }, timeout());

  it('refuses malformed JSON and a top-level scalar (400 invalid_json), storing nothing', async () => {
    const notJson = fc.string({ unit: 'binary', maxLength: 200 }).filter((raw) => {
      try {
        JSON.parse(raw);
        return false;
      } catch {
        return raw.trim() !== '';
      }
    });
    const truncated = fc.tuple(handledPayload, fc.nat()).map(([payload, cut]) => {
      const raw = JSON.stringify(payload);
      return raw.slice(0, cut % raw.length);
    }).filter((raw) => raw.trim() !== '');
    const scalar = fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)).map((value) => JSON.stringify(value));
    await fc.assert(fc.asyncProperty(fc.oneof(notJson, truncated, scalar), (raw) => expectRefused({ body: raw }, 400, 'invalid_json')), fuzz());
  }, timeout());

  it('answers a body over 1 MB with 413 and stores nothing; just under it, a valid one is stored', async () => {
    const padded = fc.tuple(handledPayload, fc.integer({ min: 900_000, max: 3_000_000 }), fc.constantFrom('x', 'é', '😀', '<', '\u0000'));
    await fc.assert(
      fc.asyncProperty(padded, async ([payload, bytes, unit]) => {
        const padLength = Math.ceil(bytes / Buffer.byteLength(JSON.stringify(unit)));
        const sized = { ...payload, pad: unit.repeat(padLength) };
        const raw = JSON.stringify(sized);
        if (Buffer.byteLength(raw) > BODY_LIMIT_BYTES) return expectRefused({ body: raw }, 413, 'payload_too_large');
        const answer = await deliver({ body: raw });
        expect(answer.status).toBe(200);
        expect(answer.stored).toHaveLength(1);
      }),
      fuzz({ runs: MEGABYTE_RUNS }),
    );
  }, timeout(MEGABYTE_RUNS));

  it('answers 401 and stores nothing for any other secret or integration, however the body looks', async () => {
    const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 80 });
    const flipped = fc.nat({ max: SECRET.length - 1 }).map((at) => `Bearer ${SECRET.slice(0, at)}${SECRET[at] === 'a' ? 'b' : 'a'}${SECRET.slice(at + 1)}`);
    const wrongAuthorization = fc.oneof(
      printable,
      printable.map((token) => `Bearer ${token}`),
      flipped,
      fc.constantFrom(`Bearer ${OTHER_SECRET}`, SECRET, `Basic ${Buffer.from(`x:${SECRET}`).toString('base64')}`, `Bearer ${SECRET}x`, `Bearer ${SECRET.slice(1)}`, `Bearer ${SECRET} ${SECRET}`),
    ).filter((header) => !new RegExp(`^\\s*Bearer\\s+${SECRET}\\s*$`, 'i').test(header));
    const wrongId = fc.oneof(fc.string({ minLength: 1, maxLength: 80 }), fc.constantFrom(OTHER_ID, '000000000000000000000000', ID.toUpperCase(), `${ID} `, '..', '%2e%2e')).filter((id) => id !== ID);
    const delivery = fc.oneof(
      fc.tuple(wrongAuthorization, handledPayload).map(([authorization, payload]): Delivery => ({ authorization, body: JSON.stringify(payload) })),
      fc.tuple(wrongId, handledPayload).map(([integrationId, payload]): Delivery => ({ integrationId, body: JSON.stringify(payload) })),
    );
    await fc.assert(fc.asyncProperty(delivery, (attempt) => expectRefused(attempt, 401, 'unauthorized')), fuzz());
  }, timeout());
});
