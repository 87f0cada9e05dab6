import { CONTACT_IDS_MAX, findContact, listContacts, type BrevoContactSummary } from '@contact-sync/brevo';
import { deleteRecords, quoteSoql, selectFields, streamQuery, updateRecords, COLLECTION_MAX } from '@contact-sync/salesforce';
import {
  classifySalesforceDeleteError,
  createIssue,
  decideBrevoToSalesforce,
  decideConflict,
  decideOptOutFromBrevo,
  DEFAULT_CONFLICT_POLICY,
  effectiveDirection,
  fnv1a64,
  hashMappedValues,
  indexFieldsByName,
  IntegrationStatus,
  isEchoOfOwnWrite,
  mapBrevoContactToSalesforce,
  mapSalesforceRecordToBrevo,
  OPT_OUT_FIELD,
  quotaMonth,
  RuleCode,
  SyncDirection,
  canonicalCategoryValue,
  canonicalChoices,
  convertedNotSyncedIssue,
  sameBrevoValue,
  type RuleIssue,
  type ValuePairs,
  type SalesforceField,
} from '@contact-sync/rules';
import { emptyCounts, type BrevoValues, type LinkDoc, type RecordContact, type RecordErrorDoc, type RunCounts, type WebhookEventDoc } from '@contact-sync/store';
import { sameSms } from './brevo-writer.ts';
import { ownChangeClient } from './change-events.ts';
import { brevoCaller, faultOf, salesforceCaller } from './classify.ts';
import { describeFieldsLoader } from './describe-fields.ts';
import { objectOf, type IntegrationSnapshot } from './integration.ts';
import { sendQuotaNotice } from './notices.ts';
import { diffValues, mappingOptionsOf, valuesByAttribute, planContextOf, syncedOptOutOf, withSyncedOptOut, type SalesforceRow } from './plan.ts';
import { recordErrorOf } from './record-issues.ts';
import { callPolicyOf, DEFAULT_ENGINE_OPTIONS, isPaused, pauseAfter, type EngineDeps } from './salesforce-to-brevo.ts';

export interface BrevoToSalesforceResult {
  runId: string | null;
  end: 'completed' | 'failed' | 'auth_error' | 'paused' | 'quota_exceeded';
  counts: RunCounts;
  operations: number;
  errors: number;
  warnings: number;
  error?: string;
}

interface Group {
  link: LinkDoc;
  events: WebhookEventDoc[];
}

interface PendingWrite {
  group: Group;
  values: BrevoValues;
  fields: Record<string, unknown>;
}

/**
 * Whether our own later write of `attribute` superseded an event's change of it: the event (Brevo's time, whole seconds)
 * is from an earlier second than the time we took just before sending that write (`LinkDoc.attributesWrittenAt`), so
 * Brevo held the change before our write replaced it. Such an event is the echo of an earlier write of ours (a backlog
 * split over runs, the account's key name unknown to the receiver) or an edit our write overwrote in Brevo: folded, it
 * would take Salesforce and the link back to a value Brevo no longer holds. An event of the same second is folded: the
 * echo of that very write equals the link (no change), and a real edit in that second must not be dropped.
 *
 * Clocks: the events' times are Brevo's, the stamp ours. Brevo's clock behind ours by more than the call took would
 * drop a real edit made that soon after our write (Brevo keeps it, Salesforce never gets it); ahead of ours, it lets an
 * echo that much older than our later write through (the lost update this prevents, for writes that close together).
 * The safe side is the second: in doubt an event is folded, as it was before the stamps. So the stamp is taken before
 * the call (an edit made while it was under way is folded, though our write may have replaced it) and compared in
 * whole seconds: with clocks in step to within the call's time, no real edit is dropped. A link without stamps
 * (written before them) folds every event, as before.
 */
function supersededByOwnWrite(link: LinkDoc, attribute: string, modifiedAt: Date): boolean {
  const writtenAt = link.attributesWrittenAt && Object.hasOwn(link.attributesWrittenAt, attribute) ? link.attributesWrittenAt[attribute] : undefined;
  return writtenAt !== undefined && Math.floor(modifiedAt.getTime() / 1000) < Math.floor(writtenAt.getTime() / 1000);
}

/**
 * The Brevo values a change leaves, folding each event's changed attributes over what we knew (mapped attributes only,
 * each unless our own later write superseded it: `supersededByOwnWrite`).
 * Values are read as the sync writes them, so that an echo of our own write hashes the same: Yes/No as booleans, a
 * category option (Brevo sends its label) as its numeric value, multiple choices as their sorted labels.
 */
