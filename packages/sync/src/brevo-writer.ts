import type { BrevoClient } from '@getbrevo/brevo';
import {
  BATCH_UPDATE_MAX,
  brevoErrorBody,
  brevoStatus,
  findContact,
  getProcessStatus,
  importContacts,
  listContacts,
  listSize,
  updateContactsBatch,
  updateContactById,
  type BatchContactUpdate,
  type BrevoContactSummary,
  type ImportRow,
  type ProcessStatus,
} from '@contact-sync/brevo';
import { createIssue, duplicateFieldFromBrevoError, duplicateIssue, RuleCode, sameBrevoValue, type BrevoAttributeValue, type RuleIssue } from '@contact-sync/rules';
import type { BrevoValues, LinkDoc, UnconfirmedImport } from '@contact-sync/store';
import type { Caller } from './classify.ts';
import { decideOnOwner, type BrevoOwner, type PlannedDelete, type PlannedLeave, type PlannedWrite } from './plan.ts';

export interface WriterOptions {
  listId: number;
  /** Allowance for the clock difference with Brevo when reading back imported contacts. */
  clockSkewMs: number;
  /** Delay before the first look at an import's list (`allLanded`) or for its contacts (`awaitImport`); at most 8× that between looks. */
  importPollMs: number;
  importTimeoutMs: number;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /**
   * Converted leads: a new Contact whose email or SMS is on a Brevo contact with a lead's ext_id may
   * take that contact over (rules' `isConvertedInto`); true when the lead's link was moved to it.
   */
  takeOverConvertedLead?: (write: PlannedWrite, owner: BrevoOwner) => Promise<boolean>;
}

export interface WriteFailure {
  salesforceId: string;
  issue: RuleIssue;
}

export interface WriteOutcome {
  /**
   * Salesforce Id → Brevo contact id, for every create and update Brevo confirmed. null: created by an import that
   * landed whole, linked by its ext_id (R14); its id is looked up at its first later write (`resolveByExtId`).
   */
  written: Map<string, number | null>;
  deleted: string[];
  /** Salesforce Ids whose contacts Brevo took out of the list (the record stopped matching the filter). */
  left: string[];
  failures: WriteFailure[];
  /** Rows of an import that failed or did not end: neither created nor refused, written again with their chunk. */
  unfinished?: { salesforceIds: string[]; message: string };
}

function attributesOf(values: BrevoValues): Record<string, BrevoAttributeValue> {
  const attributes: Record<string, BrevoAttributeValue> = { ...values.attributes };
  if (values.sms !== undefined) attributes.SMS = values.sms;
  return attributes;
}

/** What an import sends of a record: its values but the empty attributes. */
function importedValuesOf(write: PlannedWrite): BrevoValues {
  return { ...write.values, attributes: Object.fromEntries(Object.entries(write.values.attributes).filter(([, value]) => value !== null)) };
}

function importRowOf(write: PlannedWrite): ImportRow {
  const values = importedValuesOf(write);
  const attributes = attributesOf(values);
  attributes.EXT_ID = write.salesforceId;
  return { ...(values.email ? { email: values.email } : {}), attributes };
}

/** The rows of one import: the opted-out records' (`blocklist`) or the others. */
function importGroup(creates: readonly PlannedWrite[], blocklist: boolean): PlannedWrite[] {
  return creates.filter((write) => (write.values.emailBlacklisted === true) === blocklist);
}

/**
 * The contact id a write names. Every batch item names its contact by id, never by the email or SMS a link last wrote:
 * a link an import made may be wrong (`allLanded`), and that email may be another person's contact. The engine
 * resolves such links by ext_id before writing (`resolveByExtId`).
 */
function idOf(link: Pick<LinkDoc, 'salesforceId' | 'brevoId'>): number {
  if (link.brevoId === null) throw new Error(`link of ${link.salesforceId} has no Brevo id: resolve it by ext_id before writing`);
  return link.brevoId;
}

