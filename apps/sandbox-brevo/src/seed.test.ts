import { describe, expect, it } from 'vitest';
import { AccountState } from './account-state.ts';
import { seedAccount } from './seed.ts';

describe('seed', () => {
  it('creates the requested demo contacts deterministically, edge cases included', () => {
    const make = (contacts: number) => {
      const account = new AccountState('acc_demo', () => Date.UTC(2026, 10, 27));
      seedAccount(account, { contacts });
      return account;
    };
    const a = make(500);
    expect(a.contacts.size).toBeGreaterThanOrEqual(495);
    expect(JSON.stringify([...make(500).contacts.all()])).toBe(JSON.stringify([...a.contacts.all()]));
    const all = [...a.contacts.all()];
    expect(all.some((c) => c.email === undefined && typeof c.attributes.SMS === 'string')).toBe(true);
    expect(all.some((c) => c.emailBlacklisted)).toBe(true);
    expect(all.some((c) => String(c.attributes.FIRSTNAME).length > 40)).toBe(true);
    expect(a.contacts.findBy('EXT_ID', '003SANDBOX000011')).toBeDefined();
  });
});
