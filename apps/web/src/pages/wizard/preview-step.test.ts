import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error.ts';
import { useWizardStore } from '../../stores/wizard.ts';
import { createFakeApi } from '../../test-utils/fake-api.ts';
import { INTEGRATION_ID, makeIntegration, makePreview } from '../../test-utils/fixtures.ts';
import { createTestContext, render } from '../../test-utils/render.ts';
import PreviewStep from './preview-step.vue';

async function renderPreview(options: { api?: ReturnType<typeof createFakeApi>; locale?: string; plan?: string } = {}) {
  const api = options.api ?? createFakeApi();
  api.getIntegration.mockResolvedValue(makeIntegration({ nextStep: 'preview', list: { id: 2, name: 'Newsletter' } }));
  const context = createTestContext({ ...options, api });
  await useWizardStore(context.pinia).load(INTEGRATION_ID);
  await context.router.push({ name: 'wizard', params: { id: INTEGRATION_ID, step: 'preview' } });
  const result = await render(PreviewStep, { ...options, route: `/${INTEGRATION_ID}/setup/preview` }, context);
  await flushPromises();
  return result;
}

const buttons = (wrapper: Awaited<ReturnType<typeof renderPreview>>['wrapper']) => wrapper.findAll('.cs-actions button').map((button) => button.text());

describe('preview step', () => {
  it('shows what the first sync would do, rejections by translated reason and the quota share', async () => {
    const { wrapper } = await renderPreview();
    expect(wrapper.get('[data-testid="to-create"]').text()).toBe('12');
    expect(wrapper.get('[data-testid="to-update"]').text()).toBe('3');
    expect(wrapper.get('[data-testid="rejected"]').text()).toBe('2');
    expect(wrapper.get('li[data-code="phone_digits_out_of_range"]').text()).toContain('A phone number must have between 6 and 16 digits (this one has 3).');
    expect(wrapper.get('[data-testid="preview-quota"]').text()).toContain('17 operations');
    expect(buttons(wrapper)).toEqual(['Save and activate', "Save and don't activate"]);
  });

  it('counts a record rejected for two reasons once in the total, under each reason in the list', async () => {
    const api = createFakeApi();
    api.getPreview.mockResolvedValue(
      makePreview({
        rejectedRecords: 1,
        rejected: [
          { code: 'phone_digits_out_of_range', messageKey: 'rules.phone.digitsOutOfRange', params: { min: 6, max: 16, digits: 17 }, count: 1 },
          { code: 'phone_invalid_characters', messageKey: 'rules.phone.invalidCharacters', params: {}, count: 1 },
        ],
      }),
    );
    const { wrapper } = await renderPreview({ api });
    expect(wrapper.get('[data-testid="rejected"]').text()).toBe('1');
    expect(wrapper.findAll('li[data-code]')).toHaveLength(2);
  });

  it('Save and activate activates and returns to the integrations page', async () => {
    const { wrapper, api, router } = await renderPreview();
    await wrapper.findAll('.cs-actions button')[0]!.trigger('click');
    await flushPromises();
    expect(api.activate).toHaveBeenCalledWith(INTEGRATION_ID);
    expect(router.currentRoute.value.name).toBe('integrations');
  });

  it("Save and don't activate keeps the draft", async () => {
    const { wrapper, api, router } = await renderPreview();
    await wrapper.findAll('.cs-actions button')[1]!.trigger('click');
    await flushPromises();
    expect(api.activate).not.toHaveBeenCalled();
    expect(router.currentRoute.value.name).toBe('integrations');
  });

  it('stays and explains when activation is refused', async () => {
    const api = createFakeApi();
    api.activate.mockRejectedValueOnce(new ApiError(409, 'salesforce_reconnect_required', 'expired'));
    const { wrapper, router } = await renderPreview({ api });
    await wrapper.findAll('.cs-actions button')[0]!.trigger('click');
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toContain('Reconnect the Salesforce account.');
    expect(router.currentRoute.value.name).toBe('wizard');
  });

  it('still lets the user save when the preview is unavailable', async () => {
    const api = createFakeApi();
    api.getPreview.mockRejectedValue(new ApiError(404, 'not_found', 'Not found.'));
    const { wrapper } = await renderPreview({ api });
    expect(wrapper.find('[data-testid="preview-unavailable"]').exists()).toBe(true);
    expect(wrapper.findAll('.cs-actions button')[0]!.attributes('disabled')).toBeUndefined();
  });

  it('uses the Italian labels', async () => {
    const { wrapper } = await renderPreview({ locale: 'it' });
    expect(buttons(wrapper)).toEqual(['Salva e attiva', 'Salva e non attivare']);
  });
});
