import { watermarkOf, type BrevoValues, type LinkDoc, type RecordContact, type RunCounts, type SyncStateDoc, type Watermark } from '@contact-sync/store';
import { watermarkQuery } from '@contact-sync/salesforce';
import {
  checkContactIdentifier,
  checkLinkedFromOtherOrg,
  decideLeadConversion,
  compileRecordFilter,
  decideOptOutFromSalesforce,
  decideSalesforceDelete,
  duplicateIssue,
  effectiveOptOuts,
  filterFields,
  filterKeyOf,
  findDuplicatesInBatch,
  hashMappedValues,
  LEAD_CONVERSION_FIELDS,
  mapSalesforceRecordToBrevo,
  OPT_OUT_FIELD,
  recordMatchesFilter,
  RuleCode,
  sameBrevoValue,
  type OptOutSettings,
  type RecordFilter,
  type SyncedOptOut,
  type BrevoAttributeValue,
  type CountryCode,
  type RuleIssue,
  type RunTrigger,
  type LeadConversionDecision,
  type SalesforceField,
  type SalesforceObjectName,
  type SalesforceRecord,
  type SiblingIntegration,
  type SalesforceToBrevoOptions,
  type SyncDirection,
  type ValuePairs,
} from '@contact-sync/rules';
import { objectOf, type IntegrationSnapshot } from './integration.ts';

/** A Salesforce row as the watermark query returns it. */
export type SalesforceRow = SalesforceRecord & { SystemModstamp: string; IsDeleted?: boolean };

/** Read with every record, mapped or not: who the record is, for its record errors. */
const CONTACT_FIELDS = ['Name', 'Email'] as const;

/** The fields the engine reads of each record (run, retry and preview alike): the opt-out flag too when opt-outs are on, a lead's conversion, and the record filter's. */
export function recordQueryFields({ mapping, optOuts, object, filter }: Pick<PlanContext, 'mapping' | 'optOuts' | 'object' | 'filter'>): string[] {
  const fields = [...Object.values(mapping), ...CONTACT_FIELDS];
  if (optOuts?.enabled) fields.push(OPT_OUT_FIELD);
  if (object === 'Lead') fields.push(...LEAD_CONVERSION_FIELDS);
  fields.push(...filterFields(filter));
  return [...new Set(fields)];
}

/** How a watermark run starts: `runStartOf`. */
export interface RunStart {
  /** No initial load completed yet: the run is (the rest of) it, every record read in chunks. */
  initialLoad: boolean;
  /**
   * The record filter is not the one the records up to the watermark were read with: every record is read again
   * from the start, so that those that stopped matching leave the list and those that started join it (unchanged
   * ones cost nothing). The run stores the new filter's key as it restarts (`SyncStateStore.restartForFilter`).
   */
  filterChanged: boolean;
  /** Where the run reads from: the stored watermark, or null (the start). */
  from: Watermark | null;
  /**
   * A load: it reads the whole object, a chunk of records at a time (the initial load, a re-read after the filter
   * changed), or it goes on with a run that gave way between chunks because more was left to read (trigger
   * `continuation`). Loads are what a worker's memory is sized for, and it bounds how many it runs at once
   * (`WORKER_LOAD_SLOTS`); every other run reads what changed since the watermark.
   */
  load: boolean;
}

/** A sync state as first written (`SyncStateStore`): nothing read yet. */
const NO_STATE_YET = { initialLoadDone: false, watermarkTs: null, watermarkId: null };

/**
 * The one decision of how a watermark run starts, from the sync state (`null`: none yet), the integration's record
 * filter and the run's trigger, before the run reads anything: the worker picks the run's slot by its `load` from
 * the state it read under the integration's lease; the engine, holding that lease, reads by the rest; the preview
 * reads from its `from`.
 */
export function runStartOf(
  state: Pick<SyncStateDoc, 'initialLoadDone' | 'watermarkTs' | 'watermarkId' | 'filterKey'> | null,
  integration: Pick<IntegrationSnapshot, 'mappingSettings'>,
  trigger: RunTrigger,
): RunStart {
  state ??= NO_STATE_YET;
  const initialLoad = !state.initialLoadDone;
  const filterChanged = (state.filterKey ?? null) !== filterKeyOf(integration.mappingSettings?.filter);
  return { initialLoad, filterChanged, from: filterChanged ? null : watermarkOf(state), load: initialLoad || filterChanged || trigger === 'continuation' };
}

/**
 * The longest record filter condition put in a query. jsforce sends a query in the URL, which Salesforce bounds (and
 * a SOQL statement too); the largest filter the rules allow compiles to far more. A longer one stays out of the query:
 * the planner decides every record anyway, so only the records read change, not what is synced.
 */
