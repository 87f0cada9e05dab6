import { describe, expect, it } from 'vitest';
import { createAppI18n } from '../i18n/create-i18n.ts';
import { hintKeyOf } from './fix-hints.ts';

describe('hintKeyOf', () => {
  const { t } = createAppI18n('it-IT').global;

  it("translates the API's fix hint key in the host's language", () => {
    expect(t(hintKeyOf({ fixHintKey: 'rules.fix.phone_not_international' }))).toContain('prefisso internazionale');
  });

  it('shows the general hint for a key this build does not know, never the raw key', () => {
    for (const fixHintKey of ['rules.fix.from_a_newer_worker', 'sync.fix.duplicate', 'rules.plan.required', '']) {
      expect(hintKeyOf({ fixHintKey })).toBe('rules.fix.default');
    }
    expect(t(hintKeyOf({ fixHintKey: 'rules.fix.from_a_newer_worker' }))).toContain('prossima esecuzione');
  });
});