function batchUpdateOf(write: PlannedWrite, brevoId: number, listId: number, full: boolean): BatchContactUpdate {
  const source = full ? write.values : write.changed;
  const attributes = attributesOf(source);
  if (source.email !== undefined) attributes.EMAIL = source.email;
  // Opt-outs: only ever a blocklisting (opted-out records are imported apart, blocklisted; an adopted contact gets it here).
  // Brevo lifts a blocklisting when the email changes: a blocklisted contact's new email is blocklisted again.
  const blocklist = source.emailBlacklisted === true || (source.email !== undefined && write.values.emailBlacklisted === true);
  // A link that followed a converted lead: Brevo's ext_id still names the lead (R14: it must name the record).
  const relink = write.link?.movedFrom !== undefined;
  return { id: brevoId, attributes, ...(relink ? { ext_id: write.salesforceId } : {}), ...(blocklist ? { emailBlacklisted: true } : {}), listIds: [listId] };
}

/** GET /contacts answers at most 1,000 contacts a call. */
const LIST_PAGE = 1000;
/** Links resolved one call each at most, before the list's size is asked whether reading the list costs less. */
const RESOLVE_ONE_BY_ONE_MAX = 20;

/** Brevo keeps SMS numbers without the `+`: compare digits. */
export function sameSms(a: string | undefined, b: unknown): boolean {
  return (a ?? '').replace(/\D/g, '') === (typeof b === 'string' || typeof b === 'number' ? String(b) : '').replace(/\D/g, '');
}

function looseEqual(expected: unknown, actual: unknown): boolean {
  if (expected === null || expected === undefined) return actual === null || actual === undefined || actual === '';
  if (Array.isArray(expected)) return sameBrevoValue(expected, actual);
  if (typeof expected === 'number' || typeof actual === 'number') return Number(expected) === Number(actual);
  return String(expected) === String(actual);
}

/** Whether a contact read back holds the values we meant to write (a replayed import skips existing contacts). */
function holds(contact: BrevoContactSummary, values: BrevoValues): boolean {
  if (values.email !== undefined && (contact.email ?? '').toLowerCase() !== values.email.toLowerCase()) return false;
  const attributes = contact.attributes ?? {};
  if (values.sms !== undefined && !sameSms(values.sms, attributes.SMS)) return false;
  if (values.emailBlacklisted === true && contact.emailBlacklisted !== true) return false;
  for (const [name, value] of Object.entries(values.attributes)) {
    if (value === null) continue;
    if (!looseEqual(value, attributes[name])) return false;
  }
  return true;
}

/**
 * Brevo writes of one chunk. Creates go through an asynchronous import
 * (`/contacts/import`, up to 10 MB of JSON: thousands of contacts per call),
 * linked by their ext_id without reading them back when the list grew by every
 * row (`allLanded`), else read back from the list; updates and deletes go
 * through `/contacts/batch` (100 per call) by contact id. Every write is
 * idempotent, so a chunk replayed after a crash converges to the same state.
 */
export class BrevoWriter {
  /** The list's size after this writer's last import that landed whole; null once another write may have changed it. */
  private knownListSize: number | null = null;
  /** Milliseconds per row of the last import that landed: when to look first at the next one. */
  private msPerRow: number | null = null;

  constructor(
    private readonly client: BrevoClient,
    private readonly call: Caller,
    private readonly options: WriterOptions,
  ) {}

