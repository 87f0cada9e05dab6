import { describe, expect, it } from 'vitest';
import { brevoAttributes, leadFields } from './__fixtures__/salesforce-lead.ts';
import { validateActivation, type ActivationInput } from './activation.ts';

const ready: ActivationInput = {
  plan: 'BrevoPlus',
  consent: { optIn: true, by: 'user_1', at: '2026-11-27T10:00:00.000Z' },
  mapping: { EMAIL: 'Email', FIRSTNAME: 'FirstName' },
  salesforceFields: leadFields,
  brevoAttributes,
  listId: 12,
};

describe('validateActivation (R1, R4, R5, R16)', () => {
  it('lets a complete BrevoPlus integration activate', () => {
    expect(validateActivation(ready)).toEqual([]);
    expect(validateActivation({ ...ready, quota: { used: 99_999 } })).toEqual([]);
  });

  it.each<[string, Partial<ActivationInput>, string[]]>([
    ['Free plan', { plan: 'Free' }, ['plan_required']],
    ['no consent', { consent: null }, ['consent_required']],
    ['no Email or SMS', { mapping: { FIRSTNAME: 'FirstName' } }, ['email_or_sms_required']],
    ['no list', { listId: null }, ['list_required']],
    ['empty list id', { listId: '' }, ['list_required']],
    ['quota used up', { quota: { used: 100_000 } }, ['quota_exceeded']],
    ['everything missing', { plan: undefined, consent: undefined, mapping: {}, listId: undefined }, [
      'plan_required', 'consent_required', 'email_or_sms_required', 'list_required',
    ]],
  ])('%s → %j', (_label, change, codes) => {
    expect(validateActivation({ ...ready, ...change }).map((issue) => issue.code)).toEqual(codes);
  });

  it('a raised quota allows re-activation', () => {
    expect(validateActivation({ ...ready, quota: { used: 100_000, limit: 200_000 } })).toEqual([]);
  });
});
