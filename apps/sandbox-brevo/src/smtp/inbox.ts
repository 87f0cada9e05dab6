import { randomUUID } from 'node:crypto';

export interface Mailbox {
  email: string;
  name?: string;
}

export interface SentEmail {
  messageId: string;
  accountId: string;
  sentAt: string;
  sender: Mailbox;
  to: Mailbox[];
  cc: Mailbox[];
  bcc: Mailbox[];
  replyTo?: Mailbox;
  subject: string;
  htmlContent?: string;
  textContent?: string;
  templateId?: number;
  params?: Record<string, unknown>;
  tags: string[];
  headers?: Record<string, unknown>;
}

/** Every transactional email the sandbox accepted, newest last; nothing is really sent. */
export class Inbox {
  private emails: SentEmail[] = [];

  constructor(private readonly limit = 5_000) {}

  add(email: Omit<SentEmail, 'messageId'>): SentEmail {
    // Brevo message ids look like `<202401151027.12345678901@smtp-relay.mailin.fr>`.
    const stamp = email.sentAt.replace(/\D/g, '').slice(0, 12);
    const stored = { ...email, messageId: `<${stamp}.${randomUUID().replace(/-/g, '').slice(0, 12)}@smtp-relay.mailin.fr>` };
    this.emails.push(stored);
    if (this.emails.length > this.limit) this.emails.shift();
    return stored;
  }

  all(): SentEmail[] {
    return this.emails;
  }

  clear(): void {
    this.emails = [];
  }
}
