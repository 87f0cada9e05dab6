import { CONTRACT_VERSION } from '@contact-sync/contract';
import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { createContactSyncApp } from './create-contact-sync-app.ts';

const context = {
  contractVersion: CONTRACT_VERSION,
  accountId: 'acc_demo',
  user: { id: 'u1', email: 'marketer@acme.test', locale: 'en' },
  plan: 'BrevoPlus',
  basePath: '/integrations',
  getToken: async () => 'token',
};
const fetch = vi.fn(async () => new Response(JSON.stringify({ integrations: [] }), { status: 200, headers: { 'Content-Type': 'application/json' } }));

describe('iframe mode: the app tells the host each route, so the host’s address follows', () => {
  it('starts at the host’s deep link, and reports pushes, replaces and the host’s own navigations', async () => {
    const onNavigate = vi.fn();
    const instance = createContactSyncApp(context, { bffUrl: 'http://bff.test', fetch, history: { kind: 'memory', initialPath: '/new/salesforce-leads' }, onNavigate });
    instance.mount(document.body.appendChild(document.createElement('div')));
    await instance.router.isReady();
    expect(instance.router.currentRoute.value.name).toBe('create');

    await instance.router.push('/');
    await instance.router.replace('/new/salesforce-contacts');
    // Back in the host: shown without a new entry, reported as a replace (the host's address already says it).
    instance.navigate('/');
    await flushPromises();
    expect(onNavigate.mock.calls).toEqual([
      ['/new/salesforce-leads', { replace: true }],
      ['/', { replace: false }],
      ['/new/salesforce-contacts', { replace: true }],
      ['/', { replace: true }],
    ]);
    instance.unmount();
  });
});
