import type { BrevoClient } from '@getbrevo/brevo';

export interface NotificationEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  sender: { email: string; name: string };
}

/** POST /smtp/email: the quota notices (R16) go to the account's notification address. */
export async function sendNotificationEmail(client: BrevoClient, email: NotificationEmail): Promise<string | undefined> {
  const result = await client.transactionalEmails.sendTransacEmail({
    sender: email.sender,
    to: [{ email: email.to }],
    subject: email.subject,
    textContent: email.text,
    htmlContent: email.html,
  });
  return result.messageId;
}