  async write(
    creates: readonly PlannedWrite[],
    updates: readonly PlannedWrite[],
    deletes: readonly PlannedDelete[],
    importSince: Date | null,
    leaves: readonly PlannedLeave[] = [],
  ): Promise<WriteOutcome> {
    const outcome: WriteOutcome = { written: new Map(), deleted: [], left: [], failures: [] };
    if (creates.length > 0) await this.create(creates, outcome, importSince ?? this.options.now());
    // An update may add a contact to the list, a delete or a leave take one out: the next import looks at the list afresh.
    if (updates.length > 0 || deletes.length > 0 || leaves.length > 0) this.knownListSize = null;
    if (updates.length > 0) {
      await this.batch(
        updates.map((write) => ({ key: write.salesforceId, item: batchUpdateOf(write, idOf(write.link!), this.options.listId, false) })),
        outcome,
        (key, id) => outcome.written.set(key, id),
      );
    }
    if (deletes.length > 0) {
      // R13: out of the integration's list and unlinked (ext_id cleared); the contact itself stays.
      await this.batch(
        deletes.map((remove) => ({ key: remove.salesforceId, item: { id: idOf(remove.link), unlinkListIds: [this.options.listId], ext_id: '' } })),
        outcome,
        (key) => outcome.deleted.push(key),
      );
    }
    if (leaves.length > 0) {
      // The record stopped matching the filter: out of the list, still linked (ext_id kept), the contact itself stays.
      await this.batch(
        leaves.map((leave) => ({ key: leave.salesforceId, item: { id: idOf(leave.link), unlinkListIds: [this.options.listId] } })),
        outcome,
        (key) => outcome.left.push(key),
      );
    }
    return outcome;
  }

  /**
   * Writes each contact's link back (`ext_id` = its Salesforce Id, R14), by contact id. A contact
   * deleted in Brevo meanwhile is a failure of its own; the others are written.
   */
  async relink(links: readonly { salesforceId: string; brevoId: number }[]): Promise<WriteOutcome> {
    const outcome: WriteOutcome = { written: new Map(), deleted: [], left: [], failures: [] };
    await this.batch(
      links.map((link) => ({ key: link.salesforceId, item: { id: link.brevoId, ext_id: link.salesforceId } })),
      outcome,
      (key, id) => outcome.written.set(key, id),
    );
    return outcome;
  }

  /**
   * The Brevo ids of links an import made (null `brevoId`), by ext_id (R14): null when Brevo holds no contact with
   * that ext_id (the import did not create it: its row was skipped, and the list's size said otherwise, `allLanded`;
   * or it was deleted in Brevo since). Looked up one call each (GET /contacts/{ext_id}?identifierType=ext_id), or,
   * when they are more than the list has pages of 1,000 (a bulk change after an initial load), read from the list
   * first, the rest (out of the list) one by one.
   */
  async resolveByExtId(extIds: readonly string[]): Promise<Map<string, number | null>> {
    const resolved = new Map<string, number | null>();
    const wanted = new Set(extIds);
    if (wanted.size > RESOLVE_ONE_BY_ONE_MAX && Math.ceil((await this.currentListSize()) / LIST_PAGE) < wanted.size) {
      for (const [extId, contact] of await this.readBack(wanted, null)) resolved.set(extId, contact.id);
    }
    for (const extId of wanted) {
      if (resolved.has(extId)) continue;
      const contact = await this.call('brevo.contacts.get', () => findContact(this.client, extId, 'ext_id'));
      resolved.set(extId, contact ? contact.id : null);
    }
    return resolved;
  }

  private async create(creates: readonly PlannedWrite[], outcome: WriteOutcome, since: Date): Promise<void> {
    const before = this.knownListSize ?? (await this.currentListSize());
    this.knownListSize = null;
    const processes = await this.importGroups(creates);
    const landing = await this.allLanded(processes.map((process) => process.id), before, creates.length, creates.length);
    if (landing === 'landed') {
      this.knownListSize = before + creates.length;
      for (const write of creates) outcome.written.set(write.salesforceId, null);
      return;
    }
    const statuses = landing === 'unknown' ? null : landing;
    await this.decideImports([{ processes, rows: creates, since }], statuses, outcome);
    // The chunk is written again (its commit not made): what the import did not create is imported again.
    if (outcome.unfinished) throw new Error(outcome.unfinished.message);
  }

  /** One import per group: an import blocklists all its rows or none (`emailBlacklist`), so opted-out records go apart. */
  private async importGroups(creates: readonly PlannedWrite[]): Promise<UnconfirmedImport['processes']> {
    const processes: UnconfirmedImport['processes'] = [];
    for (const blocklist of [false, true]) {
      const rows = importGroup(creates, blocklist);
      if (rows.length === 0) continue;
      processes.push({ id: (await this.call('brevo.contacts.import', () => importContacts(this.client, this.options.listId, rows.map(importRowOf), { blocklist }))).data, blocklist });
    }
    return processes;
  }

