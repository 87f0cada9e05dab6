import type { DemoAccount, EmbedMode, Locale } from '../accounts.ts';
import { html, type RawHtml } from '../html.ts';
import type { Translate } from '../messages.ts';

export interface ShellState {
  account: DemoAccount;
  accounts: DemoAccount[];
  locale: Locale;
  mode: EmbedMode;
  t: Translate;
  /** The current path, to return to after a switch. */
  path: string;
}

type Section = 'integrations' | 'contacts' | 'inbox' | 'plans';

function preferences({ account, accounts, locale, mode, t, path }: ShellState): RawHtml {
  return html`<form class="prefs" method="post" action="/host/preferences" data-auto-submit>
    <input type="hidden" name="returnTo" value="${path}">
    <label class="prefs__field"><span>${t('account')}</span>
      <select name="account">${accounts.map(
        (candidate) => html`<option value="${candidate.id}" ${candidate.id === account.id ? html`selected` : ''}>${candidate.id} · ${candidate.plan}</option>`,
      )}</select>
    </label>
    <label class="prefs__field"><span>${t('language')}</span>
      <select name="locale">
        <option value="en" ${locale === 'en' ? html`selected` : ''}>English</option>
        <option value="it" ${locale === 'it' ? html`selected` : ''}>Italiano</option>
      </select>
    </label>
    <fieldset class="prefs__mode"><legend>${t('embedding')}</legend>
      <label><input type="radio" name="mode" value="module" ${mode === 'module' ? html`checked` : ''}> ${t('module')}</label>
      <label><input type="radio" name="mode" value="iframe" ${mode === 'iframe' ? html`checked` : ''}> ${t('iframe')}</label>
    </fieldset>
    <button type="submit" class="prefs__apply">${t('apply')}</button>
  </form>`;
}

/** The Brevo-style shell: top bar with the "+" menu, sidebar, main area. */
export function layout(state: ShellState, section: Section, title: string, content: RawHtml, extraHead: RawHtml = html``): string {
  const { account, locale, t } = state;
  const current = (name: Section) => (name === section ? html`aria-current="page"` : '');
  return `<!doctype html>${html`<html lang="${locale}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title} · Brevo demo</title>
  <link rel="stylesheet" href="/assets/host.css">
  ${extraHead}
  <script type="module" src="/assets/host.js"></script>
</head>
<body>
  <a class="skip" href="#main">${t('skip')}</a>
  <header class="topbar">
    <a class="brand" href="/integrations"><span class="brand__mark" aria-hidden="true">b</span><span class="brand__name">brevo</span><span class="brand__tag">demo</span></a>
    <nav class="create" aria-label="${t('createMenu')}">
      <button type="button" class="create__toggle" aria-expanded="false" aria-controls="create-menu" data-create-toggle><span aria-hidden="true">+</span><span class="visually-hidden">${t('create')}</span></button>
      <ul id="create-menu" class="create__menu" hidden>
        <li><span class="create__item create__item--soon" aria-disabled="true">${t('campaign')} <small>(${t('soon')})</small></span></li>
        <li><a class="create__item" href="/contacts">${t('contact')}</a></li>
        <li><a class="create__item" href="/integrations" data-tab="integrations">${t('integrations')}</a></li>
      </ul>
    </nav>
    <div class="topbar__spacer"></div>
    ${preferences(state)}
    <div class="whoami" title="${account.user.email}"><span class="whoami__avatar" aria-hidden="true">${account.user.name.slice(0, 1)}</span><span><strong>${account.name}</strong><br><small>${t('plan', { plan: account.plan })}</small></span></div>
  </header>
  <div class="frame">
    <nav class="sidebar" aria-label="${t('sections')}">
      <ul>
        <li><span class="sidebar__item sidebar__item--soon" aria-disabled="true">${t('dashboard')}</span></li>
        <li><span class="sidebar__item sidebar__item--soon" aria-disabled="true">${t('campaigns')}</span></li>
        <li><a class="sidebar__item" href="/contacts" ${current('contacts')}>${t('contacts')}</a></li>
        <li><a class="sidebar__item" href="/integrations" ${current('integrations')}>${t('integrations')}</a></li>
        <li><a class="sidebar__item" href="/inbox" ${current('inbox')}>${t('inbox')}</a></li>
      </ul>
    </nav>
    <main id="main" class="main" tabindex="-1">
      ${content}
    </main>
  </div>
  <div class="toasts" role="status" aria-live="polite" data-toasts></div>
</body>
</html>`}`;
}
