import type { BrevoClient } from '@getbrevo/brevo';

/**
 * Registers the marketing webhook the Brevo → Salesforce direction lives on:
 * `contactUpdated` and `contactDeleted`, bearer-authenticated with the
 * integration's own secret.
 */
export async function registerContactWebhook(
  client: BrevoClient,
  options: { url: string; secret: string; description: string },
): Promise<number> {
  const created = await client.webhooks.createWebhook({
    url: options.url,
    description: options.description,
    type: 'marketing',
    events: ['contactUpdated', 'contactDeleted'],
    auth: { type: 'bearer', token: options.secret },
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