  /**
   * A chunk's creates imported without waiting for them: the caller links them by ext_id at once and holds the chunk's
   * commit until `confirm` has looked at the list once for several such imports. Nothing else may be written to the
   * list meanwhile (an update, a delete or a leave: `confirm` first).
   */
  async importUnconfirmed(creates: readonly PlannedWrite[], key: string, since: Date): Promise<UnconfirmedImport> {
    const sizeBefore = this.knownListSize ?? (await this.currentListSize());
    const processes = await this.importGroups(creates);
    // The next import counts from where this one should leave the list: `confirm` checks their sum.
    this.knownListSize = sizeBefore + creates.length;
    return { key, processes, rows: creates.length, since, sizeBefore };
  }

  /**
   * Whether these imports (`importUnconfirmed`, in the order made) all landed whole: one look at the list's size for
   * all of them, which must have grown by the sum of their rows (`allLanded`; Brevo processes imports asynchronously,
   * so a look that falls short may be early: the looks go on while the last ones run). Only when the sum falls short
   * (or the size cannot tell) is each import decided as an import alone is: its contacts read back, the rows it did
   * not create decided one by one (`rowsOf`: the rows a chunk's links say it imported). The outcome names those rows
   * only: failures (to unlink) and the ids of those read back; every other row stays linked by its ext_id.
   */
  async confirm(imports: readonly UnconfirmedImport[], rowsOf: (key: string) => Promise<PlannedWrite[]>): Promise<WriteOutcome> {
    const outcome: WriteOutcome = { written: new Map(), deleted: [], left: [], failures: [] };
    if (imports.length === 0) return outcome;
    const before = imports[0]!.sizeBefore;
    const rows = imports.reduce((sum, entry) => sum + entry.rows, 0);
    this.knownListSize = null;
    const processIds = imports.flatMap((entry) => entry.processes.map((process) => process.id));
    const landing = await this.allLanded(processIds, before, rows, imports.at(-1)!.rows);
    if (landing === 'landed') {
      this.knownListSize = before + rows;
      return outcome;
    }
    const decided = [];
    for (const entry of imports) decided.push({ processes: entry.processes, rows: await rowsOf(entry.key), since: entry.since });
    await this.decideImports(decided, landing === 'unknown' ? null : landing, outcome);
    return outcome;
  }

  /**
   * Imports that did not land whole. Ended (their statuses known): their contacts read back once together, newest
   * first, from the first one's start; else each one waited for and read back alone (`awaitImport`). Then the rows
   * each did not create are decided one by one (`createdOrRefused`).
   */
  private async decideImports(
    imports: readonly { processes: UnconfirmedImport['processes']; rows: readonly PlannedWrite[]; since: Date }[],
    statuses: ReadonlyMap<number, ProcessStatus> | null,
    outcome: WriteOutcome,
  ): Promise<void> {
    const found =
      statuses === null
        ? null
        : await this.readBack(new Set(imports.flatMap((entry) => entry.rows.map((write) => write.salesforceId))), new Date(Math.min(...imports.map((entry) => entry.since.getTime()))));
    for (const entry of imports) {
      for (const process of entry.processes) {
        const rows = importGroup(entry.rows, process.blocklist);
        if (rows.length === 0) continue;
        const ended = found === null ? await this.awaitImport(process.id, rows, entry.since) : { status: statuses!.get(process.id)!, found };
        await this.createdOrRefused(process.id, rows, outcome, ended);
      }
    }
  }

  private async currentListSize(): Promise<number> {
    return (await this.call('brevo.contacts.listSize', () => listSize(this.client, this.options.listId))).data;
  }

