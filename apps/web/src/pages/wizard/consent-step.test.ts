import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { useWizardStore } from '../../stores/wizard.ts';
import { createFakeApi } from '../../test-utils/fake-api.ts';
import { CONNECTED, INTEGRATION_ID, makeIntegration } from '../../test-utils/fixtures.ts';
import { createTestContext, render } from '../../test-utils/render.ts';
import ConsentStep from './consent-step.vue';

async function renderConsent(locale = 'en') {
  const api = createFakeApi();
  api.getIntegration.mockResolvedValue(makeIntegration({ nextStep: 'consent', salesforce: CONNECTED }));
  const context = createTestContext({ api, locale });
  await useWizardStore(context.pinia).load(INTEGRATION_ID);
  return render(ConsentStep, { locale }, context);
}

describe('consent step (R4)', () => {
  it('keeps Continue disabled until Opt-in consent is ticked', async () => {
    const { wrapper, api } = await renderConsent();
    const button = wrapper.get('button[type="submit"]');
    expect(wrapper.get('label[for="cs-consent"]').text()).toBe('Opt-in consent');
    expect(button.text()).toBe('Continue');
    expect(button.attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="consent-required"]').text()).toContain('Tick opt-in consent');
    await wrapper.get('form').trigger('submit');
    expect(api.putConsent).not.toHaveBeenCalled();

    await wrapper.get('input[type="checkbox"]').setValue(true);
    expect(button.attributes('disabled')).toBeUndefined();
  });

  it('records consent and moves on', async () => {
    const { wrapper, api } = await renderConsent();
    await wrapper.get('input[type="checkbox"]').setValue(true);
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(api.putConsent).toHaveBeenCalledWith(INTEGRATION_ID);
    expect(wrapper.emitted('done')).toHaveLength(1);
  });

  it('uses the Italian labels', async () => {
    const { wrapper } = await renderConsent('it');
    expect(wrapper.get('label[for="cs-consent"]').text()).toBe('Consenso opt-in');
    expect(wrapper.get('button[type="submit"]').text()).toBe('Continua');
  });
});
