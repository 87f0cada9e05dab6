import type { IntegrationDto, WizardStep } from '@contact-sync/api';
import { checkConsent, IntegrationStatus, quotaMonth } from '@contact-sync/rules';
import { mappingOf, mappingSettingsOf, type IntegrationListDoc } from '@contact-sync/store';
import type { IntegrationFacts, SyncFacts } from '../context.ts';

/** The first wizard step a draft has not done; `preview` once all are done (SPEC §2 steps 3–7). */
export function firstIncompleteStep(integration: IntegrationListDoc): WizardStep {
  if (!integration.salesforce) return 'connect';
  if (checkConsent(integration.consent)) return 'consent';
  if (!integration.mappingEntries || integration.mappingEntries.length === 0) return 'mapping';
  if (!integration.list) return 'list';
  return 'preview';
}

const iso = (date: Date | string | null | undefined) => (date == null ? null : new Date(date).toISOString());

/** The DTOs of integrations, their sync facts read together (`SyncFacts.forIntegrations`). */
export async function toIntegrationDtos(integrations: readonly IntegrationListDoc[], facts: SyncFacts, now: Date): Promise<IntegrationDto[]> {
  const month = quotaMonth(now);
  const byId = await facts.forIntegrations(
    integrations.map((integration) => integration._id.toHexString()),
    month,
  );
  return integrations.map((integration) => {
    const own = byId.get(integration._id.toHexString());
    if (!own) throw new Error(`no sync facts for integration ${integration._id.toHexString()}`);
    return toIntegrationDto(integration, own, month);
  });
}

/** One integration's DTO from its sync facts of `month` (read by `toIntegrationDtos`). */
export function toIntegrationDto(integration: IntegrationListDoc, facts: IntegrationFacts, month: string): IntegrationDto {
  const id = integration._id.toHexString();
  const { quota, runs } = facts;
  const sf = integration.salesforce;
  return {
    id,
    kind: integration.kind,
    name: integration.name,
    status: integration.status,
    statusReason: integration.statusReason ? { code: integration.statusReason.code, at: iso(integration.statusReason.at)! } : null,
    nextStep: integration.status === IntegrationStatus.Draft ? firstIncompleteStep(integration) : null,
    salesforce: sf
      ? { username: sf.username, displayName: sf.displayName, orgId: sf.orgId, userId: sf.userId, instanceUrl: sf.instanceUrl, connectedAt: iso(sf.connectedAt)! }
      : null,
    consent: integration.consent ? { by: integration.consent.by, at: iso(integration.consent.at)! } : null,
    mapping: mappingOf(integration),
    mappingSettings: mappingSettingsOf(integration),
    list: integration.list ? { id: integration.list.id, name: integration.list.name } : null,
    activatedAt: iso(integration.activatedAt),
    lastSyncAt: iso(runs.lastSyncAt),
    sync: runs.running ? { running: true, processed: runs.running.processed, total: runs.running.total, startedAt: iso(runs.running.startedAt)! } : null,
    quota: { used: quota.used, limit: quota.limit, month },
    createdAt: iso(integration.createdAt)!,
    updatedAt: iso(integration.updatedAt)!,
  };
}