function foldEvents(link: LinkDoc, events: readonly WebhookEventDoc[], mapping: Readonly<Record<string, string>>, valuePairs: Readonly<Record<string, ValuePairs>> = {}): { values: BrevoValues; touchedAt: Map<string, Date> } {
  const values: BrevoValues = { ...link.values, attributes: { ...link.values.attributes } };
  const touchedAt = new Map<string, Date>();
  for (const event of events) {
    // The event of our own write that created (an import) or relinked the contact names its record in EXT_ID: what it
    // carries is what the link held then. Any later write supersedes it, and applied after one (a backlog of events
    // split over runs) it would take the record back to the values it was created with, in Salesforce and the link.
    if (extIdInContent(event) === link.salesforceId) continue;
    for (const [name, raw] of Object.entries(event.content)) {
      if (!(name in mapping) || supersededByOwnWrite(link, name, event.modifiedAt)) continue;
      touchedAt.set(name, event.modifiedAt);
      const pairs = valuePairs[name];
      const value = raw === '' || raw === null || raw === undefined ? null : typeof raw === 'boolean' ? raw : Array.isArray(raw) ? canonicalChoices(raw) : pairs ? canonicalCategoryValue(pairs, raw as string | number) : (raw as string | number);
      if (name === 'EMAIL') {
        if (value === null) delete values.email;
        else values.email = String(value).toLowerCase();
      } else if (name === 'SMS') {
        if (value === null) delete values.sms;
        else if (!sameSms(values.sms, value)) values.sms = `+${String(value).replace(/\D/g, '')}`;
      } else values.attributes[name] = value;
    }
  }
  return { values, touchedAt };
}

function changedAttributes(previous: BrevoValues, next: BrevoValues): Record<string, unknown> {
  const changed = diffValues(previous, next);
  const out: Record<string, unknown> = { ...changed.attributes };
  if (changed.email !== undefined) out.EMAIL = changed.email;
  if (changed.sms !== undefined) out.SMS = changed.sms;
  // An identifier emptied in Brevo (diffValues only reports values that are set).
  if (previous.email !== undefined && next.email === undefined) out.EMAIL = null;
  if (previous.sms !== undefined && next.sms === undefined) out.SMS = null;
  return out;
}

/**
 * Fewer changed contacts than this without a link found from the event itself
 * are looked up in Brevo one by one rather than by one read of all the
 * integration's links by email (on the local FerretDB that read decodes every
 * link: ~10 s for 100,000 on a busy machine; a Brevo lookup is one call).
 */
const BREVO_LOOKUPS_MAX = 10;

/** The Salesforce record an event's `EXT_ID` names (the contact was created or relinked by that change). */
function extIdInContent(event: WebhookEventDoc): string | null {
  if (!('EXT_ID' in event.content)) return null;
  const raw = event.content.EXT_ID;
  const decision = decideBrevoToSalesforce(typeof raw === 'string' ? raw : null);
  return decision.sync ? decision.salesforceId : null;
}

/**
 * The link each event is about, by event id (R12: events of contacts without
 * one are absent). Links are read by Salesforce Id (`_id`) wherever that Id is
 * known: from the event's own `EXT_ID` (every contact our import creates sends
 * one, so the initial load's echoes need nothing else), else from Brevo (the
 * contact's ext_id) for a few contacts. Otherwise, or for a deleted contact
 * (nothing left in Brevo to ask), the links are found by email, and a contact
 * whose email changed in Brevo (webhooks name it by its new email) by its ext_id.
 */
