import { describe, expect, it } from 'vitest';
import { checkConnectionSlots, MAX_INTEGRATIONS_PER_SALESFORCE_USER, salesforceAccountKey } from './connections.ts';

describe('checkConnectionSlots (R3)', () => {
  it.each([
    [0, null],
    [4, null], // connecting the 5th
    [5, 'connection_limit_reached'], // connecting the 6th
    [7, 'connection_limit_reached'],
  ])('with %i existing → %s', (existing, code) => {
    expect(checkConnectionSlots(existing)?.code ?? null).toBe(code);
  });

  it('says the maximum', () => {
    expect(MAX_INTEGRATIONS_PER_SALESFORCE_USER).toBe(5);
    expect(checkConnectionSlots(5)?.params).toMatchObject({ max: 5 });
  });

  it('identifies a Salesforce account by org and user', () => {
    expect(salesforceAccountKey('00D000000000001AAA', '005000000000001AAA')).toBe('00D000000000001AAA:005000000000001AAA');
  });
});
