import { describe, expect, it } from 'vitest';
import { RuleCode } from './codes.ts';
import type { SalesforceField } from './field-types.ts';
import { mappingSettingsSchema } from './mapping.ts';
import {
  decideOptOutFromBrevo,
  decideOptOutFromSalesforce,
  DEFAULT_OPT_OUT_SETTINGS,
  effectiveOptOuts,
  OPT_OUT_FIELD,
  type OptOutSettings,
  type SyncedOptOut,
} from './opt-outs.ts';

const optOutField: SalesforceField = { name: OPT_OUT_FIELD, label: 'Email Opt Out', type: 'boolean', updateable: true, nillable: false };
const email: SalesforceField = { name: 'Email', type: 'email' };

describe('effectiveOptOuts', () => {
  it.each([
    ['on by default when the object has the field', undefined, [email, optOutField], DEFAULT_OPT_OUT_SETTINGS],
    ['as the user chose', { enabled: true, resubscribeClears: true }, [email, optOutField], { enabled: true, resubscribeClears: true }],
    ['turned off by the user', { enabled: false, resubscribeClears: false }, [email, optOutField], { enabled: false, resubscribeClears: false }],
    ['off without the field', undefined, [email], { enabled: false, resubscribeClears: false }],
    ['off when the field is read-only', undefined, [email, { ...optOutField, updateable: false }], { enabled: false, resubscribeClears: false }],
    ['off when the field is not a checkbox', undefined, [email, { ...optOutField, type: 'string' }], { enabled: false, resubscribeClears: false }],
  ] as const)('%s', (_label, settings, fields, expected) => {
    expect(effectiveOptOuts(settings, fields)).toEqual(expected);
    expect(effectiveOptOuts(settings, new Map(fields.map((field) => [field.name, field])))).toEqual(expected);
  });

  it('is part of the mapping settings the API accepts, and nothing else is', () => {
    expect(mappingSettingsSchema.safeParse({ optOuts: { enabled: false, resubscribeClears: false } }).success).toBe(true);
    expect(mappingSettingsSchema.safeParse({ optOuts: { enabled: 'yes', resubscribeClears: false } }).success).toBe(false);
    expect(mappingSettingsSchema.safeParse({ optOuts: { enabled: true } }).success).toBe(false);
    expect(mappingSettingsSchema.safeParse({ optOuts: { enabled: true, resubscribeClears: false, unsubscribeBrevo: true } }).success).toBe(false);
  });
});

describe('decideOptOutFromSalesforce (Salesforce → Brevo)', () => {
  const kept = expect.objectContaining({ code: RuleCode.OptOutKeptInBrevo, field: OPT_OUT_FIELD });
  it.each<[string, unknown, SyncedOptOut, ReturnType<typeof decideOptOutFromSalesforce>]>([
    ['flag set: blocklist in Brevo', true, {}, { synced: { optedOut: true, emailBlacklisted: true }, blocklist: true }],
    ['flag set again after Brevo re-subscribed and Salesforce cleared it: blocklist again', true, { emailBlacklisted: false }, { synced: { optedOut: true, emailBlacklisted: true }, blocklist: true }],
    ['flag set while Brevo already blocklists: nothing to write', true, { emailBlacklisted: true }, { synced: { optedOut: true, emailBlacklisted: true }, blocklist: false }],
    ['flag unchanged (set): nothing, even if Brevo re-subscribed since', true, { optedOut: true, emailBlacklisted: false }, null],
    ['flag unchanged (set, Brevo blocklisted)', true, { optedOut: true, emailBlacklisted: true }, null],
    ['flag unchanged (not set)', false, {}, null],
    ['flag cleared: Brevo keeps the blocklisting, the user is told', false, { optedOut: true, emailBlacklisted: true }, { synced: { emailBlacklisted: true }, blocklist: false, warning: kept }],
    ['flag cleared after Brevo re-subscribed: nothing to tell', false, { optedOut: true, emailBlacklisted: false }, { synced: { emailBlacklisted: false }, blocklist: false }],
    ['flag not in the change', undefined, { optedOut: true, emailBlacklisted: true }, null],
    ['not a boolean', 'true', {}, null],
  ])('%s', (_label, flag, synced, expected) => {
    expect(decideOptOutFromSalesforce(flag, synced)).toEqual(expected);
  });

  it('never lifts a Brevo blocklisting, whatever Salesforce says', () => {
    const states: SyncedOptOut[] = [{}, { optedOut: true }, { emailBlacklisted: true }, { emailBlacklisted: false }, { optedOut: true, emailBlacklisted: true }, { optedOut: true, emailBlacklisted: false }];
    for (const flag of [true, false, null, undefined]) {
      for (const synced of states) {
        const decision = decideOptOutFromSalesforce(flag, synced);
        // Brevo's state as the link knows it only ever stays, or becomes blocklisted by a write we make.
        if (decision) expect([synced.emailBlacklisted, true]).toContain(decision.synced.emailBlacklisted);
        if (decision?.synced.emailBlacklisted === true && synced.emailBlacklisted !== true) expect(decision.blocklist).toBe(true);
      }
    }
  });
});

