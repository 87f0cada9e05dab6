import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-error.ts';
import { render } from '../test-utils/render.ts';
import CreateIntegrationPage from './create-integration-page.vue';

const renderPage = (options: { plan?: string; locale?: string } = {}) =>
  render(CreateIntegrationPage, { ...options, route: '/new/salesforce-leads', props: { kind: 'salesforce-leads' } });

describe('create integration page', () => {
  it('has a labelled name field and the Create integration button', async () => {
    const { wrapper } = await renderPage();
    expect(wrapper.get('h1').text()).toContain('Salesforce leads');
    expect(wrapper.get('label[for="cs-integration-name"]').text()).toBe('Name');
    expect(wrapper.get('button[type="submit"]').text()).toBe('Create integration');
  });

  it('requires a name (R2) without calling the API', async () => {
    const { wrapper, api } = await renderPage();
    await wrapper.get('input').setValue('   ');
    await wrapper.get('form').trigger('submit');
    expect(wrapper.get('[data-testid="name-error"]').text()).toContain('Enter a name for the integration.');
    expect(wrapper.get('input').attributes('aria-invalid')).toBe('true');
    expect(api.createIntegration).not.toHaveBeenCalled();
  });

  it('rejects a name over 100 characters as the user types', async () => {
    const { wrapper, api } = await renderPage();
    await wrapper.get('input').setValue('x'.repeat(101));
    await wrapper.get('input').trigger('blur');
    expect(wrapper.get('[data-testid="name-error"]').text()).toContain('The name can be at most 100 characters long.');
    await wrapper.get('form').trigger('submit');
    expect(api.createIntegration).not.toHaveBeenCalled();
  });

  it('creates the draft with the trimmed name and opens the wizard', async () => {
    const { wrapper, api, router } = await renderPage();
    await wrapper.get('input').setValue('  Leads from Acme  ');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(api.createIntegration).toHaveBeenCalledWith('salesforce-leads', 'Leads from Acme');
    expect(router.currentRoute.value.name).toBe('wizard');
    expect(router.currentRoute.value.params.step).toBe('connect');
  });

  it('shows a taken name (409) under the form', async () => {
    const { wrapper, api, router } = await renderPage();
    api.createIntegration.mockRejectedValueOnce(new ApiError(409, 'name_taken', 'An integration with this name already exists.'));
    await wrapper.get('input').setValue('Acme');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toContain('An integration with this name already exists.');
    expect(router.currentRoute.value.name).toBe('create');
  });

  it('shows the upgrade notice instead of the form on a free plan (R1)', async () => {
    const { wrapper } = await renderPage({ plan: 'Free' });
    expect(wrapper.find('form').exists()).toBe(false);
    expect(wrapper.get('[data-testid="upgrade-notice"]').text()).toContain('BrevoPlus');
  });

  it('speaks Italian', async () => {
    const { wrapper } = await renderPage({ locale: 'it' });
    expect(wrapper.get('button[type="submit"]').text()).toBe('Crea integrazione');
  });
});