export const MAX_FILTER_SOQL_LENGTH = 4_000;

/**
 * The watermark query of a run and of its preview. The record filter is in the query only while no record is in the
 * list (a first load: nothing can leave it), so that Salesforce sends only the records that match; otherwise every
 * changed record is read and the planner decides (one that stopped matching leaves the list).
 */
export function runQueryOf(integration: Pick<IntegrationSnapshot, 'kind'>, context: PlanContext, from: Watermark | null, noLinks: boolean): string {
  const compiled = noLinks && context.filter ? compileRecordFilter(context.filter, context.fieldsByName) : undefined;
  const matching = compiled !== undefined && compiled.length <= MAX_FILTER_SOQL_LENGTH ? compiled : undefined;
  return watermarkQuery(objectOf(integration), recordQueryFields(context), from, matching);
}

/** Who a record is, as its record errors show it. */
export function contactOf(row: SalesforceRow | undefined): RecordContact | null {
  if (!row) return null;
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
  return { name: text(row.Name), email: text(row.Email) };
}

export interface PlannedWrite {
  salesforceId: string;
  modstamp: string;
  /** Everything Brevo will hold for the record after the write (merged with what it held). */
  values: BrevoValues;
  hash: string;
  /** Only what changed since the last write (updates send only these: R17 keeps Brevo-side edits of other fields). */
  changed: BrevoValues;
  warnings: RuleIssue[];
  /** Set for updates. */
  link?: LinkDoc;
}

export interface PlannedDelete {
  salesforceId: string;
  modstamp: string;
  link: LinkDoc;
}

/** A linked record that stopped matching the record filter: its contact leaves the list (not deleted), the link stays. */
export interface PlannedLeave {
  salesforceId: string;
  modstamp: string;
  link: LinkDoc;
}

export interface RecordIssue {
  salesforceId: string;
  issue: RuleIssue;
  severity: 'error' | 'warning';
}

/** One entry per row, in watermark order: what the page does with it. */
export type PlannedRow =
  | { kind: 'create'; write: PlannedWrite }
  | { kind: 'update'; write: PlannedWrite }
  | { kind: 'delete'; remove: PlannedDelete }
  | { kind: 'unchanged'; salesforceId: string; modstamp: string }
  /** Only what the link knows of the opt-out changed (the flag cleared in Salesforce): the link is saved, Brevo is not written, nothing charged. */
  | { kind: 'recorded'; write: PlannedWrite }
  | { kind: 'rejected'; salesforceId: string; modstamp: string; issues: RuleIssue[] }
  /** Not sent (R5: a new contact with neither email nor SMS); a warning, nothing charged. */
  | { kind: 'skipped'; salesforceId: string; modstamp: string; issue: RuleIssue }
  /** A linked lead converted (rules' lead-conversion.ts): its link follows the Contact or stops; nothing is written to Brevo, nothing charged. */
  | { kind: 'converted'; salesforceId: string; modstamp: string; link: LinkDoc; decision: Extract<LeadConversionDecision, { action: 'follow' | 'stop' }> }
  /** Stopped matching the record filter: out of the list (one operation, R16: a list unlink). */
  | { kind: 'leave'; leave: PlannedLeave }
  /** Does not match the record filter and is not in the list: nothing sent, nothing charged. */
  | { kind: 'notMatching'; salesforceId: string; modstamp: string }
  | { kind: 'ignored'; salesforceId: string; modstamp: string };

export interface PlanContext {
  mapping: Readonly<Record<string, string>>;
  fieldsByName: ReadonlyMap<string, SalesforceField>;
  defaultCountry?: CountryCode;
  /** Per attribute, the direction the user chose (absent: the default). */
  directions?: Readonly<Record<string, SyncDirection>>;
  /** Per picklist ↔ category attribute, the option each Salesforce value is written as. */
  valuePairs?: Readonly<Record<string, ValuePairs>>;
  /** Opt-outs as they apply to this object (off without a usable `HasOptedOutOfEmail`). */
  optOuts?: OptOutSettings;
  /** The integration's object (absent: Contact): a Lead's conversion is read and decided. */
  object?: SalesforceObjectName;
  /** Converted leads: the other integrations of the same account and Salesforce org (absent: none). */
  siblings?: readonly SiblingIntegration[];
  /** Only the records that match are synced (absent: every record). */
  filter?: RecordFilter;
}

