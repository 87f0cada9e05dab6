import { useTestDatabase } from '@contact-sync/testing';
import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { RecentWindows } from './rate-budgets.ts';
import { createSyncStore } from './sync-store.ts';

const database = useTestDatabase('store_rate_budgets');
const second = Date.UTC(2026, 11, 4, 10, 0, 0);

describe('rate budgets shared by every worker', () => {
  it('50 concurrent takers in one window: exactly the limit get a call, the others wait for the next window', async () => {
    const { rateBudgets } = createSyncStore(database.connection.db!);
    for (let round = 0; round < 3; round += 1) {
      const key = `brevo:acc_race_${round}:contacts`;
      // An older window in place (rounds 1 and 2), not only a missing document.
      if (round > 0) expect(await rateBudgets.take(key, 10, 1000, second - 5_000)).toBe(0);
      const now = second + 250;
      const waits = await Promise.all(Array.from({ length: 50 }, () => rateBudgets.take(key, 10, 1000, now)));
      expect(waits.filter((wait) => wait === 0)).toHaveLength(10);
      // The others wait until the window ends.
      expect(new Set(waits.filter((wait) => wait > 0))).toEqual(new Set([750]));
      expect(await rateBudgets.take(key, 10, 1000, second + 1000)).toBe(0);
    }
  });

  it('a take that finds room costs one update, the first of a window as the next ones', async () => {
    const monitored = await mongoose.createConnection(database.uri, { monitorCommands: true }).asPromise();
    try {
      const commands: string[] = [];
      monitored.getClient().on('commandStarted', (event) => commands.push(event.commandName));
      const { rateBudgets } = createSyncStore(monitored.db!);
      const key = 'brevo:acc_one_update:contacts';
      /** The commands one take sends, and that it took. */
      const take = async (at: number) => {
        commands.length = 0;
        expect(await rateBudgets.take(key, 10, 1000, at)).toBe(0);
        return [...commands];
      };
      // The budget's first take ever makes its document.
      expect(await take(second)).toEqual(['update', 'update', 'find', 'insert']);
      expect(await take(second + 100)).toEqual(['update']);
      // The first of a later window (an account's incremental runs take now and then): one update, not two.
      expect(await take(second + 5_000)).toEqual(['update']);
      expect(await take(second + 5_200)).toEqual(['update']);
      // Another process (its own store) took this window first: this one guessed a new window, and takes in two.
      const other = createSyncStore(database.connection.db!).rateBudgets;
      expect(await other.take(key, 10, 1000, second + 9_000)).toBe(0);
      expect(await take(second + 9_100)).toEqual(['update', 'update']);
      expect((await rateBudgets.get(key))?.count).toBe(2);
    } finally {
      await monitored.close();
    }
  });

  it('a block (the API said the window is used up) holds every taker until it ends; a shorter block does not shorten it', async () => {
    const { rateBudgets } = createSyncStore(database.connection.db!);
    const key = 'brevo:acc_blocked:contacts';
    expect(await rateBudgets.take(key, 10, 1000, second)).toBe(0);
    await rateBudgets.block(key, second + 3_000);
    await rateBudgets.block(key, second + 2_000);
    expect(await rateBudgets.take(key, 10, 1000, second + 1_500)).toBe(1_500);
    expect(await rateBudgets.take(key, 10, 1000, second + 3_000)).toBe(0);
    // A block on a budget nobody took from yet.
    await rateBudgets.block('brevo:acc_new:contacts', second + 500);
    expect(await rateBudgets.take('brevo:acc_new:contacts', 10, 1000, second)).toBe(500);
    expect(await rateBudgets.take('brevo:acc_new:contacts', 10, 1000, second + 500)).toBe(0);
  });
});

describe("a process's memory of its last window per budget", () => {
  it('forgets the windows that have passed: it holds the budgets taken from in the current window, not every one ever taken from', () => {
    const windows = new RecentWindows();
    // 1,000 accounts' budgets taken from in one second.
    for (let account = 0; account < 1_000; account += 1) windows.took(`brevo:acc_${account}:contacts`, second, 1000, second + account / 2);
    expect(windows.size).toBe(1_000);
    expect(windows.isCurrent('brevo:acc_7:contacts', second)).toBe(true);
    // Taken from again within the window: remembered, and now the most recent.
    windows.took('brevo:acc_7:contacts', second, 1000, second + 600);
    // The next second: one budget taken from; the 999 whose window passed are forgotten, and so is acc_7's.
    windows.took('brevo:acc_1:contacts', second + 1000, 1000, second + 1_100);
    expect(windows.size).toBe(1);
    expect(windows.isCurrent('brevo:acc_1:contacts', second + 1000)).toBe(true);
    expect(windows.isCurrent('brevo:acc_7:contacts', second)).toBe(false);
    // Budgets of a longer window outlive the shorter ones taken before them.
    windows.took('a-budget:of-a-minute', second, 60_000, second + 1_200);
    windows.took('brevo:acc_2:contacts', second + 2000, 1000, second + 2_100);
    expect(windows.size).toBe(2);
    expect(windows.isCurrent('a-budget:of-a-minute', second)).toBe(true);
  });
});
