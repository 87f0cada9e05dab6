import type { BrevoClient } from '@getbrevo/brevo';
import { listContacts } from '@contact-sync/brevo';
import { streamQuery, type SalesforceRequester } from '@contact-sync/salesforce';
import { duplicateIssue, indexFieldsByName, MONTHLY_OPERATION_QUOTA, type RuleIssue } from '@contact-sync/rules';
import { emptyCounts, type BrevoValues, type LinkDoc, type RunCounts, type SyncStore } from '@contact-sync/store';
import { brevoCaller, salesforceCaller, type CallPolicy } from './classify.ts';
import { readChunkLinks } from './chunk-links.ts';
import { describeFieldsLoader } from './describe-fields.ts';
import { objectOf, type FieldsLoader, type IntegrationSnapshot } from './integration.ts';
import { countRow, decideOnOwner, operationsOf, planContextOf, planPage, runQueryOf, runStartOf, type BrevoOwner, type PlannedRow, type PlannedWrite, type RowResult, type SalesforceRow } from './plan.ts';
import { DEFAULT_ENGINE_OPTIONS } from './salesforce-to-brevo.ts';

export interface PreviewSample {
  salesforceId: string;
  values?: BrevoValues;
  issues?: RuleIssue[];
}

export interface PreviewResult {
  /** What the first run would count, counted by the run's own `countRow` (`failed`: always 0, a prediction cannot fail). */
  counts: RunCounts;
  /** Rejected records by rule code (e.g. `phone_digits_out_of_range`, `duplicate`). */
  rejectedByReason: Record<string, number>;
  samples: { create: PreviewSample[]; update: PreviewSample[]; rejected: PreviewSample[] };
  /** Operations the first sync would charge (R16) and the share of the monthly quota they are. */
  operations: number;
  quotaLimit: number;
  quotaShare: number;
  exceedsQuota: boolean;
}

export interface PreviewDeps {
  salesforce: SalesforceRequester;
  /** The account's Brevo: the contacts that already hold a record's email, SMS or ext_id (read only). */
  brevo: BrevoClient;
  /** When given, existing links make records updates (or unchanged) instead of creates; never written. */
  store?: SyncStore;
  /**
   * The account's integrations on other Salesforce orgs (the run's `EngineDeps.otherOrgIntegrations`): with `store`,
   * each chunk's Ids that they link are rejected as the run rejects them (R14, `linked_other_org`).
   */
  otherOrgIntegrations?: () => Promise<readonly string[]>;
  loadFields?: FieldsLoader;
  sampleSize?: number;
  pageSize?: number;
  policy?: CallPolicy;
  quotaLimit?: number;
}

/** A create or update: Brevo's existing contacts decide it (R15), once they are read. */
type Candidate = Extract<PlannedRow, { kind: 'create' | 'update' }>;

const BREVO_PAGE = 1000;

/**
 * SPEC §2 step 7: what the first sync would do, without writing anything anywhere, decided by the
 * run's own code so that its counts are the first run's. The same `queryAll` from the same
 * watermark (deleted records included), in the run's chunks, through the same planner (every rule,
 * R15 inside a chunk, R5's records without email or SMS), counted by the same `countRow`. What the
 * run learns from Brevo only when it writes (an email, SMS or ext_id another contact already holds:
 * R15, or our own contact from an earlier run: adopted) the preview reads beforehand from the
 * account's contacts, and decides with the run's `decideOnOwner`. An Id the account's integrations on other
 * Salesforce orgs link (R14) is decided by the planner from the same read as the run's.
 */
