import { html, jsonForScript } from '../html.ts';
import { layout, type ShellState } from './layout.ts';

export interface EmbedSettings {
  moduleUrl: string;
  iframeUrl: string;
  webOrigin: string;
}

/** The "+ → Integrations" tab: the microfrontend, mounted by /assets/host.js in the chosen mode. */
export function integrationsPage(state: ShellState, embed: EmbedSettings): string {
  const { account, locale, mode, t } = state;
  const boot = {
    mode,
    moduleUrl: embed.moduleUrl,
    iframeUrl: embed.iframeUrl,
    webOrigin: embed.webOrigin,
    basePath: '/integrations',
    accountId: account.id,
    plan: account.plan,
    user: { id: account.user.id, email: account.user.email, locale },
    messages: { loading: t('loadingApp'), failed: t('appFailed', { error: '{error}' }), title: t('integrations') },
  };
  return layout(
    state,
    'integrations',
    t('integrations'),
    html`<div class="mf" data-mf-root data-mode="${mode}" aria-busy="true">
        <p class="muted" data-mf-status>${t('loadingApp')}</p>
      </div>
      <script type="application/json" id="host-boot">${jsonForScript(boot)}</script>`,
  );
}
