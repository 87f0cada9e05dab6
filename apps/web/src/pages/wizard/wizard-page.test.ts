import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createFakeApi } from '../../test-utils/fake-api.ts';
import { CONNECTED, INTEGRATION_ID, makeIntegration } from '../../test-utils/fixtures.ts';
import { render } from '../../test-utils/render.ts';
import WizardPage from './wizard-page.vue';

describe('wizard page', () => {
  it('resumes a draft at its next step and keeps later steps locked', async () => {
    const api = createFakeApi();
    api.getIntegration.mockResolvedValue(makeIntegration({ nextStep: 'consent', salesforce: CONNECTED }));
    const { wrapper, router } = await render(WizardPage, { api, route: `/${INTEGRATION_ID}/setup`, props: { id: INTEGRATION_ID } });
    await flushPromises();
    expect(wrapper.get('#cs-step-heading').text()).toBe('Opt-in consent');
    expect(router.currentRoute.value.params.step).toBe('consent');
    const steps = wrapper.findAll('.cs-stepper__button');
    expect(steps.map((step) => step.text().replace(/^\S+\s*Step \d: /, ''))).toEqual([
      'Connect your account',
      'Opt-in consent',
      'Map fields',
      'Choose a list',
      'Preview',
    ]);
    expect(steps[1]!.attributes('aria-current')).toBe('step');
    expect(steps[2]!.attributes('disabled')).toBeDefined();
  });

  it('moves focus to the new step heading on step change', async () => {
    const api = createFakeApi();
    api.getIntegration.mockResolvedValue(makeIntegration({ nextStep: 'consent', salesforce: CONNECTED }));
    const { wrapper, router } = await render(WizardPage, { api, route: `/${INTEGRATION_ID}/setup/consent`, props: { id: INTEGRATION_ID, step: 'consent' } });
    await flushPromises();
    await wrapper.get('input[type="checkbox"]').setValue(true);
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('#cs-step-heading').text()).toBe('Map fields');
    expect(document.activeElement).toBe(wrapper.get('#cs-step-heading').element);
    expect(router.currentRoute.value.params.step).toBe('mapping');
  });

  it('shows why an unknown integration cannot be opened', async () => {
    const api = createFakeApi();
    const { ApiError } = await import('../../api/api-error.ts');
    api.getIntegration.mockRejectedValue(new ApiError(404, 'not_found', 'Not found.'));
    const { wrapper } = await render(WizardPage, { api, route: `/${INTEGRATION_ID}/setup`, props: { id: INTEGRATION_ID } });
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toContain('does not exist');
  });
});
