import type { SentEmail } from '../brevo-client.ts';
import { html } from '../html.ts';
import { layout, type ShellState } from './layout.ts';

/** The Brevo sandbox's inbox for this account (quota warnings and other notifications land here). */
export function inboxPage(state: ShellState, emails: SentEmail[], error?: string): string {
  const { t } = state;
  const body = html`<div class="page">
    <h1>${t('inboxTitle')}</h1>
    <p class="muted">${t('inboxIntro')}</p>
    ${error ? html`<p class="alert alert--error" role="alert">${t('brevoError', { message: error })}</p>` : ''}
    ${emails.length === 0 && !error ? html`<p class="empty">${t('noEmails')}</p>` : ''}
    <ul class="inbox">${emails.map(
      (email) => html`<li class="card inbox__item" data-message-id="${email.messageId}">
        <details>
          <summary><strong>${email.subject}</strong> <span class="muted">· ${t('to')} ${email.to.map((to) => to.email).join(', ')} · ${new Date(email.sentAt).toLocaleString(state.locale === 'it' ? 'it-IT' : 'en-GB')}</span></summary>
          <pre class="inbox__body">${email.textContent ?? stripTags(email.htmlContent ?? '')}</pre>
        </details>
      </li>`,
    )}</ul>
  </div>`;
  return layout(state, 'inbox', t('inboxTitle'), body);
}

function stripTags(value: string): string {
  return value.replace(/<(script|style)[\s\S]*?<\/\1>/gi, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}
