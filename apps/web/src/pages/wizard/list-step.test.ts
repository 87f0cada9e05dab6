import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { useWizardStore } from '../../stores/wizard.ts';
import { createFakeApi } from '../../test-utils/fake-api.ts';
import { INTEGRATION_ID, makeIntegration } from '../../test-utils/fixtures.ts';
import { createTestContext, render } from '../../test-utils/render.ts';
import ListStep from './list-step.vue';

async function renderListStep(api = createFakeApi(), locale = 'en') {
  api.getIntegration.mockResolvedValue(makeIntegration({ nextStep: 'list', mapping: { EMAIL: 'Email' } }));
  const context = createTestContext({ api, locale });
  await useWizardStore(context.pinia).load(INTEGRATION_ID);
  const result = await render(ListStep, { locale }, context);
  await flushPromises();
  return result;
}

describe('list step', () => {
  it('offers the existing lists, preselects the first and saves the chosen one', async () => {
    const { wrapper, api } = await renderListStep();
    const select = wrapper.get('select#cs-list-select');
    // Each list's name isolated (FSI … PDI): a right-to-left name does not reorder the count after it.
    expect(select.findAll('option').map((option) => option.text())).toEqual(['\u2068Newsletter\u2069 (120 contacts)', '\u2068Customers\u2069 (30 contacts)']);
    await select.setValue('7');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(api.putList).toHaveBeenCalledWith(INTEGRATION_ID, 7);
    expect(wrapper.emitted('done')).toHaveLength(1);
  });

  it('creates a new list and uses it', async () => {
    const { wrapper, api } = await renderListStep();
    expect(wrapper.get('label[for="cs-list-mode-create"]').text()).toBe('create a new list');
    await wrapper.get('#cs-list-mode-create').setValue(true);
    await wrapper.get('#cs-new-list-name').setValue('  Salesforce contacts  ');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(api.createBrevoList).toHaveBeenCalledWith('Salesforce contacts');
    expect(api.putList).toHaveBeenCalledWith(INTEGRATION_ID, 42);
    expect(wrapper.emitted('done')).toHaveLength(1);
  });

  it('switches to creating a list when the account has none', async () => {
    const api = createFakeApi();
    api.listBrevoLists.mockResolvedValue({ lists: [], count: 0, offset: 0, limit: 10 });
    const { wrapper } = await renderListStep(api);
    expect(wrapper.text()).toContain('This account has no list yet.');
    expect((wrapper.get('#cs-list-mode-create').element as HTMLInputElement).checked).toBe(true);
    expect(wrapper.get('button[type="submit"]').attributes('disabled')).toBeDefined();
  });

  it('pages through more lists', async () => {
    const api = createFakeApi();
    api.listBrevoLists
      .mockResolvedValueOnce({ lists: [{ id: 1, name: 'A', totalSubscribers: null, folderId: 1 }], count: 2, offset: 0, limit: 10 })
      .mockResolvedValueOnce({ lists: [{ id: 2, name: 'B', totalSubscribers: null, folderId: 1 }], count: 2, offset: 1, limit: 10 });
    const { wrapper } = await renderListStep(api);
    await wrapper.get('button.cs-button--link').trigger('click');
    await flushPromises();
    expect(api.listBrevoLists).toHaveBeenLastCalledWith(1, 10);
    expect(wrapper.get('select#cs-list-select').findAll('option').map((option) => option.text())).toEqual(['A', 'B']);
    expect(wrapper.find('button.cs-button--link').exists()).toBe(false);
  });

  it('labels "create a new list" in Italian', async () => {
    const { wrapper } = await renderListStep(createFakeApi(), 'it');
    expect(wrapper.get('label[for="cs-list-mode-create"]').text()).toBe('crea una nuova lista');
  });
});
