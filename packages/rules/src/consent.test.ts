import { describe, expect, it } from 'vitest';
import { checkConsent, consentInputSchema, recordConsent } from './consent.ts';
import { issuesFromZodError } from './zod-issues.ts';

describe('consent (R4)', () => {
  it.each([
    [{ optIn: true }, null],
    [{ optIn: false }, 'consent_required'],
    [{ optIn: 'true' }, 'consent_required'],
    [{}, 'consent_required'],
    [{ optIn: true, extra: 1 }, 'invalid_input'],
  ])('input %j → %s', (input, code) => {
    const parsed = consentInputSchema.safeParse(input);
    expect(parsed.success ? null : issuesFromZodError(parsed.error)[0]?.code).toBe(code);
  });

  it('stores who and when', () => {
    const record = recordConsent('user_42', new Date('2026-11-27T10:00:00Z'));
    expect(record).toEqual({ optIn: true, by: 'user_42', at: '2026-11-27T10:00:00.000Z' });
    expect(checkConsent(record)).toBeNull();
  });

  it.each([null, undefined, {}, { optIn: true }, { optIn: true, by: '', at: '2026-11-27T10:00:00.000Z' }])(
    'requires a stored consent before mapping: %j',
    (consent) => {
      expect(checkConsent(consent)?.code).toBe('consent_required');
    },
  );
});