export async function previewIntegration(integration: IntegrationSnapshot, deps: PreviewDeps): Promise<PreviewResult> {
  const sampleSize = deps.sampleSize ?? 5;
  const callSalesforce = salesforceCaller(deps.policy);
  const object = objectOf(integration);
  const fields = await (deps.loadFields ?? describeFieldsLoader(deps.salesforce, callSalesforce))(object);
  const fieldsByName = indexFieldsByName(fields);
  const quotaLimit = deps.quotaLimit ?? (deps.store ? await deps.store.quota.limitOf(integration.id) : MONTHLY_OPERATION_QUOTA);
  const result: PreviewResult = {
    counts: emptyCounts(),
    rejectedByReason: {},
    samples: { create: [], update: [], rejected: [] },
    operations: 0,
    quotaLimit,
    quotaShare: 0,
    exceedsQuota: false,
  };
  const reject = (salesforceId: string, issues: RuleIssue[]) => {
    for (const issue of issues) result.rejectedByReason[issue.code] = (result.rejectedByReason[issue.code] ?? 0) + 1;
    if (result.samples.rejected.length < sampleSize) result.samples.rejected.push({ salesforceId, issues });
  };
  const settle = (row: PlannedRow, outcome: RowResult) => {
    countRow(result.counts, row, outcome);
    if (outcome === 'written') result.operations += operationsOf(row);
  };

  // A draft has no state yet: read, never created (the preview writes nothing).
  const state = deps.store ? await deps.store.state.find(integration.id) : null;
  const planContext = planContextOf(integration, fieldsByName);
  // From where the run would read (the start again after a filter change), with the filter in the query as the run has it.
  const watermark = runStartOf(state, integration, 'schedule').from;
  const noLinks = deps.store ? !(await deps.store.links.hasAny(integration.id)) : true;
  const soql = runQueryOf(integration, planContext, watermark, noLinks);
  const chunkSize = DEFAULT_ENGINE_OPTIONS.chunkSize;
  const candidates: Candidate[] = [];
  const otherOrgIntegrations = deps.store && deps.otherOrgIntegrations ? await deps.otherOrgIntegrations() : [];
  const chunkLinksOf = { integrationId: integration.id, otherOrgIntegrations: async () => otherOrgIntegrations, noLinksAtStart: noLinks };
  const planChunk = async (rows: SalesforceRow[]) => {
    // The run's reads (`readChunkLinks`); without a store, no links at all.
    const { links, linkedByOtherOrg } = deps.store ? await readChunkLinks(deps.store.links, rows, chunkLinksOf) : { links: new Map<string, LinkDoc>(), linkedByOtherOrg: new Set<string>() };
    const planned = planPage(rows, links, planContext, linkedByOtherOrg);
    for (const row of planned) {
      if (row.kind === 'create' || row.kind === 'update') {
        candidates.push(row);
        continue;
      }
      if (row.kind === 'rejected') reject(row.salesforceId, row.issues);
      settle(row, 'written');
    }
  };
  let buffer: SalesforceRow[] = [];
  for await (const page of streamQuery<SalesforceRow>(deps.salesforce, soql, { all: true, batchSize: deps.pageSize ?? DEFAULT_ENGINE_OPTIONS.pageSize, call: callSalesforce })) {
    buffer.push(...page.records);
    if (buffer.length < chunkSize && !page.done) continue;
    await planChunk(buffer);
    buffer = [];
  }
  if (buffer.length > 0) await planChunk(buffer);

  const owners = await readOwners(candidates.map((candidate) => candidate.write), deps);
  for (const row of candidates) {
    const issue = row.kind === 'create' ? createIssueOf(row.write, owners) : updateIssueOf(row.write, owners);
    if (issue) {
      reject(row.write.salesforceId, [issue]);
      settle(row, 'duplicate');
      continue;
    }
    // Written in watermark order: a later record claiming the same email or SMS meets this one.
    owners.claim(row.write);
    const samples = row.kind === 'create' ? result.samples.create : result.samples.update;
    if (samples.length < sampleSize) samples.push({ salesforceId: row.write.salesforceId, values: row.write.values });
    settle(row, 'written');
  }
  result.quotaShare = quotaLimit > 0 ? result.operations / quotaLimit : 1;
  result.exceedsQuota = result.operations > quotaLimit;
  return result;
}

function createIssueOf(write: PlannedWrite, owners: Owners): RuleIssue | null {
  const decision = decideOnOwner(write, owners.ownerOf(write));
  return decision.kind === 'duplicate' ? decision.issue : null;
}

