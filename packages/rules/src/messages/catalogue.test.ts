import { describe, expect, it as test } from 'vitest';
import { CODE_INFO, RuleCode } from '../codes.ts';
import { createIssue } from '../issue.ts';
import { listMessageKeys, lookupMessage } from './catalogue.ts';
import { en } from './en.ts';
import { formatIssue, interpolate } from './format.ts';
import { it } from './it.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  test('en and it have exactly the same keys', () => {
    expect(listMessageKeys(it).sort()).toEqual(listMessageKeys(en).sort());
  });

  test('cover every message key the package emits, and nothing else', () => {
    const emitted = new Set(Object.values(CODE_INFO).map((info) => info.messageKey));
    const messages = listMessageKeys(en).filter((key) => !key.startsWith('rules.fix.'));
    expect(new Set(messages)).toEqual(emitted);
  });

  test('every code has a row', () => {
    expect(Object.keys(CODE_INFO).sort()).toEqual(Object.values(RuleCode).sort());
  });

  test.each(listMessageKeys(en))('%s uses the same placeholders in both languages', (key) => {
    expect(placeholders(lookupMessage(it, key) ?? '')).toEqual(placeholders(lookupMessage(en, key) ?? ''));
  });

  test.each(listMessageKeys(en))('%s has no vue-i18n special characters (| @ $)', (key) => {
    expect(lookupMessage(en, key)).not.toMatch(/[|@$]/);
    expect(lookupMessage(it, key)).not.toMatch(/[|@$]/);
  });
});

describe('formatIssue', () => {
  test('interpolates params in the chosen language', () => {
    const issue = createIssue(RuleCode.TextTooLong, 'FirstName', { max: 40, length: 41 });
    expect(formatIssue(issue)).toBe('The value of FirstName is 41 characters long; Salesforce allows at most 40. It was not written.');
    expect(formatIssue(issue, it)).toContain('al massimo 40');
  });

  test('leaves unknown placeholders visible', () => {
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});
