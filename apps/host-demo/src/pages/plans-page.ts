import { html } from '../html.ts';
import { layout, type ShellState } from './layout.ts';

/**
 * Where the app's "Upgrade" leads (contract 1.1 `onUpgrade`): a real host opens its billing flow.
 * The demo's accounts have fixed plans, so it says which account has BrevoPlus.
 */
export function plansPage(state: ShellState): string {
  const { t, account } = state;
  const body = html`<div class="page">
    <h1>${t('plansTitle')}</h1>
    <p>${t('plansCurrent', { plan: account.plan })}</p>
    <div class="card">
      <h2>BrevoPlus</h2>
      <p>${t('plansBrevoPlus')}</p>
    </div>
    <p class="muted">${t('plansDemo')}</p>
    <p><a href="/integrations">← ${t('integrations')}</a></p>
  </div>`;
  return layout(state, 'plans', t('plansTitle'), body);
}
