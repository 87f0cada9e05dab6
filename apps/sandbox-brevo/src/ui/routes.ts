import express, { type Router } from 'express';
import type { AccountState } from '../account-state.ts';
import { formatBrevoDateTime } from '../dates.ts';
import { BrevoApiError } from '../errors.ts';
import type { Contact } from '../contacts/model.ts';
import { normalizeAttributes } from '../contacts/normalize.ts';
import type { Inbox } from '../smtp/inbox.ts';
import type { SandboxState } from '../state.ts';
import { html, page } from './html.ts';

const PAGE_SIZE = 25;

/**
 * The sandbox's own small UI: a marketer's view of the contacts (paged, with
 * attributes and lists), editing attributes and deleting contacts — changes
 * go through the same store as the API, so they fire the same webhooks
 * (with an empty `api_key_name`, as Brevo reports changes not made by API) —
 * and the inbox of transactional emails.
 */
export function uiRouter(state: SandboxState, inbox: Inbox, defaultAccount: string): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '100kb' }));
  const accountOf = (value: unknown): AccountState => state.account(typeof value === 'string' && /^[\w-]{1,64}$/.test(value) ? value : defaultAccount);

  router.get('/', (req, res) => {
    const account = accountOf(req.query.account);
    const pageNumber = Math.max(1, Number.parseInt(String(req.query.page ?? '1'), 10) || 1);
    const { contacts, count } = account.contacts.query({ sort: 'desc' }, (pageNumber - 1) * PAGE_SIZE, PAGE_SIZE);
    const lists = new Map(account.lists.allLists().map((list) => [list.id, list.name]));
    const q = `account=${encodeURIComponent(account.accountId)}`;
    const rows = contacts.map(
      (contact) => html`<tr>
        <td>${contact.id}</td>
        <td>${contact.email ?? ''}${contact.emailBlacklisted ? html` <span class="muted">(blocklisted)</span>` : ''}</td>
        <td><code>${Object.entries(contact.attributes).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : String(v)}`).join(', ')}</code></td>
        <td>${contact.listIds.map((id) => lists.get(id) ?? `#${id}`).join(', ')}</td>
        <td>${formatBrevoDateTime(contact.modifiedAt)}</td>
        <td><a href="/contacts/${contact.id}?${q}">Edit</a>
          <form class="inline" method="post" action="/contacts/${contact.id}/delete?${q}"><button type="submit">Delete</button></form></td>
      </tr>`,
    );
    const pages = Math.max(1, Math.ceil(count / PAGE_SIZE));
    res.type('html').send(
      page(
        'Contacts',
        html`<h1>Contacts of ${account.accountId} <span class="muted">(${count})</span></h1>
        <table><thead><tr><th>ID</th><th>Email</th><th>Attributes</th><th>Lists</th><th>Modified</th><th></th></tr></thead>
        <tbody>${rows}</tbody></table>
        <nav class="pager">
          ${pageNumber > 1 ? html`<a href="/?${q}&page=${pageNumber - 1}">Previous</a>` : ''}
          <span>Page ${pageNumber} of ${pages}</span>
          ${pageNumber < pages ? html`<a href="/?${q}&page=${pageNumber + 1}">Next</a>` : ''}
        </nav>`,
      ),
    );
  });

  router.get('/contacts/:id', (req, res) => {
    const account = accountOf(req.query.account);
    const contact = findContact(account, req.params.id);
    if (!contact) return void res.status(404).type('html').send(page('Not found', html`<p>Contact not found.</p>`));
    res.type('html').send(editPage(account, contact, undefined));
  });

  router.post('/contacts/:id', (req, res) => {
    const account = accountOf(req.query.account);
    const contact = findContact(account, req.params.id);
    if (!contact) return void res.status(404).type('html').send(page('Not found', html`<p>Contact not found.</p>`));
    const form = req.body as Record<string, string | string[]>;
    const raw: Record<string, unknown> = {};
    for (const attribute of account.attributes.list()) {
      const submitted = form[`attr_${attribute.name}`];
      if (submitted === undefined) continue;
      // A multiple-choice attribute's boxes come with an empty hidden entry, so that none ticked clears it.
      const chosen = [submitted].flat().filter((one) => one !== '');
      const value = [submitted].flat()[0] ?? '';
      if (attribute.type === 'multiple-choice') raw[attribute.name] = chosen.length > 0 ? chosen : '';
      else raw[attribute.name] = attribute.type === 'boolean' ? (value === '' ? '' : value === 'true') : value;
    }
    if (typeof form.email === 'string') raw.EMAIL = form.email.trim();
    try {
      const { values, email } = normalizeAttributes(raw, account.attributes, true);
      account.contacts.update(contact, { attributes: values, ...(email !== undefined ? { email } : {}) }, { apiKeyName: '' });
    } catch (error) {
      if (!(error instanceof BrevoApiError)) throw error;
      return void res.status(400).type('html').send(editPage(account, contact, error.message));
    }
    res.redirect(303, `/?account=${encodeURIComponent(account.accountId)}`);
  });

  // What a recipient's click on a campaign's unsubscribe link does.
  router.post('/contacts/:id/unsubscribe', (req, res) => {
    const account = accountOf(req.query.account);
    const contact = findContact(account, req.params.id);
    if (contact) account.contacts.unsubscribe(contact);
    res.redirect(303, `/?account=${encodeURIComponent(account.accountId)}`);
  });

  router.post('/contacts/:id/delete', (req, res) => {
    const account = accountOf(req.query.account);
    const contact = findContact(account, req.params.id);
    if (contact) account.contacts.delete(contact, { apiKeyName: '' });
    res.redirect(303, `/?account=${encodeURIComponent(account.accountId)}`);
  });

  router.get('/inbox', (_req, res) => {
    const emails = [...inbox.all()].reverse();
    const items = emails.map(
      (email) => html`<section>
        <h2>${email.subject}</h2>
        <p><strong>From</strong> ${email.sender.name ? `${email.sender.name} <${email.sender.email}>` : email.sender.email}
        · <strong>To</strong> ${email.to.map((to) => to.email).join(', ')}
        · <span class="muted">${email.sentAt} · ${email.messageId} · ${email.accountId}</span></p>
        ${email.htmlContent !== undefined ? html`<iframe sandbox="" title="${email.subject}" srcdoc="${email.htmlContent}"></iframe>` : ''}
        ${email.textContent !== undefined ? html`<pre>${email.textContent}</pre>` : ''}
      </section>`,
    );
    res.type('html').send(page('Inbox', html`<h1>Inbox <span class="muted">(${emails.length})</span></h1>${items.length ? items : html`<p>No email sent yet.</p>`}`));
  });

  return router;
}

function findContact(account: AccountState, id: string): Contact | undefined {
  return /^\d+$/.test(id) ? account.contacts.get(Number(id)) : undefined;
}

function editPage(account: AccountState, contact: Contact, error: string | undefined): string {
  const fields = account.attributes
    .list()
    .filter((a) => (a.category === 'normal' || a.category === 'category') && a.name !== 'EMAIL')
    .map((attribute) => {
      const current = contact.attributes[attribute.name];
      const value = current === undefined ? '' : Array.isArray(current) ? current.join('|') : String(current);
      const input =
        attribute.category === 'category'
          ? html`<select name="attr_${attribute.name}"><option value=""></option>${(attribute.enumeration ?? []).map((item) => html`<option value="${item.label}" ${item.label === value ? 'selected' : ''}>${item.label}</option>`)}</select>`
          : attribute.type === 'boolean'
            ? html`<select name="attr_${attribute.name}"><option value=""></option><option value="true" ${value === 'true' ? 'selected' : ''}>true</option><option value="false" ${value === 'false' ? 'selected' : ''}>false</option></select>`
            : attribute.type === 'multiple-choice'
              ? html`<input type="hidden" name="attr_${attribute.name}" value="">${(attribute.multiCategoryOptions ?? []).map((option) => html`<label><input type="checkbox" name="attr_${attribute.name}" value="${option}" ${Array.isArray(current) && current.includes(option) ? 'checked' : ''}> ${option}</label>`)}`
              : html`<input name="attr_${attribute.name}" value="${value}" ${attribute.type === 'date' ? html`placeholder="YYYY-MM-DD"` : ''}>`;
      if (attribute.type === 'multiple-choice') return html`<fieldset><legend>${attribute.name}</legend> ${input} <span class="muted">${attribute.type}</span></fieldset>`;
      return html`<label><span>${attribute.name}</span> ${input} <span class="muted">${attribute.type ?? attribute.category}</span></label>`;
    });
  return page(
    `Contact ${contact.id}`,
    html`<h1>Contact ${contact.id}</h1>
    ${error ? html`<p role="alert" style="color:#b91c1c">${error}</p>` : ''}
    <form method="post" action="/contacts/${contact.id}?account=${encodeURIComponent(account.accountId)}">
      <label><span>EMAIL</span> <input name="email" value="${contact.email ?? ''}"></label>
      ${fields}
      <button type="submit">Save</button> <a href="/?account=${encodeURIComponent(account.accountId)}">Cancel</a>
    </form>
    ${contact.emailBlacklisted
      ? html`<p class="muted">This email is blocklisted.</p>`
      : html`<form method="post" action="/contacts/${contact.id}/unsubscribe?account=${encodeURIComponent(account.accountId)}">
          <button type="submit">Unsubscribe, as the recipient would from a campaign</button>
        </form>`}`,
  );
}
