import { describe, expect, it } from 'vitest';
import { decideConflict, isEchoOfOwnWrite, isMadeWithOwnKey, resolveConflict } from './conflicts.ts';
import { hashMappedValues } from './hash.ts';

describe('resolveConflict (R17)', () => {
  it.each([
    ['Brevo later', '2026-11-27T10:00:00.000+0000', '2026-11-27T10:00:01.000Z', 'brevo'],
    ['Salesforce later', '2026-11-27T10:00:02.000Z', '2026-11-27T10:00:01.000Z', 'salesforce'],
    ['Salesforce later across time zones', '2026-11-27T10:00:00.000Z', '2026-11-27T11:30:00.000+02:00', 'salesforce'],
    ['Brevo later across time zones', '2026-11-27T10:00:00.000Z', '2026-11-27T12:30:00.000+02:00', 'brevo'],
    ['a tie goes to Salesforce', '2026-11-27T10:00:00.000Z', '2026-11-27T10:00:00.000Z', 'salesforce'],
    ['missing Brevo time', '2026-11-27T10:00:00.000Z', null, 'salesforce'],
    ['missing Salesforce time', undefined, '2026-11-27T10:00:00.000Z', 'brevo'],
    ['unreadable Brevo time', '2026-11-27T10:00:00.000Z', 'yesterday', 'salesforce'],
  ])('%s → %s', (_label, salesforceModifiedAt, brevoModifiedAt, winner) => {
    expect(resolveConflict({ salesforceModifiedAt, brevoModifiedAt })).toBe(winner);
  });

  it.each([
    ['later_wins', '2026-11-27T10:00:00.000Z', '2026-11-27T10:00:01.000Z', 'brevo'],
    ['later_wins', '2026-11-27T10:00:02.000Z', '2026-11-27T10:00:01.000Z', 'salesforce'],
    ['salesforce_wins', '2026-11-27T10:00:00.000Z', '2026-11-27T10:00:01.000Z', 'salesforce'],
    ['salesforce_wins', '2026-11-27T10:00:02.000Z', null, 'salesforce'],
    ['brevo_wins', '2026-11-27T10:00:02.000Z', '2026-11-27T10:00:01.000Z', 'brevo'],
    ['brevo_wins', '2026-11-27T10:00:02.000Z', null, 'brevo'],
  ] as const)('policy %s: Salesforce %s, Brevo %s → %s', (policy, salesforceModifiedAt, brevoModifiedAt, winner) => {
    expect(resolveConflict({ salesforceModifiedAt, brevoModifiedAt }, policy)).toBe(winner);
  });

  it('records the decision for the user: the field, the attribute, the policy and who kept its value', () => {
    const times = { salesforceModifiedAt: '2026-11-27T10:00:00.000Z', brevoModifiedAt: '2026-11-27T10:00:01.000Z' };
    const pair = { attribute: 'FIRSTNAME', salesforceField: 'FirstName' };
    expect(decideConflict(times, 'later_wins', pair)).toMatchObject({
      winner: 'brevo',
      issue: { code: 'conflict_brevo_kept', rule: 'R17', field: 'FirstName', params: { attribute: 'FIRSTNAME', policy: 'later_wins' } },
    });
    expect(decideConflict(times, 'salesforce_wins', pair).issue.code).toBe('conflict_salesforce_kept');
  });

  it('accepts Dates', () => {
    expect(resolveConflict({ salesforceModifiedAt: new Date(1000), brevoModifiedAt: new Date(2000) })).toBe('brevo');
  });
});

describe('isEchoOfOwnWrite (R17)', () => {
  const written = hashMappedValues({ FirstName: 'Ada', LastName: 'Lovelace' });
  it.each([
    ['same values in another order', hashMappedValues({ LastName: 'Lovelace', FirstName: 'Ada' }), written, true],
    ['changed values', hashMappedValues({ FirstName: 'Ada', LastName: 'Byron' }), written, false],
    ['nothing written yet', written, null, false],
    ['nothing written yet (missing)', written, undefined, false],
  ])('%s → %s', (_label, incoming, last, echo) => {
    expect(isEchoOfOwnWrite(incoming, last)).toBe(echo);
  });
});

describe('isMadeWithOwnKey (R17 by api_key_name)', () => {
  it.each([
    ['the own key', 'Contact sync', 'Contact sync', true],
    ['another key', 'Another tool', 'Contact sync', false],
    ['a change not made through the API', '', 'Contact sync', false],
    ['no key name in the webhook', undefined, 'Contact sync', false],
    ['own key name unknown', 'Contact sync', null, false],
    ['own key name blank', '', '', false],
  ])('%s → %s', (_case, changeKeyName, ownKeyName, expected) => {
    expect(isMadeWithOwnKey(changeKeyName, ownKeyName)).toBe(expected);
  });
});