  /**
   * Whether every row of these imports joined the list: its size (`uniqueSubscribers`) grew by the rows imported.
   * With `updateExistingContacts: false` a row is created (and joins the list), or skipped, or refused, so a list
   * that grew by every row means every row was created, linked by its ext_id without reading anything back. One
   * call a look, on the contacts endpoints (36,000 an hour); `/processes` (100 an hour) is asked only when the size
   * stops growing short of the mark, at an interval that doubles. The next look is timed by the pace the imports keep.
   *
   * What it can miss: a contact someone else adds to the list while one of our rows is skipped (its email already
   * another contact's) keeps the count right, and that row is linked though Brevo holds no contact with its ext_id.
   * Harmless: such a link names its contact by ext_id only, and every write for it is made by the id that ext_id
   * resolves to first (`resolveByExtId`); none found, the record is planned as new again (create, adopt or R15).
   * Else the imports' statuses once they ended short, or 'unknown' (the size cannot tell: others changed the list, or
   * the wait timed out): the caller reads the imports back.
   */
  private async allLanded(processIds: readonly number[], before: number, rows: number, lastRows: number): Promise<'landed' | 'unknown' | Map<number, ProcessStatus>> {
    const { importPollMs, importTimeoutMs } = this.options;
    const target = before + rows;
    const clamp = (ms: number) => Math.round(Math.min(Math.max(ms, importPollMs), importPollMs * 8));
    const ended = (status: ProcessStatus) => status === 'completed' || status === 'failed' || status === 'cancelled';
    // Counted in time slept, not by the clock (the engine's clock may be a test's fixed one).
    let waited = 0;
    // Earlier imports of a batch have mostly landed by then: the last one's rows at a quarter more than the last pace
    // seen (a look before the end costs a call more).
    let delay = clamp(this.msPerRow === null ? importPollMs : lastRows * this.msPerRow * 1.25);
    let size: number | null = null;
    let statusAfter = importPollMs * 4;
    for (;;) {
      await this.options.sleep(delay);
      waited += delay;
      const previous: number | null = size;
      size = await this.currentListSize();
      if (size === target) {
        this.msPerRow = waited / lastRows;
        return 'landed';
      }
      if (size > target || waited >= importTimeoutMs) return 'unknown';
      if (size === previous && waited >= statusAfter) {
        // Newest first: while the last import runs, the others are not asked (100 calls an hour outside /contacts).
        const statuses = new Map<number, ProcessStatus>();
        for (const processId of [...processIds].reverse()) {
          const status = (await this.call('brevo.process.get', () => getProcessStatus(this.client, processId))).data;
          statuses.set(processId, status);
          if (!ended(status)) break;
        }
        if ([...statuses.values()].every(ended) && statuses.size === processIds.length) {
          // Ended short (rows refused or skipped, a failed import); or they ended between the two looks.
          const last = await this.currentListSize();
          return last === target ? 'landed' : last < target ? statuses : 'unknown';
        }
        statusAfter = waited * 2;
      }
      // The pace of the last interval (from the size before the imports at the first look).
      const pace = (size - (previous ?? before)) / delay;
      delay = clamp(pace > 0 ? (target - size) / pace : delay * 2);
    }
  }

