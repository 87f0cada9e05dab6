import { describe, expect, it } from 'vitest';
import { RuleCode } from './codes.ts';
import { coveringContactsIntegration, decideLeadConversion, isConvertedInto, type SiblingIntegration } from './lead-conversion.ts';
import { en } from './messages/en.ts';
import { it as italian } from './messages/it.ts';

const CONTACT = '0038d00000000AAAAA';
const converted = { IsConverted: true, ConvertedContactId: CONTACT };
const contacts = (status: SiblingIntegration['status'], id = 'contacts-1'): SiblingIntegration => ({ id, kind: 'salesforce-contacts', status });
const leads = (id = 'leads-2'): SiblingIntegration => ({ id, kind: 'salesforce-leads', status: 'active' });

describe('converted leads', () => {
  it.each([
    ['not converted', { IsConverted: false, ConvertedContactId: null }, true, [contacts('active')], 'none'],
    ['no conversion fields read', {}, true, [contacts('active')], 'none'],
    ['converted without a contact id', { IsConverted: true, ConvertedContactId: null }, true, [contacts('active')], 'none'],
    ['converted, never linked', converted, false, [contacts('active')], 'ignore'],
    ['converted, linked, an active Contacts integration', converted, true, [leads(), contacts('active')], 'follow'],
    ['converted, linked, a Contacts integration in error', converted, true, [contacts('error')], 'follow'],
    ['converted, linked, a paused Contacts integration', converted, true, [contacts('paused')], 'follow'],
    ['converted, linked, a Contacts integration out of quota', converted, true, [contacts('disabled_quota')], 'follow'],
    ['converted, linked, only a draft Contacts integration', converted, true, [contacts('draft')], 'stop'],
    ['converted, linked, only other Leads integrations', converted, true, [leads()], 'stop'],
    ['converted, linked, no other integration', converted, true, [], 'stop'],
  ] as const)('%s: %s', (_name, lead, linked, siblings, action) => {
    expect(decideLeadConversion(lead, linked, siblings).action).toBe(action);
  });

  it('follows into the first activated Contacts integration, and says so in a warning naming the contact', () => {
    const decision = decideLeadConversion(converted, true, [contacts('draft', 'draft-1'), contacts('active', 'first'), contacts('active', 'second')]);
    expect(decision).toMatchObject({ action: 'follow', integrationId: 'first', contactId: CONTACT, issue: { code: RuleCode.LeadConvertedFollowed, params: { contactId: CONTACT } } });
    expect(coveringContactsIntegration([leads()])).toBeNull();
  });

  it('stops with a record error naming the contact, in both languages', () => {
    const decision = decideLeadConversion(converted, true, []);
    expect(decision).toMatchObject({ action: 'stop', contactId: CONTACT, issue: { code: RuleCode.LeadConvertedNotSynced, rule: 'R14', messageKey: 'rules.leadConversion.notSynced' } });
    expect(en.rules.leadConversion.notSynced).toContain('{contactId}');
    expect(italian.rules.leadConversion.notSynced).toContain('{contactId}');
    expect(en.rules.fix.lead_converted_not_synced).toBeTruthy();
    expect(italian.rules.fix.lead_converted_not_synced).toBeTruthy();
  });

  it('lets a Contact take over a lead’s Brevo contact only when the lead was converted into that very Contact', () => {
    expect(isConvertedInto(converted, CONTACT)).toBe(true);
    expect(isConvertedInto(converted, '0038d00000000BBBBB')).toBe(false);
    expect(isConvertedInto({ IsConverted: false, ConvertedContactId: CONTACT }, CONTACT)).toBe(false);
  });
});
