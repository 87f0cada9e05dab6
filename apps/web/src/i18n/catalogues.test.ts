import { listMessageKeys, lookupMessage, type MessageCatalogue } from '@contact-sync/rules';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppI18n, messages, resolveLocale } from './create-i18n.ts';
import { en } from './en.ts';
import { it as itCatalogue } from './it.ts';

const SOURCE = join(import.meta.dirname, '..');
const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'i18n' || entry.name === 'test-utils' ? [] : sourceFiles(path);
    return /\.(vue|ts)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
const GROUPS = Object.keys(messages.en).join('|');

/**
 * Italian values that are the English ones on purpose: product and brand names, codes,
 * words Italian marketers use as they are.
 */
const SAME_IN_BOTH = new Set([
  'Email', 'SMS', 'Lead', 'Lead Salesforce', 'Salesforce', 'Salesforce → Brevo', 'Brevo → Salesforce', 'URL', 'file', 'id', 'email',
  // 'No' is Italian too.
  'No',
  '{used} / {limit}', '{name}', 'Salesforce: {user} ({org})', '{label} — {reason}', '({type}): {reason}', '{shown} di {total}',
]);

describe('catalogues', () => {
  it('Italian has every English key', () => {
    expect(listMessageKeys(itCatalogue).sort()).toEqual(listMessageKeys(en).sort());
  });

  it('has every key the source asks for, in both languages (literal keys, and the groups of built ones)', () => {
    // Single-quoted: the code's strings (a template's double quotes hold expressions such as `detail.busy`).
    const literal = new RegExp(`'(?:${GROUPS})\\.[A-Za-z0-9_.-]*[A-Za-z0-9_-]'`, 'g');
    const built = new RegExp('`((?:' + GROUPS + ')(?:\\.[A-Za-z0-9_-]+)*)\\.\\$\\{', 'g');
    const missing: string[] = [];
    for (const file of sourceFiles(SOURCE)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(literal)) {
        const key = match[0].slice(1, -1);
        for (const [locale, catalogue] of Object.entries(messages)) {
          if (lookupMessage(catalogue as unknown as MessageCatalogue, key) === undefined) missing.push(`${locale}: ${key} (${file.slice(SOURCE.length)})`);
        }
      }
      for (const match of text.matchAll(built)) {
        const group = match[1]!.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages.it);
        if (typeof group !== 'object' || group === null) missing.push(`it: ${match[1]}.* (${file.slice(SOURCE.length)})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('translates every English text: an Italian value equal to the English one is a name or code on purpose', () => {
    const untranslated = listMessageKeys(messages.en).filter((key) => {
      const english = lookupMessage(messages.en as unknown as MessageCatalogue, key);
      return english === lookupMessage(messages.it as unknown as MessageCatalogue, key) && !SAME_IN_BOTH.has(english!);
    });
    expect(untranslated).toEqual([]);
  });

  it('merges the rules package messages in both languages', () => {
    const i18n = createAppI18n('it');
    expect(i18n.global.t('rules.mapping.emailOrSmsRequired')).toBe('Abbina almeno il campo Email o SMS.');
    i18n.global.locale.value = 'en';
    expect(i18n.global.t('rules.mapping.emailOrSmsRequired')).toBe('Map at least Email or SMS.');
    expect(Object.keys(messages.en)).toContain('rules');
  });

  it('has the product labels of SPEC §2', () => {
    const i18n = createAppI18n('en');
    const t = (key: string) => i18n.global.t(key);
    expect([t('app.title'), t('create.submit'), t('wizard.steps.connect'), t('wizard.continue'), t('consent.label'), t('lists.create'), t('preview.activate'), t('preview.draft')]).toEqual([
      'Integrations', 'Create integration', 'Connect your account', 'Continue', 'Opt-in consent', 'create a new list', 'Save and activate', "Save and don't activate",
    ]);
    i18n.global.locale.value = 'it';
    expect([t('app.title'), t('create.submit'), t('wizard.steps.connect'), t('wizard.continue'), t('consent.label'), t('preview.activate'), t('preview.draft')]).toEqual([
      'Integrazioni', 'Crea integrazione', 'Collega il tuo account', 'Continua', 'Consenso opt-in', 'Salva e attiva', 'Salva e non attivare',
    ]);
  });

  it('resolves host locales', () => {
    expect(resolveLocale('it-IT')).toBe('it');
    expect(resolveLocale('en_GB')).toBe('en');
    expect(resolveLocale('fr')).toBe('en');
    expect(resolveLocale(undefined)).toBe('en');
  });
});