  /** An import that did not land whole, once it ended (or timed out) and its contacts were read back: the rows it did not create decided one by one. */
  private async createdOrRefused(
    processId: number,
    creates: readonly PlannedWrite[],
    outcome: WriteOutcome,
    { status, found }: { status: ProcessStatus; found: ReadonlyMap<string, BrevoContactSummary> },
  ): Promise<void> {
    const fixups: { key: string; item: BatchContactUpdate }[] = [];
    const missing: PlannedWrite[] = [];
    for (const write of creates) {
      const contact = found.get(write.salesforceId);
      if (!contact) missing.push(write);
      else if (holds(contact, write.values) && contact.listIds.includes(this.options.listId)) outcome.written.set(write.salesforceId, contact.id);
      else fixups.push({ key: write.salesforceId, item: batchUpdateOf(write, contact.id, this.options.listId, true) });
    }
    if (missing.length > 0 && status !== 'completed') {
      // A failed or stuck import: what it created is linked; the rest is written again with the chunk.
      if (fixups.length > 0) await this.batch(fixups, outcome, (key, id) => outcome.written.set(key, id));
      const unfinished = outcome.unfinished ?? { salesforceIds: [], message: '' };
      unfinished.salesforceIds.push(...missing.map((write) => write.salesforceId));
      unfinished.message ||= `Brevo import ${processId} ended ${status} with ${missing.length} contact(s) not created`;
      outcome.unfinished = unfinished;
      return;
    }
    for (const write of missing) {
      // Not created: either our contact already existed (it has our ext_id: adopt it) or another
      // contact holds the email or SMS (R15: an error, never a merge). The preview decides the same way.
      const owner = await this.ownerOf(write);
      const decision = decideOnOwner(write, owner);
      if (decision.kind === 'adopt') fixups.push({ key: write.salesforceId, item: batchUpdateOf(write, decision.brevoId, this.options.listId, true) });
      else if (decision.kind === 'duplicate' && owner && (await this.options.takeOverConvertedLead?.(write, owner))) {
        fixups.push({ key: write.salesforceId, item: { ...batchUpdateOf(write, owner.id, this.options.listId, true), ext_id: write.salesforceId } });
      } else if (decision.kind === 'duplicate') outcome.failures.push({ salesforceId: write.salesforceId, issue: decision.issue });
      else outcome.failures.push({ salesforceId: write.salesforceId, issue: createIssue(RuleCode.InvalidInput, 'email', { reason: 'Brevo did not import the contact' }) });
    }
    if (fixups.length > 0) await this.batch(fixups, outcome, (key, id) => outcome.written.set(key, id));
  }

  /** The contact holding the record's ext_id, email or SMS, in that order (`decideOnOwner`). */
  private async ownerOf(write: PlannedWrite): Promise<BrevoOwner | null> {
    const lookups: [BrevoOwner['matchedBy'], string | undefined, 'ext_id' | 'email_id' | 'phone_id'][] = [
      ['ext_id', write.salesforceId, 'ext_id'],
      ['email', write.values.email, 'email_id'],
      ['sms', write.values.sms, 'phone_id'],
    ];
    for (const [matchedBy, identifier, type] of lookups) {
      if (!identifier) continue;
      const contact = await this.call('brevo.contacts.get', () => findContact(this.client, identifier, type));
      if (contact) return { id: contact.id, extId: typeof contact.attributes?.EXT_ID === 'string' ? contact.attributes.EXT_ID : null, matchedBy };
    }
    return null;
  }

  /**
   * Waits for an import and reads its contacts back. Brevo allows 100 requests
   * an hour to every endpoint outside `/contacts` (`/processes` included) and
   * 36,000 to `/contacts` (developers.brevo.com/docs/api-limits): polling the
   * process at every step spent that hour in 35 imports (a 1,000,000 load
   * stalled). So the wait asks `/contacts` whether the import's last row exists
   * yet (by its EXT_ID), reads the contacts back once it does, and asks the
   * process only when they are not all there (a row Brevo refused, a failed or
   * still running import) or the last row is slow to come, at an interval that
   * doubles each time.
   */
  private async awaitImport(processId: number, creates: readonly PlannedWrite[], since: Date): Promise<{ status: ProcessStatus; found: Map<string, BrevoContactSummary> }> {
    const wanted = new Set(creates.map((write) => write.salesforceId));
    const lastRow = creates.at(-1)!.salesforceId;
    const deadline = this.options.now().getTime() + this.options.importTimeoutMs;
    // Counted in time slept, not by the clock (the engine's clock may be a test's fixed one).
    let delay = this.options.importPollMs;
    let waited = 0;
    let statusAfter = this.options.importPollMs * 4;
    for (;;) {
      await this.options.sleep(delay);
      waited += delay;
      delay = Math.min(delay * 2, this.options.importPollMs * 8);
      const lastRowIn = (await this.call('brevo.contacts.get', () => findContact(this.client, lastRow, 'ext_id'))) !== null;
      if (lastRowIn) {
        const found = await this.readBack(wanted, since);
        if (found.size === wanted.size) return { status: 'completed', found };
      }
      // Some rows missing once the last is in: only the process can tell refused rows from a slow import.
      const pastDeadline = this.options.now().getTime() > deadline;
      if (!lastRowIn && waited < statusAfter && !pastDeadline) continue;
      const status = (await this.call('brevo.process.get', () => getProcessStatus(this.client, processId))).data;
      if (status === 'completed' || status === 'failed' || status === 'cancelled' || pastDeadline) return { status, found: await this.readBack(wanted, since) };
      statusAfter = waited * 2;
    }
  }

