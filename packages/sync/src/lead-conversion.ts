import { quoteSoql, streamQuery } from '@contact-sync/salesforce';
import { convertedNotSyncedIssue, isConvertedInto, LEAD_ID_PREFIX, type RuleIssue } from '@contact-sync/rules';
import type { SyncStore } from '@contact-sync/store';
import type { Caller } from './classify.ts';
import type { IntegrationSnapshot } from './integration.ts';
import type { BrevoOwner, PlannedRow, PlannedWrite, SalesforceRow } from './plan.ts';
import type { EngineDeps } from './salesforce-to-brevo.ts';

/**
 * Converted leads as the sync applies them (the decision: rules' lead-conversion.ts). Either side may
 * see a conversion first, and both end in the same one link:
 * - the Leads integration reads the converted lead (run or stream): its link moves to the Contact in
 *   the covering Contacts integration, which is asked to write that Contact at its next run (its
 *   values, its list and the ext_id, whether or not its watermark has passed the Contact), or the
 *   link stops syncing, with a record error;
 * - the Contacts integration creates the new Contact first: its email (or SMS) is on the lead's
 *   Brevo contact, which R15 would call a duplicate; when that lead was converted into this very
 *   Contact, the Contact takes the lead's link over instead (one contact, never a second).
 */

type ConvertedRow = Extract<PlannedRow, { kind: 'converted' }>;

/** Moves or stops one converted lead's link; the record issue it leaves on the lead. */
export async function applyLeadConversion(store: SyncStore, integrationId: string, row: ConvertedRow, now: Date): Promise<{ issue: RuleIssue; severity: 'error' | 'warning' }> {
  const { decision } = row;
  if (decision.action === 'follow') {
    const outcome = await store.links.move({ integrationId, salesforceId: row.salesforceId }, { integrationId: decision.integrationId, salesforceId: decision.contactId }, now);
    // `source_gone`: the Contacts integration took the link over first.
    if (outcome.moved || outcome.reason === 'source_gone') {
      if (outcome.moved) {
        await store.state.requestRetry(decision.integrationId, [decision.contactId]);
        await store.state.requestSync(decision.integrationId, now, 'salesforce_change');
      }
      return { issue: decision.issue, severity: 'warning' };
    }
    // The Contact already has a Brevo contact of its own: the lead's stays as it is (R15: never merged).
  }
  await store.links.markConverted(integrationId, row.salesforceId, decision.contactId);
  return { issue: decision.action === 'stop' ? decision.issue : convertedNotSyncedIssue(decision.contactId), severity: 'error' };
}

/**
 * For a Contacts integration's writer: takes over the Brevo contact of the lead `owner` names when
 * that lead, linked in a Leads integration of the same account and org to this very Brevo contact,
 * was converted into the Contact being created. One Salesforce read, only for such an owner.
 */
export function convertedLeadTakeOver(integration: IntegrationSnapshot, deps: EngineDeps, callSalesforce: Caller, now: () => Date) {
  return async (write: PlannedWrite, owner: BrevoOwner): Promise<boolean> => {
    const leadId = owner.extId;
    if (!deps.siblings || !leadId?.startsWith(LEAD_ID_PREFIX)) return false;
    for (const sibling of await deps.siblings()) {
      if (sibling.kind !== 'salesforce-leads') continue;
      const link = (await deps.store.links.findBySalesforceIds(sibling.id, [leadId])).get(leadId);
      // A lead's link an import made knows no id: the owner, read by the lead's ext_id, is its contact.
      if (!link || (link.brevoId !== null && link.brevoId !== owner.id)) continue;
      const lead = await readLead(deps, leadId, callSalesforce);
      if (!lead || !isConvertedInto(lead, write.salesforceId)) return false;
      const outcome = await deps.store.links.move({ integrationId: sibling.id, salesforceId: leadId }, { integrationId: integration.id, salesforceId: write.salesforceId }, now());
      return outcome.moved;
    }
    return false;
  };
}

async function readLead(deps: EngineDeps, leadId: string, call: Caller): Promise<SalesforceRow | undefined> {
  const soql = `SELECT Id, IsConverted, ConvertedContactId, SystemModstamp FROM Lead WHERE Id = ${quoteSoql(leadId)}`;
  for await (const page of streamQuery<SalesforceRow>(deps.salesforce, soql, { call })) return page.records[0];
  return undefined;
}