/** How one integration's records are planned: the run, the stream and the preview alike. */
export function planContextOf(
  integration: Pick<IntegrationSnapshot, 'mapping' | 'mappingSettings' | 'smsDefaultCountry'> & Partial<Pick<IntegrationSnapshot, 'kind'>>,
  fieldsByName: ReadonlyMap<string, SalesforceField>,
  siblings?: readonly SiblingIntegration[],
): PlanContext {
  return {
    mapping: integration.mapping,
    ...(integration.kind ? { object: objectOf({ kind: integration.kind }) } : {}),
    ...(siblings ? { siblings } : {}),
    fieldsByName,
    ...(integration.smsDefaultCountry ? { defaultCountry: integration.smsDefaultCountry as CountryCode } : {}),
    ...(integration.mappingSettings?.directions ? { directions: integration.mappingSettings.directions } : {}),
    ...(integration.mappingSettings?.valuePairs ? { valuePairs: integration.mappingSettings.valuePairs } : {}),
    optOuts: effectiveOptOuts(integration.mappingSettings?.optOuts, fieldsByName),
    ...(integration.mappingSettings?.filter ? { filter: integration.mappingSettings.filter } : {}),
  };
}

/** The options `mapSalesforceRecordToBrevo` reads of a plan context. */
export function mappingOptionsOf(context: PlanContext): SalesforceToBrevoOptions {
  return {
    ...(context.defaultCountry ? { defaultCountry: context.defaultCountry } : {}),
    ...(context.directions ? { directions: context.directions } : {}),
    ...(context.valuePairs ? { valuePairs: context.valuePairs } : {}),
  };
}

/** What a link knows of the opt-out (rules' `SyncedOptOut`). */
export function syncedOptOutOf(values: BrevoValues | undefined): SyncedOptOut {
  return {
    ...(values?.optedOut === true ? { optedOut: true as const } : {}),
    ...(values?.emailBlacklisted === undefined ? {} : { emailBlacklisted: values.emailBlacklisted }),
  };
}

/** The values with the link's opt-out knowledge replaced by `synced`. */
export function withSyncedOptOut(values: BrevoValues, synced: SyncedOptOut): BrevoValues {
  const { optedOut: _optedOut, emailBlacklisted: _emailBlacklisted, ...rest } = values;
  return { ...rest, ...synced };
}

function mergeValues(previous: BrevoValues | undefined, change: { email?: string; sms?: string; attributes: Readonly<Record<string, BrevoAttributeValue>> }): BrevoValues {
  const email = change.email ?? previous?.email;
  const sms = change.sms ?? previous?.sms;
  return {
    ...(email === undefined ? {} : { email }),
    ...(sms === undefined ? {} : { sms }),
    attributes: { ...(previous?.attributes ?? {}), ...change.attributes },
    ...syncedOptOutOf(previous),
  };
}

/** Brevo values keyed by Brevo's attribute names (EMAIL, SMS included), as webhook events and `mapBrevoContactToSalesforce` name them. */
export function valuesByAttribute(values: BrevoValues): Record<string, unknown> {
  return {
    ...values.attributes,
    ...(values.email === undefined ? {} : { EMAIL: values.email }),
    ...(values.sms === undefined ? {} : { SMS: values.sms }),
  };
}

/** What differs between what Brevo holds (as far as we know) and the new values. */
export function diffValues(previous: BrevoValues | undefined, next: BrevoValues): BrevoValues {
  const changed: BrevoValues = { attributes: {} };
  if (next.email !== undefined && !sameBrevoValue(previous?.email, next.email)) changed.email = next.email;
  if (next.sms !== undefined && !sameBrevoValue(previous?.sms, next.sms)) changed.sms = next.sms;
  for (const [name, value] of Object.entries(next.attributes)) {
    if (!sameBrevoValue(previous?.attributes[name], value)) changed.attributes[name] = value;
  }
  // Only ever a blocklisting: nothing the sync does lifts one (rules/opt-outs.ts).
  if (next.emailBlacklisted === true && previous?.emailBlacklisted !== true) changed.emailBlacklisted = true;
  return changed;
}

/** Whether a write would change nothing in Brevo (what the link knows of the opt-out aside). */
function isEmptyChange(changed: BrevoValues): boolean {
  return changed.email === undefined && changed.sms === undefined && Object.keys(changed.attributes).length === 0 && changed.emailBlacklisted !== true;
}

/**
 * R11/R14 "kept" warnings say Brevo keeps its previous phone or email: only
 * true when Brevo holds one. A record that never had one has nothing kept and
 * no warning (otherwise every contact without a mobile number would carry one).
 */