async function linksOfEvents(integrationId: string, events: readonly WebhookEventDoc[], deps: EngineDeps, callBrevo: ReturnType<typeof brevoCaller>): Promise<Map<string, LinkDoc>> {
  const salesforceIdOfEvent = new Map<string, string>();
  const salesforceIdOfEmail = new Map<string, string>();
  const byEmail = new Map<string, LinkDoc>();
  const rest = events.filter((event) => {
    const salesforceId = extIdInContent(event);
    if (salesforceId) salesforceIdOfEvent.set(event._id, salesforceId);
    return !salesforceId && event.email;
  });
  const restEmails = [...new Set(rest.map((event) => event.email!))];
  /** Asks Brevo for each contact's ext_id (`extIdsByEmail`); returns the emails it did not resolve. */
  const askBrevo = async (emails: readonly string[]) => {
    const unresolved: string[] = [];
    const extIds = await extIdsByEmail(emails, rest, deps, callBrevo);
    for (const email of emails) {
      const decision = decideBrevoToSalesforce(extIds.get(email));
      if (decision.sync) salesforceIdOfEmail.set(email, decision.salesforceId);
      else unresolved.push(email);
    }
    return unresolved;
  };
  const few = restEmails.length <= BREVO_LOOKUPS_MAX && rest.every((event) => event.kind !== 'contact_deleted');
  // A contact Brevo no longer knows by that email (changed again since, deleted, Brevo-only) is looked for among the links.
  const byLinks = few ? await askBrevo(restEmails) : restEmails;
  if (byLinks.length > 0) {
    for (const [email, link] of await deps.store.links.findByEmails(integrationId, byLinks)) byEmail.set(email, link);
    const updatedEmails = new Set(rest.filter((event) => event.kind !== 'contact_deleted').map((event) => event.email!));
    // A link an import made (no id) may name a contact its import never created (`BrevoWriter.allLanded`), and its
    // email another person's contact: it stands for that email's update events only when the contact holding its
    // ext_id holds that email.
    for (const [email, link] of byEmail) {
      if (link.brevoId !== null || !updatedEmails.has(email)) continue;
      const own = await callBrevo('brevo.contacts.get', () => findContact(deps.brevo, link.salesforceId, 'ext_id'));
      if (own?.email?.toLowerCase() !== email) byEmail.delete(email);
    }
    // Not asked yet (a few were all asked above): those Brevo may know by another ext_id.
    if (!few) await askBrevo(byLinks.filter((email) => updatedEmails.has(email) && !byEmail.has(email)));
  }
  const bySalesforceId = await deps.store.links.findBySalesforceIds(integrationId, [...new Set([...salesforceIdOfEvent.values(), ...salesforceIdOfEmail.values()])]);
  const linkOfEvent = new Map<string, LinkDoc>();
  for (const event of events) {
    const fromEvent = salesforceIdOfEvent.get(event._id);
    const link = fromEvent
      ? bySalesforceId.get(fromEvent)
      : event.email
        ? (byEmail.get(event.email) ?? bySalesforceId.get(salesforceIdOfEmail.get(event.email) ?? ''))
        : undefined;
    if (link) linkOfEvent.set(event._id, link);
  }
  return linkOfEvent;
}

/** GET /contacts answers at most this many contacts a call. */
const CONTACTS_PAGE = 1000;

/**
 * The ext_id each email's contact holds in Brevo (absent: no contact holds that email now). A few are looked up one
 * call each. More are read from the account's contacts changed since the first of their events (`modifiedSince`; Brevo
 * documents GET /contacts as newest created first), 1,000 a call, until all are found: every webhook of the account
 * receives the events of every integration's writes, so one integration writing thousands of its own contacts (an edit
 * of every record, a load) would otherwise cost each other integration of the account one call per contact, before its
 * own runs could write anything (two integrations of one account, measured: 100 s of lookups at 2 a second held one's
 * edits back). The contact a `contact_updated` event names has changed since that event; one not found there no longer
 * holds the email, as a lookup would have said. The read stops after as many pages as emails are left (never more calls
 * than the lookups); the rest, and the emails of other events (an unsubscribe need not change a contact's modification
 * time), are looked up one by one.
 */
async function extIdsByEmail(
  emails: readonly string[],
  events: readonly WebhookEventDoc[],
  deps: EngineDeps,
  callBrevo: ReturnType<typeof brevoCaller>,
): Promise<Map<string, string | null>> {
  const extIds = new Map<string, string | null>();
  const wanted = new Set(emails);
  const changed = new Set(events.flatMap((event) => (event.kind === 'contact_updated' && event.email !== null && wanted.has(event.email) ? [event.email] : [])));
  const extIdOf = (contact: BrevoContactSummary | null) => (typeof contact?.attributes?.EXT_ID === 'string' ? contact.attributes.EXT_ID : null);
  let complete = false;
  if (wanted.size > BREVO_LOOKUPS_MAX) {
    const times = events.filter((event) => event.email !== null && wanted.has(event.email)).map((event) => event.modifiedAt.getTime());
    // Brevo's `ts` is in whole seconds, its `modifiedAt` is not: a second earlier keeps the first event's contact in.
    const modifiedSince = new Date(Math.min(...times) - 1000).toISOString();
    for (let offset = 0, pages = 0; pages < wanted.size - extIds.size; offset += CONTACTS_PAGE, pages += 1) {
      const page = (await callBrevo('brevo.contacts.list', () => listContacts(deps.brevo, { modifiedSince, limit: CONTACTS_PAGE, offset }))).data;
      for (const contact of page.contacts) {
        const email = contact.email?.toLowerCase();
        if (email !== undefined && wanted.has(email)) extIds.set(email, extIdOf(contact));
      }
      complete = page.contacts.length < CONTACTS_PAGE || offset + CONTACTS_PAGE >= page.count;
      if (complete || extIds.size === wanted.size) break;
    }
  }
  for (const email of wanted) {
    if (extIds.has(email) || (complete && changed.has(email))) continue;
    extIds.set(email, extIdOf(await callBrevo('brevo.contacts.get', () => findContact(deps.brevo, email, 'email_id'))));
  }
  return extIds;
}

