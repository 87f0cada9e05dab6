import { hashMappedValues, isLinkAttribute, withoutLinkAttributes } from '@contact-sync/rules';
import type { LinkDoc } from '@contact-sync/store';
import { BrevoWriter } from './brevo-writer.ts';
import type { IntegrationSnapshot } from './integration.ts';
import { callPolicyOf, type EngineDeps } from './salesforce-to-brevo.ts';
import { brevoCaller } from './classify.ts';

export interface LinkRepair {
  /** The integration with its repaired mapping (the same object when nothing was repaired). */
  integration: IntegrationSnapshot;
  /** Link attributes taken out of the mapping. */
  removed: string[];
  /** Contacts whose `ext_id` was written back, and those Brevo refused (deleted there meanwhile). */
  relinked: number;
  failed: number;
}

/**
 * A mapping saved before the link attributes were refused (R14) may feed EXT_ID from a Salesforce
 * field: every write then replaced the contact's link with that field's value (or erased it), and
 * the contact looked like someone else's to every later import. Before anything else, the run
 * takes those attributes out of the mapping, saves it with the reason (the user reads why on the
 * integration's page), writes each linked contact's `ext_id` back to its Salesforce Id, and forgets
 * the values the links held for those attributes. Not charged to the quota: nothing of the
 * marketer's data changes. Once repaired, later runs find nothing to do here.
 */
export async function repairLinkMapping(integration: IntegrationSnapshot, deps: EngineDeps): Promise<LinkRepair> {
  const { mapping, removed } = withoutLinkAttributes(integration.mapping);
  if (removed.length === 0) return { integration, removed, relinked: 0, failed: 0 };

  const now = deps.now ?? (() => new Date());
  const writer = new BrevoWriter(deps.brevo, brevoCaller(callPolicyOf(deps)), {
    listId: integration.listId,
    clockSkewMs: 0,
    importPollMs: 0,
    importTimeoutMs: 0,
    now,
    sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  });
  const links = (await deps.store.links.list(integration.id)).filter((link): link is LinkDoc & { brevoId: number } => link.brevoId !== null);
  const outcome = await writer.relink(links);
  const cleaned = links.map((link) => {
    const attributes = Object.fromEntries(Object.entries(link.values.attributes).filter(([name]) => !isLinkAttribute(name)));
    const values = { ...link.values, attributes };
    return { ...link, values, hash: hashMappedValues(values) };
  });
  await deps.store.links.upsertMany(cleaned, new Set(cleaned.map((link) => link.salesforceId)));
  // Saved last: a run interrupted before this point repairs again next time (every step above is idempotent).
  await deps.statuses.saveRepairedMapping(integration.id, mapping, removed);
  return { integration: { ...integration, mapping }, removed, relinked: outcome.written.size, failed: outcome.failures.length };
}
