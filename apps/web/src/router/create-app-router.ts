import { nextTick } from 'vue';
import { createMemoryHistory, createRouter, type RouteRecordRaw } from 'vue-router';
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
 * Memory history: the host owns the address bar. `root` is where focus goes
 * after a navigation (the page's h1), so keyboard users land on the new page.
 */
export function createAppRouter(basePath: string, getRoot: () => Element | null) {
  const router = createRouter({ history: createMemoryHistory(basePath), routes });
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
