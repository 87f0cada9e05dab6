import { nextTick } from 'vue';
import { createMemoryHistory, createRouter, createWebHistory, type RouteRecordRaw, type RouterHistory } from 'vue-router';
import CreateIntegrationPage from '../pages/create-integration-page.vue';
import IntegrationDetailPage from '../pages/detail/integration-detail-page.vue';
import IntegrationsPage from '../pages/integrations/integrations-page.vue';
import WizardPage from '../pages/wizard/wizard-page.vue';

const KIND_PATTERN = 'salesforce-contacts|salesforce-leads';
const STEP_PATTERN = 'connect|consent|mapping|list|preview';

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'integrations', component: IntegrationsPage },
  { path: `/new/:kind(${KIND_PATTERN})`, name: 'create', component: CreateIntegrationPage, props: true },
  { path: `/:id/setup/:step(${STEP_PATTERN})?`, name: 'wizard', component: WizardPage, props: true },
  { path: '/:id', name: 'detail', component: IntegrationDetailPage, props: true },
  { path: '/:pathMatch(.*)*', redirect: '/' },
];

/**
 * Where the app keeps its route (SPEC §5, packages/contract README):
 * - `browser` (module mode): the host page's own address, under the host-given `basePath`, so a
 *   reload, Back and a shared link land on the same screen;
 * - `memory` (iframe mode, tests): inside the app, starting at `initialPath` (the host's deep link);
 *   the app reports each route to the host, whose address follows.
 */
export type HistoryMode = { kind: 'browser'; basePath: string } | { kind: 'memory'; initialPath?: string | null };

export function createAppHistory(mode: HistoryMode): RouterHistory {
  if (mode.kind === 'browser') return createWebHistory(mode.basePath);
  const history = createMemoryHistory();
  if (mode.initialPath) history.replace(mode.initialPath);
  return history;
}

/** `root` is where focus goes after a navigation (the page's h1), so keyboard users land on the new page. */
export function createAppRouter(history: RouterHistory, getRoot: () => Element | null) {
  const router = createRouter({ history, routes });
  let first = true;
  router.afterEach(async (_to, _from, failure) => {
    if (failure) return;
    if (first) {
      // The host decides where focus is when the app first appears.
      first = false;
      return;
    }
    await nextTick();
    getRoot()?.querySelector<HTMLElement>('[data-focus-heading]')?.focus();
  });
  return router;
}
