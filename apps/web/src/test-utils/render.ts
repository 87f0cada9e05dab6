import { createTestingPinia } from '@pinia/testing';
import { mount, type ComponentMountingOptions } from '@vue/test-utils';
import type { Pinia } from 'pinia';
import { vi } from 'vitest';
import type { Component } from 'vue';
import type { Router } from 'vue-router';
import type { ContactSyncApi } from '../api/contact-sync-api.ts';
import { createAppI18n } from '../i18n/create-i18n.ts';
import { createAppHistory, createAppRouter } from '../router/create-app-router.ts';
import { useContextStore } from '../stores/context.ts';
import { createFakeApi, type FakeApi } from './fake-api.ts';

export const BFF_ORIGIN = 'http://localhost:4000';

export interface RenderOptions {
  locale?: string;
  plan?: string;
  api?: FakeApi;
  /** Route to navigate to before mounting. */
  route?: string;
  /** Told of every catalogue key the locale lacks (no English fallback then). */
  onMissingKey?: (locale: string, key: string) => void;
  props?: Record<string, unknown>;
}

export interface TestContext {
  pinia: Pinia;
  router: Router;
  api: FakeApi;
}

/** A testing pinia with the context store configured as `mount` would (real actions, spied). */
export function createTestContext(options: RenderOptions = {}): TestContext {
  const api = options.api ?? createFakeApi();
  const pinia = createTestingPinia({ createSpy: vi.fn, stubActions: false });
  const context = useContextStore(pinia);
  context.setContext({
    contractVersion: '1.0.0',
    accountId: 'acc_demo',
    user: { id: 'u1', email: 'marketer@acme.test', locale: options.locale ?? 'en' },
    plan: options.plan ?? 'BrevoPlus',
    basePath: '/integrations',
  });
  context.configure(api as unknown as ContactSyncApi, BFF_ORIGIN);
  const router = createAppRouter(createAppHistory({ kind: 'memory' }), () => document.body);
  return { pinia, router, api };
}

/** Mounts `component` with pinia, router and i18n, attached to the document (focus and dialogs need it). */
export async function render(component: Component, options: RenderOptions = {}, testContext = createTestContext(options)) {
  const { pinia, router } = testContext;
  await router.push(options.route ?? '/');
  await router.isReady();
  const mountOptions = {
    attachTo: document.body,
    props: options.props ?? {},
    global: { plugins: [pinia, router, createAppI18n(options.locale ?? 'en', options.onMissingKey ? { onMissing: options.onMissingKey } : {})] },
  } as ComponentMountingOptions<Component>;
  const wrapper = mount(component, mountOptions);
  return { wrapper, ...testContext };
}
