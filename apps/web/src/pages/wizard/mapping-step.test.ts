import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error.ts';
import { useWizardStore } from '../../stores/wizard.ts';
import { createFakeApi } from '../../test-utils/fake-api.ts';
import { CONNECTED, INTEGRATION_ID, makeIntegration, makeMappingInputs } from '../../test-utils/fixtures.ts';
import { createTestContext, render } from '../../test-utils/render.ts';
import MappingStep from './mapping-step.vue';

async function renderMappingStep(options: { locale?: string; mapping?: Record<string, string> | null } = {}) {
  const api = createFakeApi();
  api.getIntegration.mockResolvedValue(makeIntegration({ nextStep: 'mapping', salesforce: CONNECTED, consent: { by: 'u1', at: '2026-11-27T10:02:00.000Z' } }));
  api.getMappingOptions.mockResolvedValue(makeMappingInputs(options.mapping ?? null));
  const context = createTestContext({ api, ...(options.locale ? { locale: options.locale } : {}) });
  await useWizardStore(context.pinia).load(INTEGRATION_ID, 'mapping');
  const result = await render(MappingStep, options, context);
  await flushPromises();
  return result;
}

const row = (wrapper: Awaited<ReturnType<typeof renderMappingStep>>['wrapper'], attribute: string) =>
  wrapper.get(`tr[data-attribute="${attribute}"]`);
const continueButton = (wrapper: Awaited<ReturnType<typeof renderMappingStep>>['wrapper']) => wrapper.get('button[type="submit"]');

describe('mapping step', () => {
  it('lists one labelled dropdown per Brevo attribute, EMAIL and SMS first', async () => {
    const { wrapper } = await renderMappingStep();
    const attributes = wrapper.findAll('tbody tr').map((tr) => tr.attributes('data-attribute'));
    expect(attributes.slice(0, 2)).toEqual(['EMAIL', 'SMS']);
    for (const select of wrapper.findAll('tbody select')) {
      expect(wrapper.find(`label[for="${select.attributes('id')}"]`).exists()).toBe(true);
    }
  });

  it('shows unsupported Salesforce fields disabled with their translated reason', async () => {
    const { wrapper } = await renderMappingStep();
    const options = row(wrapper, 'FIRSTNAME').findAll('option');
    const formula = options.find((option) => option.attributes('value') === 'Full_Name__c');
    const picklist = options.find((option) => option.attributes('value') === 'LeadSource');
    expect(formula?.attributes('disabled')).toBeDefined();
    expect(formula?.text()).toContain('Formula fields are not supported.');
    expect(picklist?.attributes('disabled')).toBeDefined();
    expect(picklist?.text()).toContain('Picklist fields are not supported.');
    const firstName = options.find((option) => option.attributes('value') === 'FirstName');
    expect(firstName?.attributes('disabled')).toBeUndefined();
  });

  it('shows an unmappable Brevo attribute disabled with its reason', async () => {
    const { wrapper } = await renderMappingStep();
    const newsletter = row(wrapper, 'NEWSLETTER');
    expect(newsletter.get('select').attributes('disabled')).toBeDefined();
    expect(newsletter.text()).toContain('Yes/No (boolean) attributes are not supported.');
  });

  it('blocks Continue until Email or SMS is mapped, with instant feedback and no request', async () => {
    const { wrapper, api } = await renderMappingStep();
    expect(wrapper.text()).toContain('Map at least Email or SMS.');
    expect(continueButton(wrapper).attributes('disabled')).toBeDefined();

    await row(wrapper, 'FIRSTNAME').get('select').setValue('FirstName');
    expect(continueButton(wrapper).attributes('disabled')).toBeDefined();

    await row(wrapper, 'EMAIL').get('select').setValue('Email');
    expect(wrapper.text()).not.toContain('Map at least Email or SMS.');
    expect(continueButton(wrapper).attributes('disabled')).toBeUndefined();
    expect(api.putMapping).not.toHaveBeenCalled();
  });

  it('SMS alone is enough', async () => {
    const { wrapper } = await renderMappingStep();
    await row(wrapper, 'SMS').get('select').setValue('MobilePhone');
    expect(continueButton(wrapper).attributes('disabled')).toBeUndefined();
  });

  it('flags a Salesforce field mapped twice on the row, before any submit', async () => {
    const { wrapper, api } = await renderMappingStep();
    await row(wrapper, 'EMAIL').get('select').setValue('Email');
    await row(wrapper, 'FIRSTNAME').get('select').setValue('FirstName');
    await row(wrapper, 'LASTNAME').get('select').setValue('FirstName');
    const lastName = row(wrapper, 'LASTNAME');
    expect(lastName.get('.cs-field-error').attributes('data-code')).toBe('salesforce_field_mapped_twice');
    expect(lastName.text()).toContain('The Salesforce field FirstName is already mapped to FIRSTNAME.');
    expect(lastName.get('select').attributes('aria-invalid')).toBe('true');
    expect(continueButton(wrapper).attributes('disabled')).toBeDefined();
    expect(api.putMapping).not.toHaveBeenCalled();
  });

  it('shows the server’s 422 issues the same way, on the same row, with the same keys', async () => {
    const { wrapper, api } = await renderMappingStep({ mapping: { EMAIL: 'Email' } });
    api.putMapping.mockRejectedValueOnce(
      new ApiError(422, 'validation_failed', 'The request is not valid.', {
        issues: [
          {
            code: 'field_type_incompatible',
            rule: 'R5',
            field: 'BIRTHDAY',
            messageKey: 'rules.mapping.typeIncompatible',
            params: { field: 'BIRTHDAY', fieldType: 'string', attributeType: 'date', salesforceField: 'FirstName' },
          },
        ],
      }),
    );
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    const birthday = row(wrapper, 'BIRTHDAY');
    expect(birthday.get('.cs-field-error').attributes('data-code')).toBe('field_type_incompatible');
    expect(birthday.text()).toContain('A Salesforce string field cannot be mapped to a Brevo date attribute.');
    expect(continueButton(wrapper).attributes('disabled')).toBeDefined();

    // Changing the mapping clears the server's verdict; local rules take over again.
    await row(wrapper, 'BIRTHDAY').get('select').setValue('Birthdate');
    expect(wrapper.find('tr[data-attribute="BIRTHDAY"] .cs-field-error').exists()).toBe(false);
    expect(continueButton(wrapper).attributes('disabled')).toBeUndefined();
  });

  it('saves the mapping and moves on', async () => {
    const { wrapper, api } = await renderMappingStep();
    await row(wrapper, 'EMAIL').get('select').setValue('Email');
    await row(wrapper, 'BIRTHDAY').get('select').setValue('Birthdate');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(api.putMapping).toHaveBeenCalledWith(INTEGRATION_ID, { EMAIL: 'Email', BIRTHDAY: 'Birthdate' });
    expect(wrapper.emitted('done')).toHaveLength(1);
  });

  it('translates reasons and messages to Italian', async () => {
    const { wrapper } = await renderMappingStep({ locale: 'it' });
    expect(wrapper.text()).toContain('Abbina almeno il campo Email o SMS.');
    expect(continueButton(wrapper).text()).toBe('Continua');
    const formula = row(wrapper, 'FIRSTNAME').findAll('option').find((option) => option.attributes('value') === 'Full_Name__c');
    expect(formula?.text()).not.toContain('Formula fields are not supported.');
  });
});
