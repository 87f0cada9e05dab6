import { listMessageKeys } from '@contact-sync/rules';
import { describe, expect, it } from 'vitest';
import { createAppI18n, messages, resolveLocale } from './create-i18n.ts';
import { en } from './en.ts';
import { it as itCatalogue } from './it.ts';

describe('catalogues', () => {
  it('Italian has every English key', () => {
    expect(listMessageKeys(itCatalogue).sort()).toEqual(listMessageKeys(en).sort());
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
