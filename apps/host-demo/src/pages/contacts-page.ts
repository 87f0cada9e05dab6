import type { BrevoContact } from '../brevo-client.ts';
import { html, type RawHtml } from '../html.ts';
import { layout, type ShellState } from './layout.ts';

export const CONTACTS_PAGE_SIZE = 20;

export interface ContactsView {
  contacts: BrevoContact[];
  count: number;
  offset: number;
  notice?: 'saved' | 'deleted';
  error?: string;
  brevoConfigured: boolean;
}

const attr = (contact: BrevoContact, name: string) => {
  const value = contact.attributes[name];
  return value === undefined || value === null ? '' : String(value);
};

function contactsTable(state: ShellState, view: ContactsView): RawHtml {
  const { t } = state;
  return html`<div class="table-wrap"><table class="table">
    <thead><tr>
      <th scope="col">${t('email')}</th><th scope="col">${t('firstName')}</th><th scope="col">${t('lastName')}</th>
      <th scope="col">${t('sms')}</th><th scope="col">${t('extId')}</th><th scope="col">${t('lists')}</th>
      <th scope="col">${t('modified')}</th><th scope="col">${t('actions')}</th>
    </tr></thead>
    <tbody>${view.contacts.map((contact) => {
      const label = contact.email ?? attr(contact, 'SMS') ?? String(contact.id);
      return html`<tr data-contact-id="${contact.id}">
        <th scope="row">${contact.email ?? '—'}</th>
        <td>${attr(contact, 'FIRSTNAME')}</td><td>${attr(contact, 'LASTNAME')}</td><td>${attr(contact, 'SMS')}</td>
        <td><code>${attr(contact, 'EXT_ID')}</code></td><td>${contact.listIds.join(', ')}</td>
        <td>${contact.modifiedAt ? new Date(contact.modifiedAt).toLocaleString(state.locale === 'it' ? 'it-IT' : 'en-GB') : ''}</td>
        <td class="row-actions">
          <a class="button button--small button--secondary" href="/contacts/${contact.id}/edit" aria-label="${t('editContact', { email: label })}">${t('edit')}</a>
          <form method="post" action="/contacts/${contact.id}/delete" data-confirm="${t('confirmDelete')}">
            <button type="submit" class="button button--small button--danger" aria-label="${t('deleteContact', { email: label })}">${t('delete')}</button>
          </form>
        </td>
      </tr>`;
    })}</tbody>
  </table></div>`;
}

function pager(state: ShellState, view: ContactsView): RawHtml {
  const { t } = state;
  if (view.count <= CONTACTS_PAGE_SIZE) return html``;
  const from = view.offset + 1;
  const to = Math.min(view.offset + CONTACTS_PAGE_SIZE, view.count);
  const previous = Math.max(0, view.offset - CONTACTS_PAGE_SIZE);
  const next = view.offset + CONTACTS_PAGE_SIZE;
  return html`<nav class="pager" aria-label="${t('pageOf', { from, to, count: view.count })}">
    <span>${t('pageOf', { from, to, count: view.count })}</span>
    ${view.offset > 0 ? html`<a class="button button--secondary button--small" href="/contacts?offset=${previous}">${t('previous')}</a>` : ''}
    ${next < view.count ? html`<a class="button button--secondary button--small" href="/contacts?offset=${next}">${t('next')}</a>` : ''}
  </nav>`;
}

export function contactsPage(state: ShellState, view: ContactsView): string {
  const { t } = state;
  const body = html`<div class="page">
    <h1>${t('contactsTitle')}</h1>
    <p class="muted">${t('contactsIntro')}</p>
    ${view.notice ? html`<p class="alert alert--success" role="status">${t(view.notice)}</p>` : ''}
    ${view.error ? html`<p class="alert alert--error" role="alert">${t('brevoError', { message: view.error })}</p>` : ''}
    ${!view.brevoConfigured
      ? html`<p class="alert alert--info">${t('noBrevo')}</p>`
      : view.contacts.length === 0 && !view.error
        ? html`<p class="empty">${t('noContacts')}</p>`
        : html`${contactsTable(state, view)}${pager(state, view)}`}
  </div>`;
  return layout(state, 'contacts', t('contactsTitle'), body);
}

export function contactEditPage(state: ShellState, contact: BrevoContact, error?: string): string {
  const { t } = state;
  const label = contact.email ?? String(contact.id);
  const field = (name: string, key: 'email' | 'firstName' | 'lastName' | 'sms', type = 'text') =>
    html`<div class="field"><label for="f-${name}">${t(key)}</label><input id="f-${name}" name="${name}" type="${type}" value="${name === 'EMAIL' ? (contact.email ?? '') : attr(contact, name)}" autocomplete="off"></div>`;
  const body = html`<div class="page">
    <p><a href="/contacts">← ${t('contactsTitle')}</a></p>
    <h1>${t('editContact', { email: label })}</h1>
    ${error ? html`<p class="alert alert--error" role="alert">${t('brevoError', { message: error })}</p>` : ''}
    <form class="card form" method="post" action="/contacts/${contact.id}">
      ${field('EMAIL', 'email', 'email')}
      ${field('FIRSTNAME', 'firstName')}
      ${field('LASTNAME', 'lastName')}
      ${field('SMS', 'sms', 'tel')}
      <div class="actions"><button type="submit" class="button">${t('save')}</button><a class="button button--secondary" href="/contacts">${t('cancel')}</a></div>
    </form>
  </div>`;
  return layout(state, 'contacts', t('editContact', { email: label }), body);
}
