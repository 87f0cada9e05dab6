import { describe, expect, it as test } from 'vitest';
import { fixHintKey } from './fix-hints.ts';
import { lookupMessage } from './messages/catalogue.ts';
import { en } from './messages/en.ts';
import { it } from './messages/it.ts';

describe('fixHintKey', () => {
  test.each(['duplicate', 'phone_not_international', 'delete_refused', 'salesforce_rejected'])('%s has a hint of its own in both languages', (code) => {
    const key = fixHintKey(code);
    expect(key).toBe(`rules.fix.${code}`);
    expect(lookupMessage(en, key)).toBeTruthy();
    expect(lookupMessage(it, key)).toBeTruthy();
  });

  test('a code without a hint of its own gets the general one, never a missing key', () => {
    expect(fixHintKey('something_new')).toBe('rules.fix.default');
    expect(fixHintKey('constructor')).toBe('rules.fix.default');
    expect(lookupMessage(en, fixHintKey('something_new'))).toMatch(/next run/);
  });
});
