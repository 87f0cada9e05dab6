import { describe, expect, it } from 'vitest';
import { integrationKindSchema, integrationStatusSchema, salesforceObjectOf, statusAfterRun } from './statuses.ts';

describe('statuses and kinds', () => {
  it('maps kinds to Salesforce objects', () => {
    expect(salesforceObjectOf('salesforce-contacts')).toBe('Contact');
    expect(salesforceObjectOf('salesforce-leads')).toBe('Lead');
    expect(integrationKindSchema.safeParse('salesforce-accounts').success).toBe(false);
  });

  it('knows every status', () => {
    for (const status of ['draft', 'active', 'paused', 'error', 'auth_error', 'disabled_quota']) {
      expect(integrationStatusSchema.parse(status)).toBe(status);
    }
  });

  it.each([
    ['active', 0, 'active'],
    ['active', 1, 'error'], // R9: a record in error shows the integration in error
    ['error', 0, 'active'],
    ['paused', 3, 'paused'],
    ['disabled_quota', 1, 'disabled_quota'],
  ] as const)('%s after a run with %i record errors → %s', (current, errors, next) => {
    expect(statusAfterRun(current, errors)).toBe(next);
  });
});