function contactOfLink(link: LinkDoc): RecordContact {
  const { FIRSTNAME, LASTNAME } = link.values.attributes;
  const name = [FIRSTNAME, LASTNAME].filter((part) => typeof part === 'string' && part.trim() !== '').join(' ');
  return { name: name || null, email: link.values.email ?? null };
}

/**
 * R13's Brevo delete, confirmed: of the links whose contacts a `contact_deleted` event names, the Salesforce Ids
 * whose contact Brevo no longer has. A webhook's secret can be read by anyone holding the account's Brevo key,
 * so an event alone must not delete a Salesforce record: a forged one names a contact that still exists. Contacts
 * are asked for by id, 20 a call; one whose link knows no id (made by an import) by its ext_id. Such a link may be
 * one its import never created (`BrevoWriter.allLanded`: a row skipped while someone else added a contact to the
 * list), found by an email that was another person's: packages/sync/README.md "An import's outcome" says what that
 * leaves open.
 */
async function deletesConfirmedByBrevo(links: readonly LinkDoc[], deps: EngineDeps, callBrevo: ReturnType<typeof brevoCaller>): Promise<Set<string>> {
  const confirmed = new Set<string>();
  const withId = links.filter((link) => link.brevoId != null);
  const existing = await contactsByIds(withId.map((link) => link.brevoId!), deps, callBrevo);
  for (const link of withId) if (!existing.has(link.brevoId!)) confirmed.add(link.salesforceId);
  for (const link of links.filter((candidate) => candidate.brevoId == null)) {
    if (!(await callBrevo('brevo.contacts.get', () => findContact(deps.brevo, link.salesforceId, 'ext_id')))) confirmed.add(link.salesforceId);
  }
  return confirmed;
}

/**
 * Opt-outs: whether Brevo blocklists each of these contacts' email now (`emailBlacklisted`), by Salesforce Id. Read
 * rather than taken from an event: a blocklisting changes no attribute, and a forged event must not lift an opt-out.
 * Contacts are asked for by id, 20 a call; one whose link knows no id (made by an import) by its ext_id, one call
 * each. A contact Brevo no longer has is absent.
 */
async function blocklistedInBrevo(links: readonly LinkDoc[], deps: EngineDeps, callBrevo: ReturnType<typeof brevoCaller>): Promise<Map<string, boolean>> {
  const blocklisted = new Map<string, boolean>();
  const withId = links.filter((link) => link.brevoId != null);
  const contacts = await contactsByIds(withId.map((link) => link.brevoId!), deps, callBrevo);
  for (const link of withId) {
    const contact = contacts.get(link.brevoId!);
    if (contact) blocklisted.set(link.salesforceId, contact.emailBlacklisted === true);
  }
  for (const salesforceId of new Set(links.filter((link) => link.brevoId == null).map((link) => link.salesforceId))) {
    const contact = await callBrevo('brevo.contacts.get', () => findContact(deps.brevo, salesforceId, 'ext_id'));
    if (contact) blocklisted.set(salesforceId, contact.emailBlacklisted === true);
  }
  return blocklisted;
}

