import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brevoError, startSandbox, type StartedSandbox } from '../test-support.ts';

let sandbox: StartedSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: { contacts: 0 } });
});
afterAll(() => sandbox.stop());

describe('transactional email', () => {
  it('accepts an email with 201 { messageId } and shows it in the inbox (JSON and page, escaped)', async () => {
    const response = await sandbox.client.transactionalEmails
      .sendTransacEmail({
        sender: { email: 'quota@contact-sync.test', name: 'Contact sync' },
        to: [{ email: 'owner@acme.test', name: 'Owner' }],
        subject: 'Quota at 80% <script>alert(1)</script>',
        htmlContent: '<p>Your integration used 80% of its quota.</p>',
        textContent: 'Your integration used 80% of its quota.',
        tags: ['quota'],
      })
      .withRawResponse();
    expect(response.rawResponse.status).toBe(201);
    expect(response.data.messageId).toMatch(/^<.+@smtp-relay\.mailin\.fr>$/);

    const inbox = (await (await fetch(`${sandbox.url}/__sandbox/inbox`)).json()) as { emails: { messageId: string; subject: string; to: { email: string }[]; accountId: string }[] };
    expect(inbox.emails.at(-1)).toMatchObject({ messageId: response.data.messageId, to: [{ email: 'owner@acme.test', name: 'Owner' }], accountId: 'acc_demo', tags: ['quota'] });
    const page = await (await fetch(`${sandbox.url}/inbox`)).text();
    expect(page).toContain('Quota at 80% &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert(1)</script>');
  });

  it('refuses an email without recipients or content as Brevo does', async () => {
    const noTo = await brevoError(sandbox.client.transactionalEmails.sendTransacEmail({ sender: { email: 'a@example.test' }, subject: 's', htmlContent: 'x' }));
    expect(noTo.statusCode).toBe(400);
    expect((noTo.body as { code: string }).code).toBe('missing_parameter');
    const noContent = await brevoError(sandbox.client.transactionalEmails.sendTransacEmail({ sender: { email: 'a@example.test' }, to: [{ email: 'b@example.test' }], subject: 's' }));
    expect((noContent.body as { code: string }).code).toBe('missing_parameter');
    const badTo = await brevoError(sandbox.client.transactionalEmails.sendTransacEmail({ sender: { email: 'a@example.test' }, to: [{ email: 'nope' }], subject: 's', textContent: 'x' }));
    expect((badTo.body as { code: string }).code).toBe('invalid_parameter');
  });
});
