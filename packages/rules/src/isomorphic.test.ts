import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as rules from './index.ts';

const root = import.meta.dirname;
const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });

describe('the package runs in the browser and in Node', () => {
  it.each(sourceFiles(root).map((path) => relative(root, path)))('%s uses no Node or DOM API', (file) => {
    const source = readFileSync(join(root, file), 'utf8');
    expect(source).not.toMatch(/from '(node:|fs|path|crypto|buffer)/);
    expect(source).not.toMatch(/\b(Buffer|process|window|document|localStorage)\./);
  });

  it('exports the rule entry points from the package root', () => {
    for (const name of [
      'checkPlan', 'checkIntegrationName', 'checkNameUnique', 'checkConnectionSlots', 'checkConsent',
      'describeMappingOptions', 'validateMapping', 'parseBrevoDate', 'toBrevoDate', 'checkPhone',
      'mapSalesforceRecordToBrevo', 'mapBrevoContactToSalesforce', 'hashMappedValues', 'checkDuplicate',
      'decideBrevoDelete', 'planQuota', 'resolveConflict', 'formatIssue',
    ]) {
      expect(typeof (rules as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(Object.keys(rules.ruleMessages)).toEqual(['en', 'it']);
  });
});