/** The contacts Brevo has of these ids, `CONTACT_IDS_MAX` a call (`GET /contacts?ids=`); those it no longer has are absent. */
async function contactsByIds(ids: readonly number[], deps: EngineDeps, callBrevo: ReturnType<typeof brevoCaller>): Promise<Map<number, BrevoContactSummary>> {
  const unique = [...new Set(ids)];
  const contacts = new Map<number, BrevoContactSummary>();
  for (let i = 0; i < unique.length; i += CONTACT_IDS_MAX) {
    const slice = unique.slice(i, i + CONTACT_IDS_MAX);
    const page = await callBrevo('brevo.contacts.list', () => listContacts(deps.brevo, { ids: slice, limit: CONTACT_IDS_MAX, offset: 0 }));
    for (const contact of page.data.contacts) contacts.set(contact.id, contact);
  }
  return contacts;
}

/**
 * Brevo → Salesforce: applies the stored webhook events of one integration,
 * oldest change first. Only contacts linked to a Salesforce record sync back
 * (R12). Per contact, the events fold into the values Brevo now holds; an echo
 * of our own write (same hash as the link) is ignored (R17); a field also
 * changed in Salesforce since the last sync goes to the later change (R17);
 * the rules decide what may be written (R7 dates, R8 emptied last name, R9
 * length). Updates and deletes (R13) go through sObject Collections, 200 per call; a delete only once Brevo
 * confirms the contact is gone. Opt-outs: a contact Brevo blocklisted (read from Brevo for the events that may
 * say so) or that unsubscribed sets `HasOptedOutOfEmail` in the same write (`decideOptOutFromBrevo`).
 */
