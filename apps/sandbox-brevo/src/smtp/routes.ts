import express, { type Router } from 'express';
import { invalid, missing } from '../errors.ts';
import { bodyObject } from '../http.ts';
import { isPlainObject, normalizeEmail } from '../contacts/normalize.ts';
import { sandboxRequest } from '../request-context.ts';
import type { Inbox, Mailbox } from './inbox.ts';

/** Brevo: at most 2000 recipients per request, names up to 70 characters (SDK SendTransacEmailRequest docs). */
const MAX_RECIPIENTS = 2000;

function mailboxes(value: unknown, field: string, required: boolean): Mailbox[] {
  if (value === undefined || value === null) {
    if (required) throw missing(`${field} is missing`);
    return [];
  }
  if (!Array.isArray(value) || (required && value.length === 0)) throw invalid(`${field} should be a non-empty array`);
  return value.map((item) => mailbox(item, field));
}

function mailbox(value: unknown, field: string): Mailbox {
  if (!isPlainObject(value)) throw invalid(`${field} is not valid`);
  let email: string;
  try {
    email = normalizeEmail(value.email);
  } catch {
    throw invalid(`email is not valid in ${field}`);
  }
  if (value.name !== undefined && (typeof value.name !== 'string' || value.name.length > 70)) throw invalid(`name is not valid in ${field}`);
  return value.name === undefined ? { email } : { email, name: value.name as string };
}

/** POST /smtp/email: validated like Brevo, stored in the sandbox inbox, answered 201 `{ messageId }`. */
export function smtpRouter(inbox: Inbox, now: () => number): Router {
  const router = express.Router();
  router.post('/smtp/email', (req, res) => {
    const { account } = sandboxRequest(req);
    const body = bodyObject(req);
    const templateId = body.templateId;
    if (templateId !== undefined && !Number.isSafeInteger(templateId)) throw invalid('templateId should be type integer');
    if (templateId === undefined) {
      if (body.sender === undefined) throw missing('sender is missing');
      if (typeof body.subject !== 'string' || body.subject === '') throw missing('subject is missing');
      if (typeof body.htmlContent !== 'string' && typeof body.textContent !== 'string') throw missing('htmlContent is missing');
    }
    if (body.messageVersions !== undefined) throw invalid('messageVersions is not supported by the sandbox');
    const to = mailboxes(body.to, 'to', true);
    const cc = mailboxes(body.cc, 'cc', false);
    const bcc = mailboxes(body.bcc, 'bcc', false);
    if (to.length + cc.length + bcc.length > MAX_RECIPIENTS) throw invalid(`A maximum of ${MAX_RECIPIENTS} recipients is allowed`);
    const sender = body.sender === undefined ? { email: 'no-reply@sandbox.test' } : mailbox(body.sender, 'sender');
    const email = inbox.add({
      accountId: account.accountId,
      sentAt: new Date(now()).toISOString(),
      sender,
      to,
      cc,
      bcc,
      ...(body.replyTo !== undefined ? { replyTo: mailbox(body.replyTo, 'replyTo') } : {}),
      subject: typeof body.subject === 'string' ? body.subject : `Template ${String(templateId)}`,
      ...(typeof body.htmlContent === 'string' ? { htmlContent: body.htmlContent } : {}),
      ...(typeof body.textContent === 'string' ? { textContent: body.textContent } : {}),
      ...(typeof templateId === 'number' ? { templateId } : {}),
      ...(isPlainObject(body.params) ? { params: body.params } : {}),
      ...(isPlainObject(body.headers) ? { headers: body.headers } : {}),
      tags: Array.isArray(body.tags) ? body.tags.filter((tag): tag is string => typeof tag === 'string') : [],
    });
    res.status(201).json({ messageId: email.messageId });
  });
  return router;
}
