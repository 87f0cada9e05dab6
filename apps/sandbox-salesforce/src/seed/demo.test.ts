import { describe, expect, it } from 'vitest';
import { createSalesforceSandbox } from '../app.ts';
import { EDGE } from './demo.ts';

const snapshot = (seed: number) => {
  const { org } = createSalesforceSandbox({ randomSeed: seed });
  return [...org.tables.Contact.scanFrom(), ...org.tables.Lead.scanFrom()].map((r) => [r.Id, r.FirstName, r.LastName, r.Email, r.Phone, r.Birthdate]);
};

describe('demo seed', () => {
  it('is the same on every run for a seed, and differs for another seed', () => {
    const a = snapshot(42);
    expect(snapshot(42)).toEqual(a);
    expect(snapshot(43)).not.toEqual(a);
    expect(a.length).toBe(303);
  });

  it('spreads Contacts and Leads over ten days of strictly increasing stamps', () => {
    const { org } = createSalesforceSandbox();
    const rows = [...org.tables.Contact.scanFrom(), ...org.tables.Lead.scanFrom(), ...org.tables.Case.scanFrom()];
    const stamps = rows.map((r) => r.SystemModstamp).sort((x, y) => x - y);
    expect(new Set(stamps).size).toBe(stamps.length);
    expect(Date.now() - stamps[0]!).toBeGreaterThan(9 * 86_400_000);
    const leadStamps = [...org.tables.Lead.scanFrom()].map((r) => r.SystemModstamp);
    expect(Date.now() - leadStamps.at(-1)!).toBeLessThan(3 * 86_400_000);
    const gone = rows.find((r) => r.LastName === EDGE.deletedContact.LastName)!;
    expect(gone.IsDeleted).toBe(true);
  });

  it('leaves the no-API org empty and an empty seed with no records', () => {
    const sandbox = createSalesforceSandbox({ seed: 'empty' });
    expect(sandbox.org.tables.Contact.size).toBe(0);
    expect(sandbox.state.users().map((u) => u.username)).toEqual(['demo@acme.test', 'noapi@acme.test']);
  });
});
