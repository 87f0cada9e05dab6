import type { MountContext } from '@contact-sync/contract';
import { createPinia, getActivePinia, setActivePinia } from 'pinia';
import { createApp, markRaw } from 'vue';
import { createContactSyncApi } from '../api/contact-sync-api.ts';
import { createHttpClient } from '../api/http-client.ts';
import { createAppI18n, resolveLocale } from '../i18n/create-i18n.ts';
import { createAppRouter } from '../router/create-app-router.ts';
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
  /** Told after each in-app navigation (iframe mode: the host). */
  onNavigate?: (path: string) => void;
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
  const router = createAppRouter(initial.basePath, () => root);
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
  if (options.onToast) useToastsStore(pinia).forwardTo(options.onToast);
  if (options.onNavigate) {
    const notify = options.onNavigate;
    router.afterEach((to, _from, failure) => {
      if (!failure) notify(to.fullPath);
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
    navigate(path: string): void {
      void router.push(path);
    },
    unmount(): void {
      useIntegrationsStore(pinia).stopPolling();
      useToastsStore(pinia).clear();
      app.unmount();
      // pinia keeps the last used instance in a module variable: do not leave ours there.
      if (getActivePinia() === pinia) setActivePinia(undefined);
      root = null;
    },
  };
}

export type ContactSyncApp = ReturnType<typeof createContactSyncApp>;
