import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createFakeApi } from '../../test-utils/fake-api.ts';
import { makeIntegration } from '../../test-utils/fixtures.ts';
import { render } from '../../test-utils/render.ts';
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
    expect(rows[1]!.get('[data-status="draft"]').text()).toContain('Draft');
    expect(rows[1]!.get('a').attributes('href')).toContain('/setup/mapping');
    expect(wrapper.find('[data-testid="upgrade-notice"]').exists()).toBe(false);
  });

  it('shows a progress bar while the first sync of an active integration runs', async () => {
    const api = createFakeApi();
    api.listIntegrations.mockResolvedValue([
      makeIntegration({ status: 'active', nextStep: null, lastSyncAt: null, sync: { running: true, processed: 40, total: 160 } }),
    ]);
    const { wrapper } = await render(IntegrationsPage, { api });
    await flushPromises();
    const bar = wrapper.get('[role="progressbar"]');
    expect(bar.attributes('aria-valuenow')).toBe('25');
    expect(wrapper.text()).toContain('40 of 160 records');
  });

  it('shows the upgrade notice and no setup links on a free plan (R1)', async () => {
    const { wrapper } = await render(IntegrationsPage, { plan: 'Free' });
    await flushPromises();
    expect(wrapper.get('[data-testid="upgrade-notice"]').text()).toContain('BrevoPlus');
    expect(wrapper.findAll('.cs-card a')).toHaveLength(0);
  });

  it('links each catalog card to the create page', async () => {
    const { wrapper } = await render(IntegrationsPage);
    await flushPromises();
    const links = wrapper.findAll('.cs-card a');
    expect(links.map((link) => link.text())).toEqual(['Set up Salesforce contacts', 'Set up Salesforce leads']);
    expect(links[1]!.attributes('href')).toBe('/integrations/new/salesforce-leads');
  });

  it('is in Italian for an Italian user', async () => {
    const { wrapper } = await render(IntegrationsPage, { locale: 'it', api: apiWithIntegrations() });
    await flushPromises();
    expect(wrapper.get('h1').text()).toBe('Integrazioni');
    expect(wrapper.text()).toContain('Attiva');
    expect(wrapper.text()).toContain('Bozza');
  });
});
