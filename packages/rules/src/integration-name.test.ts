import { describe, expect, it } from 'vitest';
import { checkIntegrationName, checkNameUnique, integrationNameSchema } from './integration-name.ts';
import { issuesFromZodError } from './zod-issues.ts';

describe('integration name (R2)', () => {
  it.each([
    ['0 chars', '', 'name_required'],
    ['whitespace only', '   \t ', 'name_required'],
    ['null', null, 'name_required'],
    ['missing', undefined, 'name_required'],
    ['1 char', 'a', null],
    ['100 chars', 'a'.repeat(100), null],
    ['101 chars', 'a'.repeat(101), 'name_too_long'],
    ['a right-to-left override', 'Leads\u202Efdp.exe', 'name_direction_control'],
    ['a left-to-right embedding', 'Leads \u202AEU', 'name_direction_control'],
    ['a first-strong isolate', 'Leads \u2068EU\u2069', 'name_direction_control'],
    ['Hebrew with a right-to-left mark', 'לידים\u200F EU', null],
    ['Arabic', 'عملاء محتملون', null],
  ])('%s → %s', (_label, name, code) => {
    expect(checkIntegrationName(name)?.code ?? null).toBe(code);
    const parsed = integrationNameSchema.safeParse(name);
    expect(parsed.success ? null : issuesFromZodError(parsed.error)[0]?.code).toBe(code);
  });

  it('100 characters with surrounding spaces: the form accepts them (it sends the name trimmed), the API refuses the untrimmed string (its document promises maxLength as sent)', () => {
    const name = `  ${'a'.repeat(100)}  `;
    expect(checkIntegrationName(name)).toBeNull();
    expect(integrationNameSchema.safeParse(name.trim()).success).toBe(true);
    const parsed = integrationNameSchema.safeParse(name);
    expect(parsed.success ? null : issuesFromZodError(parsed.error)[0]?.code).toBe('name_too_long');
  });

  it('schema trims and reports the maximum', () => {
    expect(integrationNameSchema.parse('  Leads EU  ')).toBe('Leads EU');
    const parsed = integrationNameSchema.safeParse('a'.repeat(101));
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(issuesFromZodError(parsed.error)[0]?.params).toMatchObject({ max: 100 });
  });

  it.each([
    ['Leads EU', ['leads eu'], 'name_taken'],
    ['  LEADS eu ', ['Leads EU'], 'name_taken'],
    ['Leads EU', ['Leads US', 'Contacts'], null],
    ['Leads EU', [], null],
  ])('unique %j among %j → %s', (name, existing, code) => {
    expect(checkNameUnique(name, existing)?.code ?? null).toBe(code);
  });
});
