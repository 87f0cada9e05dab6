import type { BrevoClient } from '@getbrevo/brevo';
import { sendNotificationEmail } from '@contact-sync/brevo';
import type { SyncStore } from '@contact-sync/store';
import type { Caller } from './classify.ts';
import type { IntegrationSnapshot } from './integration.ts';

export interface NoticeSender {
  email: string;
  name: string;
}

export const DEFAULT_NOTICE_SENDER: NoticeSender = { email: 'no-reply@contact-sync.test', name: 'Salesforce contacts integration' };

function text(kind: 'warning' | 'exceeded', integration: IntegrationSnapshot, used: number, limit: number): { subject: string; body: string } {
  if (kind === 'warning') {
    return {
      subject: `Salesforce sync: 80% of this month's operations used`,
      body: `Your integration ${integration.id} has used ${used} of its ${limit} operations this month (UTC). Sync continues; at ${limit} it pauses until next month or until support raises the quota.`,
    };
  }
  return {
    subject: `Salesforce sync paused: monthly operation quota reached`,
    body: `Your integration ${integration.id} reached its ${limit} operations this month (UTC) and is now disabled (quota). Nothing is lost: pending changes sync when you re-activate it with quota available (next month or after a quota raise).`,
  };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * R16 emails, once each per integration and month: the claim is a unique
 * insert; a send that fails gives the claim back so the next run retries.
 */
export async function sendQuotaNotice(
  deps: { brevo: BrevoClient; store: SyncStore; callBrevo: Caller; sender: NoticeSender; now: () => Date },
  integration: IntegrationSnapshot,
  kind: 'warning' | 'exceeded',
  month: string,
  used: number,
  limit: number,
): Promise<boolean> {
  if (!integration.notificationEmail) return false;
  if (!(await deps.store.quota.claimNotice(integration.id, month, kind, deps.now()))) return false;
  const { subject, body } = text(kind, integration, used, limit);
  try {
    await deps.callBrevo('brevo.smtp.email', () =>
      sendNotificationEmail(deps.brevo, { to: integration.notificationEmail!, subject, text: body, html: `<p>${escapeHtml(body)}</p>`, sender: deps.sender }),
    );
    return true;
  } catch (error) {
    await deps.store.quota.releaseNotice(integration.id, month, kind);
    throw error;
  }
}
