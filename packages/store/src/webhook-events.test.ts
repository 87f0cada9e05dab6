import { useTestDatabase } from '@contact-sync/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSyncStore, ensureSyncIndexes, type SyncStore } from './index.ts';
import type { WebhookEventDoc } from './webhook-events.ts';

const database = useTestDatabase('store_webhook_events');
let store: SyncStore;

beforeAll(async () => {
  store = createSyncStore(database.connection.db!);
  await ensureSyncIndexes(store);
});

const event = (id: string, integrationId: string): WebhookEventDoc => ({
  _id: id,
  integrationId,
  kind: 'contact_updated',
  brevoId: 1,
  email: `${id}@example.com`,
  content: { FIRSTNAME: id },
  modifiedAt: new Date('2026-12-05T10:00:00Z'),
  receivedAt: new Date('2026-12-05T10:00:01Z'),
  state: 'pending',
});

describe('webhook events: addMany', () => {
  it('stores each delivery once: a redelivery of a pending event, or of a handled one, is not new', async () => {
    expect(await store.events.addMany([event('a', 'int-once'), event('b', 'int-once')])).toBe(2);
    await store.events.mark('int-once', ['b'], 'applied', new Date());
    // 'a' is still pending, 'b' was handled: only 'c' is new.
    expect(await store.events.addMany([event('a', 'int-once'), event('b', 'int-once'), event('c', 'int-once')])).toBe(1);
    expect((await store.events.pending('int-once', 10)).map((pending) => pending._id)).toEqual(['a', 'c']);
  });

  it('throws when a delivery is refused for another reason beside a redelivery, rather than dropping it as one', async () => {
    expect(await store.events.addMany([event('d', 'int-mixed')])).toBe(1);
    // An `_id` no server stores (an array), beside a redelivery of 'd'.
    const unstorable = { ...event('e', 'int-mixed'), _id: ['e'] as unknown as string };
    await expect(store.events.addMany([event('d', 'int-mixed'), unstorable])).rejects.toThrow();
    expect((await store.events.pending('int-mixed', 10)).map((pending) => pending._id)).toEqual(['d']);
  });
});
