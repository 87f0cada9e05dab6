import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { useContextStore } from '../../stores/context.ts';
import { createFakeApi } from '../../test-utils/fake-api.ts';
import { makeIntegration } from '../../test-utils/fixtures.ts';
import { createTestContext, render } from '../../test-utils/render.ts';
import IntegrationsPage from './integrations-page.vue';

function apiWithIntegrations() {
  const api = createFakeApi();
  api.listIntegrations.mockResolvedValue([
    makeIntegration({
      id: 'a'.repeat(24),
      name: 'Acme contacts',
      status: 'active',
      nextStep: null,
      list: { id: 2, name: 'Newsletter' },
      lastSyncAt: '2026-11-27T10:05:00.000Z',
      quota: { used: 85_000, limit: 100_000, month: '2026-11' },
    }),
    makeIntegration({ id: 'b'.repeat(24), name: 'Leads draft', kind: 'salesforce-leads', status: 'draft', nextStep: 'mapping' }),
  ]);
  return api;
}

describe('integrations page', () => {
  it('shows the catalog and the account’s integrations with status, list, last sync and quota', async () => {
    const { wrapper } = await render(IntegrationsPage, { api: apiWithIntegrations() });
    await flushPromises();
    expect(wrapper.get('h1').text()).toBe('Integrations');
    expect(wrapper.findAll('.cs-card__title').map((card) => card.text())).toEqual(['Salesforce contacts', 'Salesforce leads']);
    const rows = wrapper.findAll('tbody tr');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.text()).toContain('Acme contacts');
    expect(rows[0]!.text()).toContain('Newsletter');
    expect(rows[0]!.get('[data-status="active"]').text()).toContain('Active');
    expect(rows[0]!.get('[role="meter"]').attributes('aria-valuenow')).toBe('85000');
    expect(rows[0]!.get('[role="meter"]').attributes('data-level')).toBe('warning');
    // Labelled: how much, of what, and when it starts again (the first of next month, UTC).
    expect(rows[0]!.get('[role="meter"]').attributes('aria-label')).toBe('85,000 of 100,000 operations this month, resets on Dec 1, 2026');
    expect(rows[1]!.get('[data-status="draft"]').text()).toContain('Draft');
    expect(rows[1]!.get('a').attributes('href')).toContain('/setup/mapping');
    expect(wrapper.find('[data-testid="upgrade-notice"]').exists()).toBe(false);
  });

  it('shows a progress bar with the time left while the first sync of an active integration runs', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-27T10:01:00Z'));
    const api = createFakeApi();
    api.listIntegrations.mockResolvedValue([
      makeIntegration({ status: 'active', nextStep: null, lastSyncAt: null, sync: { running: true, processed: 40, total: 160, startedAt: '2026-11-27T10:00:00Z' } }),
    ]);
    const { wrapper } = await render(IntegrationsPage, { api });
    await flushPromises();
    const bar = wrapper.get('[role="progressbar"]');
    expect(bar.attributes('aria-valuenow')).toBe('25');
    expect(wrapper.text()).toContain('40 of 160 records');
    // 40 records in the first minute: 120 left take about 3 more.
    expect(wrapper.text()).toContain('about 3 minutes left');
    vi.useRealTimers();
  });

  it('shows one upgrade notice, no setup links and an empty list that points at none on a free plan (R1)', async () => {
    const { wrapper } = await render(IntegrationsPage, { plan: 'Free' });
    await flushPromises();
    const notices = wrapper.findAll('[data-testid="upgrade-notice"]');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text()).toContain('BrevoPlus');
    // The host offers no upgrade flow here: the notice says who can upgrade instead of a dead button.
    expect(notices[0]!.find('button').exists()).toBe(false);
    expect(notices[0]!.text()).toContain('Ask the owner of this Brevo account to upgrade the plan.');
    expect(wrapper.findAll('.cs-card a')).toHaveLength(0);
    expect(wrapper.get('.cs-empty').text()).toBe('No integration yet.');
    expect(wrapper.text()).not.toContain('catalog above');
  });

  it("hands Upgrade to the host's own flow (contract 1.1 onUpgrade)", async () => {
    const context = createTestContext({ plan: 'Free' });
    const onUpgrade = vi.fn();
    const contextStore = useContextStore(context.pinia);
    contextStore.setContext({ ...contextStore.context!, getToken: async () => 't', onUpgrade });
    const { wrapper } = await render(IntegrationsPage, { plan: 'Free' }, context);
    await flushPromises();
    await wrapper.get('[data-testid="upgrade-notice"] button').trigger('click');
    expect(onUpgrade).toHaveBeenCalledOnce();
  });

  it("sets each name in its own direction: a right-to-left name does not reorder the row's other cells", async () => {
    const api = createFakeApi();
    api.listIntegrations.mockResolvedValue([makeIntegration({ id: 'c'.repeat(24), name: 'جهات اتصال 2026', status: 'active', nextStep: null })]);
    const { wrapper } = await render(IntegrationsPage, { api });
    await flushPromises();
    const link = wrapper.get('tbody tr a');
    expect(link.text()).toBe('جهات اتصال 2026');
    expect(link.attributes('dir')).toBe('auto');
  });

  it('links each catalog card to the create page', async () => {
    const { wrapper } = await render(IntegrationsPage);
    await flushPromises();
    const links = wrapper.findAll('.cs-card a');
    expect(links.map((link) => link.text())).toEqual(['Set up Salesforce contacts', 'Set up Salesforce leads']);
    expect(links[1]!.attributes('href')).toBe('/new/salesforce-leads');
  });

  it('is in Italian for an Italian user', async () => {
    const { wrapper } = await render(IntegrationsPage, { locale: 'it', api: apiWithIntegrations() });
    await flushPromises();
    expect(wrapper.get('h1').text()).toBe('Integrazioni');
    expect(wrapper.text()).toContain('Attiva');
    expect(wrapper.text()).toContain('Bozza');
  });
});