export async function applyBrevoEvents(integration: IntegrationSnapshot, deps: EngineDeps, batchLimit = 2000): Promise<BrevoToSalesforceResult> {
  const options = { ...DEFAULT_ENGINE_OPTIONS, ...deps.options };
  const now = deps.now ?? (() => new Date());
  const policy = callPolicyOf(deps, options);
  const callSalesforce = salesforceCaller(policy);
  const callBrevo = brevoCaller(policy);
  const { store } = deps;
  const result: BrevoToSalesforceResult = { runId: null, end: 'completed', counts: emptyCounts(), operations: 0, errors: 0, warnings: 0 };

  const pending = await store.events.pending(integration.id, batchLimit);
  if (pending.length === 0) return result;
  const state = deps.state ?? (await store.state.get(integration.id));
  if (await isPaused(integration.id, state.pausedUntil, deps, now())) return { ...result, end: 'paused' };

  const run = await store.runs.start(integration.id, 'brevo_to_salesforce', false, now(), deps.trigger);
  result.runId = run._id;
  const object = objectOf(integration);
  const issueContext = { integrationId: integration.id, runId: run._id, direction: 'brevo_to_salesforce' as const, object };
  const recordErrors: RecordErrorDoc[] = [];
  // The contact as Brevo holds it (its email, FIRSTNAME and LASTNAME when mapped): the link's values.
  const addIssue = (issue: RuleIssue, severity: 'error' | 'warning', link: LinkDoc) =>
    recordErrors.push(recordErrorOf(issue, severity, { ...issueContext, salesforceId: link.salesforceId, brevoId: link.brevoId, contact: contactOfLink(link), at: now() }));
  const applied: string[] = [];
  const ignored: string[] = [];
  const failed: string[] = [];
  // Named in the change events these writes cause, so the stream knows them for ours.
  const ownWrites = { client: ownChangeClient(integration.id) };

  try {
    const fields = await (deps.loadFields ?? describeFieldsLoader(deps.salesforce, callSalesforce))(object);
    const fieldsByName = indexFieldsByName(fields);
    const planContext = planContextOf(integration, fieldsByName);
    const conflictPolicy = integration.mappingSettings?.conflictPolicy ?? DEFAULT_CONFLICT_POLICY;
    // Only a pair that syncs both ways can conflict: one way, the other side's change is not synced.
    const syncsBothWays = (attribute: string) => {
      const field = fieldsByName.get(integration.mapping[attribute] ?? '');
      return field !== undefined && effectiveDirection(attribute, field, planContext.directions?.[attribute]) === SyncDirection.Both;
    };
    result.counts.read = pending.length;

    // 1. Which Salesforce record each event is about (R12: only linked contacts).
    const linkOfEvent = await linksOfEvents(integration.id, pending, deps, callBrevo);
    const groups = new Map<string, Group>();
    for (const event of pending) {
      const link = linkOfEvent.get(event._id);
      if (!link) {
        ignored.push(event._id); // R12: a Brevo-only contact is never created in Salesforce.
        result.counts.skippedUnchanged += 1;
        continue;
      }
      if (link.leftList === true) {
        // Its record stopped matching the record filter: the contact is outside the sync, and nothing of it (an edit,
        // a delete, an opt-out) is written to Salesforce until the record matches again.
        ignored.push(event._id);
        result.counts.notMatching += 1;
        continue;
      }
      const group = groups.get(link.salesforceId) ?? { link, events: [] };
      group.events.push(event);
      groups.set(link.salesforceId, group);
    }
    // What a contact's events leave in Brevo, and whether that is only the echo of our own last write (R17).
    const fold = (group: Group) => {
      const { values, touchedAt } = foldEvents(group.link, group.events, integration.mapping, planContext.valuePairs);
      return { values, touchedAt, echo: isEchoOfOwnWrite(hashMappedValues(values), group.link.hash) };
    };
    // A converted lead is read-only in Salesforce, and no Contacts integration took its contact (rules' lead-conversion.ts).
    // The echo of our own last write (an import's events may arrive after the conversion) is no Brevo edit to report.
    for (const [salesforceId, group] of groups) {
      if (group.link.convertedTo === undefined) continue;
      groups.delete(salesforceId);
      ignored.push(...group.events.map((event) => event._id));
      result.counts.skippedUnchanged += group.events.length;
      const onlyUpdates = group.events.every((event) => event.kind !== 'contact_deleted' && event.kind !== 'unsubscribed');
      if (!(onlyUpdates && fold(group).echo)) addIssue(convertedNotSyncedIssue(group.link.convertedTo), 'error', group.link);
    }

    // 2. Per record: delete (R13), echo (R17), or the fields to write.
    const deleteCandidates: Group[] = [];
    const folded: { group: Group; values: BrevoValues; touchedAt: Map<string, Date>; echo: boolean }[] = [];
    for (const group of groups.values()) {
      if (group.events.some((event) => event.kind === 'contact_deleted')) {
        deleteCandidates.push(group);
        continue;
      }
      folded.push({ group, ...fold(group) });
    }
    // Opt-outs: Brevo's blocklisting, for the contacts whose events may carry one (an unsubscribe, a change of no
    // attribute, or any change but the echo of our own write).
    const optOuts = planContext.optOuts;
    const mayCarryOptOut = (entry: (typeof folded)[number]) => !entry.echo || entry.group.events.some((event) => event.kind === 'unsubscribed' || Object.keys(event.content).length === 0);
    const blocklisted = optOuts?.enabled ? await blocklistedInBrevo(folded.filter(mayCarryOptOut).map((entry) => entry.group.link), deps, callBrevo) : new Map<string, boolean>();
    const updates: { group: Group; values: BrevoValues; changed: Record<string, unknown>; touchedAt: Map<string, Date>; optOut?: boolean }[] = [];
    for (const entry of folded) {
      const { group, touchedAt } = entry;
      let { values } = entry;
      const unsubscribed = group.events.some((event) => event.kind === 'unsubscribed');
      const brevoBlocklisted = unsubscribed ? true : (blocklisted.get(group.link.salesforceId) ?? null);
      const optOut = optOuts?.enabled ? decideOptOutFromBrevo(brevoBlocklisted, syncedOptOutOf(group.link.values), optOuts) : null;
      if (optOut) values = withSyncedOptOut(values, optOut.synced);
      if (entry.echo && !optOut) {
        ignored.push(...group.events.map((event) => event._id));
        result.counts.skippedUnchanged += group.events.length;
        continue;
      }
      updates.push({ group, values, changed: changedAttributes(group.link.values, values), touchedAt, ...(optOut?.write === undefined ? {} : { optOut: optOut.write }) });
    }

    // 2b. R13: a delete only when Brevo confirms the contact is gone (an event may be forged); otherwise nothing is deleted.
    const confirmedDeletes = await deletesConfirmedByBrevo(deleteCandidates.map((group) => group.link), deps, callBrevo);
    const deletes: Group[] = [];
    for (const group of deleteCandidates) {
      if (confirmedDeletes.has(group.link.salesforceId)) {
        deletes.push(group);
        continue;
      }
      ignored.push(...group.events.map((event) => event._id));
      result.counts.skippedUnchanged += group.events.length;
      addIssue(createIssue(RuleCode.DeleteUnconfirmed), 'warning', group.link);
    }

    // 3. R17: the Salesforce side of each record now, to see what changed there since the last sync.
    const current = new Map<string, SalesforceRow>();
    const ids = updates.map((update) => update.group.link.salesforceId);
    for (let i = 0; i < ids.length; i += COLLECTION_MAX) {
      const slice = ids.slice(i, i + COLLECTION_MAX);
      const read = optOuts?.enabled ? [...Object.values(integration.mapping), OPT_OUT_FIELD] : Object.values(integration.mapping);
      const soql = `SELECT ${selectFields(read).filter((f) => f !== 'IsDeleted').join(', ')} FROM ${object} WHERE Id IN (${slice.map(quoteSoql).join(', ')})`;
      for await (const page of streamQuery<SalesforceRow>(deps.salesforce, soql, { call: callSalesforce })) for (const row of page.records) current.set(row.Id, row);
    }

    const writes: PendingWrite[] = [];
    for (const update of updates) {
      const { link } = update.group;
      const row = current.get(link.salesforceId);
      const eventIds = update.group.events.map((event) => event._id);
      if (!row) {
        ignored.push(...eventIds); // Deleted in Salesforce meanwhile: the next Salesforce → Brevo run unlinks it.
        continue;
      }
      // What Salesforce holds now, whatever the pair's direction: a conflict is about both sides' values.
      const salesforceNow = mapSalesforceRecordToBrevo(row, integration.mapping, fieldsByName, { ...mappingOptionsOf(planContext), directions: {} });
      const salesforceValues = valuesByAttribute({
        ...(salesforceNow.email === undefined ? {} : { email: salesforceNow.email }),
        ...(salesforceNow.sms === undefined ? {} : { sms: salesforceNow.sms }),
        attributes: { ...link.values.attributes, ...salesforceNow.attributes },
      });
      const known = valuesByAttribute(link.values);
      const toWrite: Record<string, unknown> = {};
      for (const [attribute, value] of Object.entries(update.changed)) {
        const salesforceChanged = attribute in salesforceValues && !sameBrevoValue(salesforceValues[attribute], known[attribute]) && !(attribute === 'SMS' && sameSms(String(salesforceValues[attribute]), known[attribute]));
        if (salesforceChanged && syncsBothWays(attribute)) {
          // R17 by the integration's policy; the decision is a record warning the user reads.
          const times = { salesforceModifiedAt: row.SystemModstamp, brevoModifiedAt: update.touchedAt.get(attribute) };
          const decision = decideConflict(times, conflictPolicy, { attribute, salesforceField: integration.mapping[attribute]! });
          addIssue(decision.issue, 'warning', link);
          if (decision.winner === 'salesforce') continue;
        }
        toWrite[attribute] = value;
      }
      const change = mapBrevoContactToSalesforce(toWrite, integration.mapping, fieldsByName as ReadonlyMap<string, SalesforceField>, { ...planContext, current: row });
      for (const warning of change.warnings) addIssue(warning, 'warning', link);
      for (const error of change.errors) addIssue(error, 'error', link);
      // The opt-out decides the flag over a Brevo attribute mapped to it; written only when Salesforce holds another value.
      const fields: Record<string, unknown> = { ...change.fields };
      if (update.optOut !== undefined && row[OPT_OUT_FIELD] !== update.optOut) fields[OPT_OUT_FIELD] = update.optOut;
      else if (update.optOut !== undefined) delete fields[OPT_OUT_FIELD];
      if (Object.keys(fields).length === 0) {
        (change.errors.length > 0 ? failed : ignored).push(...eventIds);
        if (change.errors.length > 0) result.counts.rejected += 1;
        else result.counts.skippedUnchanged += 1;
        // What Brevo holds now is known even when nothing is written back.
        await store.links.upsertMany([{ ...link, values: update.values, hash: hashMappedValues(update.values) }]);
        continue;
      }
      if (change.errors.length > 0) result.counts.rejected += 1;
      writes.push({ group: update.group, values: update.values, fields });
    }

    // 4. Quota for the writes, reserved under a key of the events (a replay charges nothing twice).
    const month = quotaMonth(now());
    const limit = await store.quota.limitOf(integration.id);
    const requested = writes.length + deletes.length;
    const key = `b2s|${integration.id}|${fnv1a64(pending.map((event) => event._id).join(','))}`;
    let reservation = null;
    if (requested > 0) {
      const reserved = await store.quota.reserve(integration.id, month, key, requested, limit);
      if (!reserved.ok) {
        result.end = 'quota_exceeded';
        await store.runs.finish(run._id, 'stopped', now(), { code: 'quota_exceeded', message: 'Monthly operation quota reached' });
        await deps.statuses.setStatus(integration.id, { status: IntegrationStatus.DisabledQuota, code: 'quota_exceeded' });
        await sendQuotaNotice({ ...deps, callBrevo, sender: options.sender, now }, integration, 'exceeded', month, reserved.used, limit);
        return result;
      }
      reservation = reserved.reservation;
    }

    // 5. Updates, 200 per call.
    let made = 0;
    for (let i = 0; i < writes.length; i += COLLECTION_MAX) {
      const slice = writes.slice(i, i + COLLECTION_MAX);
      const results = await callSalesforce('salesforce.collections.update', () =>
        updateRecords(deps.salesforce, object, slice.map((write) => ({ Id: write.group.link.salesforceId, ...write.fields })), ownWrites),
      );
      const linksToSave: LinkDoc[] = [];
      slice.forEach((write, index) => {
        const outcome = results[index];
        const eventIds = write.group.events.map((event) => event._id);
        if (outcome?.success) {
          made += 1;
          result.counts.updated += 1;
          applied.push(...eventIds);
          linksToSave.push({ ...write.group.link, values: write.values, hash: hashMappedValues(write.values), lastWrittenAt: now() });
        } else {
          result.counts.failed += 1;
          failed.push(...eventIds);
          const first = outcome?.errors[0];
          addIssue(createIssue(RuleCode.InvalidInput, first?.fields?.[0], { reason: `${first?.statusCode ?? 'UNKNOWN'}: ${first?.message ?? ''}` }), 'error', write.group.link);
        }
      });
      await store.links.upsertMany(linksToSave);
    }

    // 6. Deletes (R13): Salesforce may refuse (a Contact with Cases): a record error, not retried.
    for (let i = 0; i < deletes.length; i += COLLECTION_MAX) {
      const slice = deletes.slice(i, i + COLLECTION_MAX);
      const results = await callSalesforce('salesforce.collections.delete', () => deleteRecords(deps.salesforce, slice.map((group) => group.link.salesforceId), ownWrites));
      const removed: string[] = [];
      slice.forEach((group, index) => {
        const outcome = results[index];
        const eventIds = group.events.map((event) => event._id);
        const verdict = outcome?.success ? { outcome: 'deleted' as const } : classifySalesforceDeleteError(outcome?.errors[0]?.statusCode ?? 'UNKNOWN', outcome?.errors[0]?.message);
        if (verdict.outcome === 'deleted') {
          made += outcome?.success ? 1 : 0;
          result.counts.deleted += 1;
          removed.push(group.link.salesforceId);
          applied.push(...eventIds);
        } else {
          result.counts.failed += 1;
          failed.push(...eventIds);
          addIssue(verdict.issue, 'error', group.link);
        }
      });
      await store.links.removeMany(integration.id, removed);
    }

    if (reservation) {
      await store.quota.settleAndRelease(reservation, made);
      result.operations = made;
    }
    await store.errors.resolve(integration.id, 'brevo_to_salesforce', [...groups.keys()], now());
    await store.errors.addMany(recordErrors);
    await store.events.mark(integration.id, applied, 'applied', now());
    await store.events.mark(integration.id, ignored, 'ignored', now());
    await store.events.mark(integration.id, failed, 'failed', now());
    result.errors = recordErrors.filter((error) => error.severity === 'error').length;
    result.warnings = recordErrors.length - result.errors;
    // The run's counts with its end: one write.
    await store.runs.finish(run._id, 'succeeded', now(), null, { last: { counts: result.counts, operations: result.operations, progress: { done: pending.length, total: pending.length } } });
    return result;
  } catch (error) {
    const fault = faultOf(error);
    if (fault.kind === 'auth') {
      await store.runs.finish(run._id, 'failed', now(), { code: 'auth_error', message: fault.message });
      await deps.statuses.setStatus(integration.id, { status: IntegrationStatus.AuthError, code: 'auth_error', message: fault.message });
      return { ...result, end: 'auth_error', error: fault.message };
    }
    if (fault.kind === 'salesforce_limit' || fault.kind === 'brevo_rate_limited') {
      await pauseAfter(integration.id, fault, error, deps, options, now());
      await store.runs.finish(run._id, 'stopped', now(), { code: fault.kind, message: fault.message });
      return { ...result, end: 'paused', error: fault.message };
    }
    await store.runs.finish(run._id, 'failed', now(), { code: 'sync_failed', message: fault.message });
    return { ...result, end: 'failed', error: fault.message };
  }
}