function keepsSomething(warning: RuleIssue, link: LinkDoc | undefined, mapping: Readonly<Record<string, string>>): boolean {
  if (warning.code === RuleCode.EmailEmptiedKept) return link?.values.email !== undefined;
  if (warning.code !== RuleCode.PhoneEmptiedKept) return true;
  const attributes = Object.keys(mapping).filter((attribute) => mapping[attribute] === warning.field);
  return attributes.some((attribute) => (attribute === 'SMS' ? link?.values.sms !== undefined : link?.values.attributes[attribute] != null));
}

const NO_IDS: ReadonlySet<string> = new Set();

/**
 * Decides, for one page of Salesforce rows and their links, what each row
 * costs: a create (no link yet), an update (mapped values changed), a delete
 * (R13, linked record deleted), nothing (unchanged, R16: no call, no quota),
 * or a rejection (R10 and other per-record rules, R15 duplicates inside the page,
 * R14 an Id another Salesforce org's integration of the account links).
 * Pure: the rules package decides every rule; this only routes its answers.
 * `linkedByOtherOrg`: the page's Ids that the account's integrations on other
 * Salesforce orgs link (`LinkStore.linkedByAnyOf`), read by the run and the preview alike.
 */
export function planPage(rows: readonly SalesforceRow[], links: ReadonlyMap<string, LinkDoc>, context: PlanContext, linkedByOtherOrg: ReadonlySet<string> = NO_IDS): PlannedRow[] {
  const planned: PlannedRow[] = [];
  for (const row of rows) {
    const own = links.get(row.Id);
    // R14 across orgs: a link that knows its contact by ext_id only would reach the other org's record's contact; it is no link of ours.
    const otherOrgIssue = checkLinkedFromOtherOrg(linkedByOtherOrg.has(row.Id), own !== undefined && own.brevoId !== null);
    const link = otherOrgIssue ? undefined : own;
    const base = { salesforceId: row.Id, modstamp: row.SystemModstamp };
    if (row.IsDeleted === true) {
      const actions = decideSalesforceDelete(link !== undefined);
      planned.push(actions.length > 0 && link ? { kind: 'delete', remove: { ...base, link } } : { kind: 'ignored', ...base });
      continue;
    }
    if (context.object === 'Lead') {
      // A converted lead is read-only in Salesforce and the Contact carries on: never created, updated or unlinked as a lead again.
      const live = link !== undefined && link.convertedTo === undefined ? link : undefined;
      const conversion = decideLeadConversion(row, live !== undefined, context.siblings ?? []);
      if (conversion.action === 'ignore') {
        planned.push({ kind: 'ignored', ...base });
        continue;
      }
      if (conversion.action !== 'none' && live) {
        planned.push({ kind: 'converted', ...base, link: live, decision: conversion });
        continue;
      }
    }
    if (!recordMatchesFilter(row, context.filter, context.fieldsByName)) {
      // A converted lead's link this integration has not written yet (`movedFrom`) never joined its list: it waits for the Contact to match.
      const inList = link !== undefined && link.leftList !== true && link.movedFrom === undefined;
      planned.push(inList ? { kind: 'leave', leave: { ...base, link } } : { kind: 'notMatching', ...base });
      continue;
    }
    const change = mapSalesforceRecordToBrevo(row, context.mapping, context.fieldsByName, mappingOptionsOf(context));
    if (change.rejections.length > 0) {
      planned.push({ kind: 'rejected', ...base, issues: [...change.rejections] });
      continue;
    }
    let values = mergeValues(link?.values, change);
    const optOut = context.optOuts?.enabled ? decideOptOutFromSalesforce(row[OPT_OUT_FIELD], syncedOptOutOf(link?.values)) : null;
    if (optOut) values = withSyncedOptOut(values, optOut.synced);
    const missingIdentifier = checkContactIdentifier(values, context.mapping, link !== undefined);
    if (missingIdentifier) {
      planned.push({ kind: 'skipped', ...base, issue: missingIdentifier });
      continue;
    }
    if (otherOrgIssue) {
      // It would be created, and its import adopted by ext_id onto the other org's record's contact.
      planned.push({ kind: 'rejected', ...base, issues: [otherOrgIssue] });
      continue;
    }
    const hash = hashMappedValues(values);
    // A record that left the list and matches again is written (its update puts it back in the list) even when unchanged.
    if (link && link.hash === hash && link.leftList !== true) {
      planned.push({ kind: 'unchanged', ...base });
      continue;
    }
    const write: PlannedWrite = {
      ...base,
      values,
      hash,
      changed: diffValues(link?.values, values),
      warnings: [...change.warnings.filter((warning) => keepsSomething(warning, link, context.mapping)), ...(optOut?.warning ? [optOut.warning] : [])],
      ...(link ? { link } : {}),
    };
    // A live link is a contact Brevo holds by its ext_id (R14), whether or not its id is known yet (an import that
    // landed whole answers none): the engine resolves it before the write (`BrevoWriter.resolveByExtId`).
    const linked = link !== undefined;
    // Only the opt-out's bookkeeping changed: a write would change nothing in Brevo (and cost an operation).
    // (Never for a link that followed a converted lead: its write sets Brevo's ext_id and list; nor for one that left the list.)
    const onlyOptOutKnowledge = linked && link.movedFrom === undefined && link.leftList !== true && optOut !== null && isEmptyChange(write.changed) && hashMappedValues(withSyncedOptOut(values, {})) === hashMappedValues(withSyncedOptOut(link.values, {}));
    planned.push(onlyOptOutKnowledge ? { kind: 'recorded', write } : linked ? { kind: 'update', write } : { kind: 'create', write });
  }

  // R15 inside the page: the first claimant (watermark order) keeps an email/SMS.
  // Unchanged linked records keep claiming what they hold, so a replay or re-read decides the same way.
  const claimOf = (key: string, values: BrevoValues) => ({ key, ...(values.email ? { email: values.email } : {}), ...(values.sms ? { sms: values.sms } : {}) });
  const claims = planned.flatMap((row) => {
    if (row.kind === 'create' || row.kind === 'update' || row.kind === 'recorded') return [claimOf(row.write.salesforceId, row.write.values)];
    if (row.kind !== 'unchanged') return [];
    const link = links.get(row.salesforceId);
    return link ? [claimOf(row.salesforceId, link.values)] : [];
  });
  const duplicates = findDuplicatesInBatch(claims);
  if (duplicates.size === 0) return planned;
  return planned.map((row) => {
    if (row.kind !== 'create' && row.kind !== 'update') return row;
    const issues = duplicates.get(row.write.salesforceId);
    return issues ? { kind: 'rejected', salesforceId: row.write.salesforceId, modstamp: row.write.modstamp, issues } : row;
  });
}

