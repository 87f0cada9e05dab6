import type { MountContext } from '@contact-sync/contract';
import { createPinia, getActivePinia, setActivePinia } from 'pinia';
import { createApp, markRaw } from 'vue';
import { createContactSyncApi } from '../api/contact-sync-api.ts';
import { createHttpClient } from '../api/http-client.ts';
import { createAppI18n, resolveLocale } from '../i18n/create-i18n.ts';
import { createAppHistory, createAppRouter, type HistoryMode } from '../router/create-app-router.ts';
import { useContextStore } from '../stores/context.ts';
import { useIntegrationsStore } from '../stores/integrations.ts';
import { useToastsStore } from '../stores/toasts.ts';
import AppRoot from './app-root.vue';
import { DEFAULT_BFF_URL, originOf } from './config.ts';

export interface AppOptions {
  /** BFF base URL without `/api/v1` (default: VITE_BFF_URL). */
  bffUrl?: string;
  fetch?: typeof fetch;
  /** Where toasts go instead of the app's own live region (iframe mode: the host). */
  onToast?: (kind: 'success' | 'error' | 'info', message: string) => void;
  /** Told after each in-app navigation (iframe mode: the host), with whether it replaced the current entry. */
  onNavigate?: (path: string, navigation: { replace: boolean }) => void;
  /** Where the route lives (default: in memory, at `/`); see `HistoryMode`. */
  history?: HistoryMode;
}

/**
 * One self-contained app per mount: its own Vue app, pinia, router and i18n,
 * and an API client that asks the *current* context for a token before every
 * request (contexts change on `update`).
 */
export function createContactSyncApp(initial: MountContext, options: AppOptions = {}) {
  let context = initial;
  let root: Element | null = null;
  const bffUrl = options.bffUrl ?? DEFAULT_BFF_URL;

  const app = createApp(AppRoot);
  const pinia = createPinia();
  const history = createAppHistory(options.history ?? { kind: 'memory' });
  const router = createAppRouter(history, () => root);
  const i18n = createAppI18n(initial.user.locale);
  app.use(pinia).use(router).use(i18n);

  const http = createHttpClient({
    baseUrl: `${bffUrl.replace(/\/+$/, '')}/api/v1`,
    getToken: () => context.getToken(),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const contextStore = useContextStore(pinia);
  contextStore.setContext(initial);
  contextStore.configure(markRaw(createContactSyncApi(http)), originOf(bffUrl));
  const toasts = useToastsStore(pinia);
  if (options.onToast) toasts.forwardTo(options.onToast);
  // A toast shown for an earlier step does not linger over the next one (a toast the navigation itself follows stays).
  router.afterEach((_to, _from, failure) => {
    if (!failure) toasts.dismissStale();
  });
  if (options.onNavigate) {
    const notify = options.onNavigate;
    // vue-router does not say whether a navigation replaced the entry: `router.replace` does.
    let replacing = false;
    const replace = router.replace.bind(router);
    router.replace = (to) => {
      replacing = true;
      return replace(to);
    };
    let first = true;
    router.afterEach((to, _from, failure) => {
      const replaced = replacing || first;
      replacing = false;
      if (failure) return;
      first = false;
      notify(to.fullPath, { replace: replaced });
    });
  }

  return {
    app,
    router,
    pinia,
    i18n,
    mount(element: Element): void {
      root = element;
      app.mount(element);
    },
    update(next: MountContext): void {
      const accountChanged = next.accountId !== context.accountId;
      context = next;
      contextStore.setContext(next);
      i18n.global.locale.value = resolveLocale(next.user.locale);
      if (accountChanged) {
        useIntegrationsStore(pinia).reset();
        void router.push('/');
      }
    },
    /** The host shows `path` (its Back or Forward): the current entry changes, nothing is added. */
    navigate(path: string): void {
      if (path !== router.currentRoute.value.fullPath) void router.replace(path);
    },
    unmount(): void {
      useIntegrationsStore(pinia).stopPolling();
      toasts.clear();
      app.unmount();
      // The browser history listens to the page's popstate: gone with the app.
      history.destroy();
      // pinia keeps the last used instance in a module variable: do not leave ours there.
      if (getActivePinia() === pinia) setActivePinia(undefined);
      root = null;
    },
  };
}

export type ContactSyncApp = ReturnType<typeof createContactSyncApp>;
