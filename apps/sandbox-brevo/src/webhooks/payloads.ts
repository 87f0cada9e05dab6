import { createHash } from 'node:crypto';
import { formatWebhookDate } from '../dates.ts';
import type { ContactEvent } from '../contacts/store.ts';
import type { Webhook } from './registry.ts';

export type MarketingPayload = Record<string, unknown>;

/**
 * Marketing webhook bodies as developers.brevo.com/docs/marketing-webhooks
 * lists them: `event` (snake_case, unlike the API's camelCase subscription
 * names), `email`, `id` (the webhook's id), `key`, `date` (Paris wall clock),
 * `ts` (seconds); `contact_updated` adds `content` (the changed attributes)
 * and, since the 2026-11-01 changelog, `api_key_name` (the key that made the
 * change, '' when it was not made through the API) so an integration can
 * ignore echoes of its own writes. `list_addition` carries `list_id`. `unsubscribed` (a recipient
 * unsubscribed from a campaign) has the campaign fields the page lists for every campaign event
 * (`camp_id`, `campaign name`, `tag`, `date_sent`/`date_event`, `ts_sent`/`ts_event`); the sandbox sends
 * no campaigns, so they name none.
 */
export function payloadsFor(event: ContactEvent, webhook: Webhook, accountKey: string): MarketingPayload[] {
  const common = { id: webhook.id, email: event.contact.email ?? '', key: accountKey, date: formatWebhookDate(event.at), ts: Math.floor(event.at / 1000) };
  const payloads: MarketingPayload[] = [];
  if (event.kind === 'deleted') {
    if (webhook.events.includes('contactDeleted')) payloads.push({ ...common, event: 'contact_deleted' });
    return payloads;
  }
  if (event.kind === 'unsubscribed') {
    const at = common.date;
    if (webhook.events.includes('unsubscribed')) {
      payloads.push({ ...common, event: 'unsubscribed', camp_id: 0, 'campaign name': '', tag: '', date_sent: at, date_event: at, ts_sent: common.ts, ts_event: common.ts });
    }
    return payloads;
  }
  if (webhook.events.includes('contactUpdated')) {
    payloads.push({ ...common, event: 'contact_updated', content: [event.content], api_key_name: event.context.apiKeyName });
  }
  if (webhook.events.includes('listAddition') && event.addedListIds.length > 0) {
    payloads.push({ ...common, event: 'list_addition', list_id: event.addedListIds, api_key_name: event.context.apiKeyName });
  }
  return payloads;
}

/** Brevo's per-account webhook `key`: opaque and stable. */
export function accountWebhookKey(accountId: string): string {
  return createHash('sha256').update(`brevo-sandbox:${accountId}`).digest('hex').slice(0, 32);
}