/** Operations a planned row charges (R16): one per record written, list link/unlink included. */
export function operationsOf(row: PlannedRow): number {
  return row.kind === 'create' || row.kind === 'update' || row.kind === 'delete' || row.kind === 'leave' ? 1 : 0;
}

/** How a planned row ended: written (or deleted) in Brevo, refused as a duplicate (R15), or failed. */
export type RowResult = 'written' | 'duplicate' | 'failed';

/**
 * Adds one planned row to a run's counts: the run with Brevo's answer, the preview with its
 * prediction. One function, so that the preview counts what the run then counts.
 */
export function countRow(counts: RunCounts, row: PlannedRow, result: RowResult): void {
  counts.read += 1;
  switch (row.kind) {
    case 'rejected':
      counts.rejected += 1;
      return;
    case 'skipped':
      counts.noEmailOrSms += 1;
      return;
    case 'unchanged':
    case 'ignored':
    case 'recorded':
    case 'converted':
      counts.skippedUnchanged += 1;
      return;
    case 'delete':
      if (result === 'written') counts.deleted += 1;
      else counts.failed += 1;
      return;
    case 'leave':
      if (result === 'written') counts.leftList += 1;
      else counts.failed += 1;
      return;
    case 'notMatching':
      counts.notMatching += 1;
      return;
    case 'create':
    case 'update':
      if (result === 'written') counts[row.kind === 'create' ? 'created' : 'updated'] += 1;
      else if (result === 'duplicate') counts.rejected += 1;
      else counts.failed += 1;
  }
}

/** A Brevo contact that holds one of a record's identifiers, and which one matched. */
export interface BrevoOwner {
  id: number;
  extId: string | null;
  matchedBy: 'ext_id' | 'email' | 'sms';
}

export type OwnerDecision = { kind: 'create' } | { kind: 'adopt'; brevoId: number } | { kind: 'duplicate'; issue: RuleIssue };

/**
 * A new record against the Brevo contact already holding its ext_id, email or SMS (looked up in
 * that order): none, it is created; ours (our ext_id, from an interrupted or earlier run), it is
 * adopted and counts as created; another contact's, R15 (never a merge). The run asks this of the
 * rows an import did not create, the preview of every row it would create.
 */
export function decideOnOwner(write: Pick<PlannedWrite, 'salesforceId'>, owner: BrevoOwner | null): OwnerDecision {
  if (!owner) return { kind: 'create' };
  if (owner.extId === write.salesforceId) return { kind: 'adopt', brevoId: owner.id };
  return { kind: 'duplicate', issue: duplicateIssue(owner.matchedBy === 'sms' ? 'sms' : 'email') };
}