/**
 * An update by contact id that gives the contact an email or SMS another contact holds: Brevo
 * refuses it and the run reads R15 from its answer (`duplicateFieldFromBrevoError`).
 */
function updateIssueOf(write: PlannedWrite, owners: Owners): RuleIssue | null {
  // The record's own contact: by its id when the link knows it, else by its ext_id (a link an import made).
  const another = (owner: Held | undefined) => owner !== undefined && owner.id !== write.link?.brevoId && owner.extId !== write.salesforceId;
  if (write.changed.email && another(owners.byEmail.get(write.changed.email.toLowerCase()))) return duplicateIssue('email');
  if (write.changed.sms && another(owners.bySms.get(digits(write.changed.sms)))) return duplicateIssue('sms');
  return null;
}

const digits = (value: string) => value.replace(/\D/g, '');

type Held = Omit<BrevoOwner, 'matchedBy'>;

/** The Brevo contacts holding the candidates' identifiers, and the ones the preview itself would create. */
class Owners {
  readonly byExtId = new Map<string, Held>();
  readonly byEmail = new Map<string, Held>();
  readonly bySms = new Map<string, Held>();
  private nextVirtualId = -1;

  /** Looked up in the run's order (`BrevoWriter.ownerOf`): ext_id, email, SMS. */
  ownerOf(write: PlannedWrite): BrevoOwner | null {
    const byExtId = this.byExtId.get(write.salesforceId);
    if (byExtId) return { ...byExtId, matchedBy: 'ext_id' };
    const byEmail = write.values.email ? this.byEmail.get(write.values.email.toLowerCase()) : undefined;
    if (byEmail) return { ...byEmail, matchedBy: 'email' };
    const bySms = write.values.sms ? this.bySms.get(digits(write.values.sms)) : undefined;
    return bySms ? { ...bySms, matchedBy: 'sms' } : null;
  }

  /** After the write: the record's contact holds its identifiers. */
  claim(write: PlannedWrite): void {
    const held = this.byExtId.get(write.salesforceId) ?? { id: write.link?.brevoId ?? this.nextVirtualId--, extId: write.salesforceId };
    this.byExtId.set(write.salesforceId, held);
    if (write.values.email) this.byEmail.set(write.values.email.toLowerCase(), held);
    if (write.values.sms) this.bySms.set(digits(write.values.sms), held);
  }
}

/**
 * Pages through the account's contacts once (1,000 a call) and keeps those holding a candidate's
 * ext_id, email or SMS: nothing is read when nothing would be written.
 */
async function readOwners(writes: readonly PlannedWrite[], deps: PreviewDeps): Promise<Owners> {
  const owners = new Owners();
  if (writes.length === 0) return owners;
  const extIds = new Set(writes.map((write) => write.salesforceId));
  const emails = new Set(writes.flatMap((write) => (write.values.email ? [write.values.email.toLowerCase()] : [])));
  // Brevo keeps SMS numbers without the `+`: compared by digits, as the writer does (`sameSms`).
  const smsDigits = new Set(writes.flatMap((write) => (write.values.sms ? [digits(write.values.sms)] : [])));
  const callBrevo = brevoCaller(deps.policy);
  for (let offset = 0; ; offset += BREVO_PAGE) {
    const page = (await callBrevo('brevo.contacts.list', () => listContacts(deps.brevo, { limit: BREVO_PAGE, offset, sort: 'asc' }))).data;
    for (const contact of page.contacts) {
      const extId = typeof contact.attributes?.EXT_ID === 'string' ? contact.attributes.EXT_ID : null;
      const held = { id: contact.id, extId };
      if (extId && extIds.has(extId)) owners.byExtId.set(extId, held);
      const email = contact.email?.toLowerCase();
      if (email && emails.has(email)) owners.byEmail.set(email, held);
      const contactSms = contact.attributes?.SMS;
      if (contactSms !== undefined && contactSms !== null && smsDigits.has(digits(String(contactSms)))) owners.bySms.set(digits(String(contactSms)), held);
    }
    if (page.contacts.length < BREVO_PAGE || offset + BREVO_PAGE >= page.count) return owners;
  }
}