  /**
   * Contacts of the list modified since the import started (or all of them: null), by EXT_ID (R14),
   * newest first: the imported contacts come first and paging stops once all
   * are found (oldest first re-read every earlier chunk still inside the
   * clock-skew window: 520 list calls for 100,000 contacts, measured).
   */
  private async readBack(wanted: Set<string>, since: Date | null): Promise<Map<string, BrevoContactSummary>> {
    const found = new Map<string, BrevoContactSummary>();
    const modifiedSince = since === null ? undefined : new Date(since.getTime() - this.options.clockSkewMs).toISOString();
    const limit = LIST_PAGE;
    for (let offset = 0; ; offset += limit) {
      const page = (await this.call('brevo.contacts.list', () => listContacts(this.client, { listId: this.options.listId, ...(modifiedSince ? { modifiedSince } : {}), limit, offset }))).data;
      for (const contact of page.contacts) {
        const extId = contact.attributes?.EXT_ID;
        if (typeof extId === 'string' && wanted.has(extId)) found.set(extId, contact);
      }
      if (found.size === wanted.size || page.contacts.length < limit || offset + limit >= page.count) break;
    }
    return found;
  }

  /**
   * `/contacts/batch` in slices of 100. Brevo refuses a whole slice for one bad
   * contact (duplicate email, invalid phone): the slice is halved until the
   * bad contact is alone, and that one becomes a record error (R15 for duplicates).
   */
  private async batch(
    items: readonly { key: string; item: BatchContactUpdate }[],
    outcome: WriteOutcome,
    onDone: (key: string, brevoId: number) => void,
  ): Promise<void> {
    for (let i = 0; i < items.length; i += BATCH_UPDATE_MAX) await this.batchSlice(items.slice(i, i + BATCH_UPDATE_MAX), outcome, onDone);
  }

  private async batchSlice(
    items: readonly { key: string; item: BatchContactUpdate }[],
    outcome: WriteOutcome,
    onDone: (key: string, brevoId: number) => void,
  ): Promise<void> {
    // A batch Brevo refused (400/404) or updated only in part (207): halves until each refused contact is alone.
    let refusal: unknown = null;
    try {
      const { data } = await this.call('brevo.contacts.batch', () => updateContactsBatch(this.client, items.map((entry) => entry.item)));
      if (data.allUpdated) {
        for (const entry of items) onDone(entry.key, entry.item.id);
        return;
      }
    } catch (error) {
      const status = brevoStatus(error);
      if (status !== 400 && status !== 404) throw error;
      refusal = error;
    }
    if (items.length > 1) {
      const half = Math.ceil(items.length / 2);
      await this.batchSlice(items.slice(0, half), outcome, onDone);
      await this.batchSlice(items.slice(half), outcome, onDone);
      return;
    }
    const entry = items[0]!;
    if (refusal === null) {
      // 207 names no reason: the same update alone answers it (or succeeds, if what refused it is gone).
      try {
        await this.call('brevo.contacts.update', () => updateContactById(this.client, entry.item));
        onDone(entry.key, entry.item.id);
        return;
      } catch (error) {
        const status = brevoStatus(error);
        if (status !== 400 && status !== 404) throw error;
        refusal = error;
      }
    }
    const body = brevoErrorBody(refusal);
    const duplicate = duplicateFieldFromBrevoError(body);
    const issue = duplicate
      ? duplicateIssue(duplicate)
      : createIssue(RuleCode.InvalidInput, undefined, { reason: body?.message ?? `Brevo answered ${brevoStatus(refusal)}` });
    outcome.failures.push({ salesforceId: entry.key, issue });
  }
}
