import type { BrevoClient } from '@getbrevo/brevo';

/**
 * Registers the marketing webhook the Brevo → Salesforce direction lives on:
 * `contactUpdated`, `contactDeleted` and `unsubscribed` (a recipient unsubscribed from a campaign: the
 * opt-out reaches Salesforce), batched, bearer-authenticated with
 * the integration's own secret.
 */
export async function registerContactWebhook(
  client: BrevoClient,
  options: { url: string; secret: string; description: string },
): Promise<number> {
  const created = await client.webhooks.createWebhook({
    url: options.url,
    description: options.description,
    type: 'marketing',
    events: ['contactUpdated', 'contactDeleted', 'unsubscribed'],
    auth: { type: 'bearer', token: options.secret },
    // Up to a batch of events per call: a bulk write (an initial load's import) otherwise queues one call
    // per contact at Brevo, and a marketer's edit made meanwhile is delivered only after all of them.
    batched: true,
  });
  return created.id;
}

export async function deleteWebhook(client: BrevoClient, webhookId: number): Promise<void> {
  try {
    await client.webhooks.deleteWebhook({ webhookId });
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  }
}