describe('decideOptOutFromBrevo (Brevo → Salesforce)', () => {
  const on: OptOutSettings = DEFAULT_OPT_OUT_SETTINGS;
  const clears: OptOutSettings = { enabled: true, resubscribeClears: true };
  it.each<[string, boolean | null, SyncedOptOut, OptOutSettings, ReturnType<typeof decideOptOutFromBrevo>]>([
    ['blocklisted: the flag is set', true, {}, on, { synced: { optedOut: true, emailBlacklisted: true }, write: true }],
    ['blocklisted again after a re-subscription, the flag still set: it must be set (written only if Salesforce holds another value)', true, { optedOut: true, emailBlacklisted: false }, on, { synced: { optedOut: true, emailBlacklisted: true }, write: true }],
    ['blocklisted as we know (our own write coming back): nothing', true, { optedOut: true, emailBlacklisted: true }, on, null],
    ['blocklisted again after the flag was cleared in Salesforce: nothing (no change in Brevo)', true, { emailBlacklisted: true }, on, null],
    ['re-subscribed, option off: the flag stays', false, { optedOut: true, emailBlacklisted: true }, on, { synced: { optedOut: true, emailBlacklisted: false } }],
    ['re-subscribed, option on: the flag is cleared', false, { optedOut: true, emailBlacklisted: true }, clears, { synced: { emailBlacklisted: false }, write: false }],
    ['re-subscribed, option on, the flag cleared in Salesforce meanwhile: it must be clear (written only if Salesforce holds another value)', false, { emailBlacklisted: true }, clears, { synced: { emailBlacklisted: false }, write: false }],
    ['never blocklisted: nothing', false, {}, clears, null],
    ['not blocklisted as we know: nothing', false, { emailBlacklisted: false }, clears, null],
    ['unknown: nothing', null, { optedOut: true, emailBlacklisted: true }, clears, null],
  ])('%s', (_label, blocklisted, synced, settings, expected) => {
    expect(decideOptOutFromBrevo(blocklisted, synced, settings)).toEqual(expected);
  });
});

describe('opt-outs never loop', () => {
  it.each([
    ['Salesforce sets the flag', (s: SyncedOptOut) => decideOptOutFromSalesforce(true, s)?.synced ?? s],
    ['Brevo blocklists', (s: SyncedOptOut) => decideOptOutFromBrevo(true, s, DEFAULT_OPT_OUT_SETTINGS)?.synced ?? s],
    ['Brevo re-subscribes (option on)', (s: SyncedOptOut) => decideOptOutFromBrevo(false, { optedOut: true, emailBlacklisted: true, ...s }, { enabled: true, resubscribeClears: true })?.synced ?? s],
  ])('%s: the write coming back from the other side is nothing to do', (_label, first) => {
    const synced = first({});
    // What each side then holds, read back by the other direction.
    const salesforceFlag = synced.optedOut === true;
    const brevoBlocklisted = synced.emailBlacklisted ?? false;
    expect(decideOptOutFromSalesforce(salesforceFlag, synced)).toBeNull();
    expect(decideOptOutFromBrevo(brevoBlocklisted, synced, { enabled: true, resubscribeClears: true })).toBeNull();
  });
});
