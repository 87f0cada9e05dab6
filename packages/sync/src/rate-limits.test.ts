import { useTestDatabase } from '@contact-sync/testing';
import { createSyncStore } from '@contact-sync/store';
import { describe, expect, it } from 'vitest';
import { sharedBrevoLimits, syncShareOfContactsLimit } from './rate-limits.ts';

const database = useTestDatabase('sync_rate_limits');
const second = Date.UTC(2026, 11, 4, 10, 0, 0);

describe("the sync's share of a Brevo account's calls a second", () => {
  it('leaves a fifth (at least one) to the dashboard: 8 of 10, 16 of 20, 1 of 1', () => {
    expect([1, 2, 5, 10, 20].map(syncShareOfContactsLimit)).toEqual([1, 1, 4, 8, 16]);
  });

  it('is all the sync takes in a second, however many callers ask, on every worker', async () => {
    let now = second + 200;
    const slept: number[] = [];
    const limits = sharedBrevoLimits(createSyncStore(database.connection.db!).rateBudgets, 'acc_share', {
      contactsPerSecond: 10,
      now: () => now,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
    });
    // Twenty calls asked within the first window: eight go at once, the others wait for the next window.
    for (let call = 0; call < 20; call += 1) await limits.beforeCall('brevo.contacts.batch', 60_000);
    expect(slept[0]).toBe(800);
    expect(now).toBeGreaterThanOrEqual(second + 2_000);
    expect(now).toBeLessThan(second + 3_000);
  });
});
