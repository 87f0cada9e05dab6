import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error.ts';
import { useWizardStore } from '../../stores/wizard.ts';
import { createFakeApi } from '../../test-utils/fake-api.ts';
import { CONNECTED, INTEGRATION_ID, makeIntegration, makeMappingInputs } from '../../test-utils/fixtures.ts';
import { createTestContext, render } from '../../test-utils/render.ts';
import MappingStep from './mapping-step.vue';

async function renderMappingStep(options: { locale?: string; mapping?: Record<string, string> | null; withoutFields?: readonly string[] } = {}) {
  const api = createFakeApi();
  api.getIntegration.mockResolvedValue(makeIntegration({ nextStep: 'mapping', salesforce: CONNECTED, consent: { by: 'u1', at: '2026-11-27T10:02:00.000Z' } }));
  const inputs = makeMappingInputs(options.mapping ?? null);
  api.getMappingOptions.mockResolvedValue({ ...inputs, salesforceFields: inputs.salesforceFields.filter((field) => !options.withoutFields?.includes(field.name)) });
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

  it('suggests the obvious pairs when the form opens, marked until the user changes them', async () => {
    const { wrapper, api } = await renderMappingStep();
    expect(wrapper.get('[data-testid="suggested-note"]').text()).toContain('We paired 5 attributes');
    expect((row(wrapper, 'EMAIL').get('select').element as HTMLSelectElement).value).toBe('Email');
    expect((row(wrapper, 'SMS').get('select').element as HTMLSelectElement).value).toBe('MobilePhone');
    expect(row(wrapper, 'FIRSTNAME').find('[data-testid="suggested"]').exists()).toBe(true);
    expect(continueButton(wrapper).attributes('disabled')).toBeUndefined();
    await row(wrapper, 'FIRSTNAME').get('select').setValue('');
    expect(row(wrapper, 'FIRSTNAME').find('[data-testid="suggested"]').exists()).toBe(false);
    expect(api.putMapping).not.toHaveBeenCalled();
  });

  it('offers each attribute only the fields it may take; the rest wait, with their reasons, in one collapsed group', async () => {
    const { wrapper } = await renderMappingStep();
    const offered = row(wrapper, 'FIRSTNAME').get('select').findAll('option').map((option) => option.attributes('value'));
    // A formula maps like its type, Salesforce → Brevo only (see the direction test).
    expect(offered).toEqual(['', 'Email', 'FirstName', 'LastName', 'MobilePhone', 'Full_Name__c']);
    expect(wrapper.findAll('select[id$="-select"] option[disabled]')).toHaveLength(0);
    const unavailable = wrapper.get('details[data-testid="unavailable"]');
    expect(unavailable.attributes('open')).toBeUndefined();
    expect(unavailable.get('summary').text()).toBe('Not available (3), and why');
    expect(unavailable.get('[data-field="Region__c"]').text()).toContain('A combo box also takes free text, so its values cannot be paired with Brevo options.');
    expect(unavailable.get('[data-attribute="ORDERS_TOTAL"]').text()).toBe('ORDERS_TOTAL (calculated): Calculated attributes are computed by Brevo and cannot be synced.');
    expect(wrapper.find('tr[data-attribute="ORDERS_TOTAL"]').exists()).toBe(false);
    // A multi-select picklist and a multiple-choice attribute are offered to each other only.
    expect(unavailable.find('[data-field="Interests__c"]').exists()).toBe(false);
    expect(row(wrapper, 'HOBBIES').get('select').findAll('option').map((option) => option.attributes('value'))).toEqual(['', 'Interests__c']);
    // Yes/No and picklists map to their Brevo counterparts only.
    expect(row(wrapper, 'NEWSLETTER').get('select').findAll('option').map((option) => option.attributes('value'))).toEqual(['', 'HasOptedOutOfEmail']);
    expect(row(wrapper, 'SOURCE').get('select').findAll('option').map((option) => option.attributes('value'))).toEqual(['', 'LeadSource']);
  });

  it('blocks Continue until Email or SMS is mapped, with instant feedback and no request', async () => {
    const { wrapper, api } = await renderMappingStep({ mapping: {} });
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
    const { wrapper } = await renderMappingStep({ mapping: {} });
    await row(wrapper, 'SMS').get('select').setValue('MobilePhone');
    expect(continueButton(wrapper).attributes('disabled')).toBeUndefined();
  });

  it('flags a Salesforce field mapped twice on the row, before any submit', async () => {
    const { wrapper, api } = await renderMappingStep({ mapping: {} });
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
    // Type names in the user's language, as the form shows them.
    expect(birthday.text()).toContain('A Salesforce text field cannot be mapped to a Brevo date attribute.');
    expect(continueButton(wrapper).attributes('disabled')).toBeDefined();

    // Changing the mapping clears the server's verdict; local rules take over again.
    await row(wrapper, 'BIRTHDAY').get('select').setValue('Birthdate');
    expect(wrapper.find('tr[data-attribute="BIRTHDAY"] .cs-field-error').exists()).toBe(false);
    expect(continueButton(wrapper).attributes('disabled')).toBeUndefined();
  });

  it('saves the mapping and moves on', async () => {
    const { wrapper, api } = await renderMappingStep({ mapping: {} });
    await row(wrapper, 'EMAIL').get('select').setValue('Email');
    await row(wrapper, 'BIRTHDAY').get('select').setValue('Birthdate');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(api.putMapping).toHaveBeenCalledWith(INTEGRATION_ID, { EMAIL: 'Email', BIRTHDAY: 'Birthdate' }, {});
    expect(wrapper.emitted('done')).toHaveLength(1);
  });

  it('sets a direction per field, offers only what Salesforce allows with the reason, and a conflict rule', async () => {
    const { wrapper, api } = await renderMappingStep({ mapping: {} });
    await row(wrapper, 'EMAIL').get('select').setValue('Email');
    const direction = (attribute: string) => row(wrapper, attribute).get('[data-testid="direction"]');
    // Both ways by default; EMAIL identifies the contact, so never Brevo → Salesforce only.
    expect((direction('EMAIL').element as HTMLSelectElement).value).toBe('both');
    expect(direction('EMAIL').get('option[value="brevo_to_salesforce"]').attributes('disabled')).toBeDefined();
    expect(row(wrapper, 'EMAIL').get('[data-testid="direction-reason"]').attributes('data-code')).toBe('direction_identifier');

    await row(wrapper, 'FIRSTNAME').get('select').setValue('Full_Name__c');
    expect((direction('FIRSTNAME').element as HTMLSelectElement).value).toBe('salesforce_to_brevo');
    expect(direction('FIRSTNAME').attributes('disabled')).toBeDefined();
    expect(row(wrapper, 'FIRSTNAME').get('[data-testid="direction-reason"]').text()).toBe('Full_Name__c is a formula: Salesforce computes it, so it syncs Salesforce → Brevo only.');

    await row(wrapper, 'LASTNAME').get('select').setValue('LastName');
    await direction('LASTNAME').setValue('brevo_to_salesforce');
    await wrapper.get('[data-testid="conflict-policy"]').setValue('salesforce_wins');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(api.putMapping).toHaveBeenCalledWith(
      INTEGRATION_ID,
      { EMAIL: 'Email', FIRSTNAME: 'Full_Name__c', LASTNAME: 'LastName' },
      { directions: { LASTNAME: 'brevo_to_salesforce' }, conflictPolicy: 'salesforce_wins' },
    );
  });

  it('pairs a picklist’s values with the category’s options by label, for the user to confirm or change; an unpaired value is not synced', async () => {
    const { wrapper, api } = await renderMappingStep({ mapping: { EMAIL: 'Email' } });
    await row(wrapper, 'SOURCE').get('select').setValue('LeadSource');
    const pairs = row(wrapper, 'SOURCE').get('[data-testid="value-pairs"]');
    const pairOf = (value: string) => pairs.get(`tr[data-value="${value}"] select`).element as HTMLSelectElement;
    expect([pairOf('Web').value, pairOf('Phone Inquiry').value, pairOf('Other').value]).toEqual(['1', '2', '']);
    expect(pairs.text()).toContain('Not synced');
    await pairs.get('tr[data-value="Other"] select').setValue('3');
    await pairs.get('tr[data-value="Web"] select').setValue('');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(api.putMapping).toHaveBeenCalledWith(
      INTEGRATION_ID,
      { EMAIL: 'Email', SOURCE: 'LeadSource' },
      { valuePairs: { SOURCE: { 'Phone Inquiry': { value: 2, label: 'Phone inquiry' }, Other: { value: 3, label: 'Event' } } } },
    );
  });

  it('pairs a multi-select picklist’s values with the multiple-choice attribute’s options by label, for the user to confirm or change', async () => {
    const { wrapper, api } = await renderMappingStep({ mapping: { EMAIL: 'Email' } });
    expect(row(wrapper, 'HOBBIES').get('select').findAll('option').map((option) => option.attributes('value'))).toEqual(['', 'Interests__c']);
    expect(row(wrapper, 'HOBBIES').find('[data-testid="value-pairs"]').exists()).toBe(false);
    await row(wrapper, 'HOBBIES').get('select').setValue('Interests__c');
    const pairs = row(wrapper, 'HOBBIES').get('[data-testid="value-pairs"]');
    const pairOf = (value: string) => pairs.get(`tr[data-value="${value}"] select`);
    // The options are the attribute's labels (it has no numbers); Sailing has none of its name: not synced.
    expect(pairOf('Golf').findAll('option').map((option) => option.text())).toEqual(['Not synced', 'chess', 'Golf', 'Cooking; baking']);
    expect([pairOf('Golf'), pairOf('Chess'), pairOf('Sailing')].map((select) => (select.element as HTMLSelectElement).value)).toEqual(['Golf', 'chess', '']);
    await pairOf('Sailing').setValue('Cooking; baking');
    await pairOf('Chess').setValue('');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(api.putMapping).toHaveBeenCalledWith(
      INTEGRATION_ID,
      { EMAIL: 'Email', HOBBIES: 'Interests__c' },
      { valuePairs: { HOBBIES: { Golf: { label: 'Golf' }, Sailing: { label: 'Cooking; baking' } } } },
    );
  });

  it('shows a multiple-choice option paired twice on its row, in Italian too', async () => {
    const { wrapper, api } = await renderMappingStep({ mapping: { EMAIL: 'Email' }, locale: 'it' });
    await row(wrapper, 'HOBBIES').get('select').setValue('Interests__c');
    expect(row(wrapper, 'HOBBIES').text()).toContain('scelta multipla');
    await row(wrapper, 'HOBBIES').get('tr[data-value="Sailing"] select').setValue('Golf');
    expect(row(wrapper, 'HOBBIES').get('.cs-field-error').attributes('data-code')).toBe('value_paired_twice');
    expect(continueButton(wrapper).attributes('disabled')).toBeDefined();
    expect(api.putMapping).not.toHaveBeenCalled();
  });

  it('refuses, on the row and before any request, one Brevo option paired with two values', async () => {
    const { wrapper, api } = await renderMappingStep({ mapping: { EMAIL: 'Email' } });
    await row(wrapper, 'SOURCE').get('select').setValue('LeadSource');
    await row(wrapper, 'SOURCE').get('tr[data-value="Other"] select').setValue('1');
    expect(row(wrapper, 'SOURCE').get('.cs-field-error').attributes('data-code')).toBe('value_paired_twice');
    expect(continueButton(wrapper).attributes('disabled')).toBeDefined();
    expect(api.putMapping).not.toHaveBeenCalled();
  });

  it('a field changed on the row goes back to its default direction', async () => {
    const { wrapper } = await renderMappingStep({ mapping: { EMAIL: 'Email', LASTNAME: 'LastName' } });
    const direction = () => row(wrapper, 'LASTNAME').get('[data-testid="direction"]');
    await direction().setValue('salesforce_to_brevo');
    await row(wrapper, 'LASTNAME').get('select').setValue('FirstName');
    expect((direction().element as HTMLSelectElement).value).toBe('both');
  });

  it('offers opt-outs on by default where the object has Email Opt Out; the user turns them off, or asks re-subscriptions to clear the flag', async () => {
    const { wrapper, api } = await renderMappingStep({ mapping: { EMAIL: 'Email' } });
    const optOuts = wrapper.get('fieldset[data-testid="opt-outs"]');
    expect(optOuts.get('legend').text()).toBe('Email opt-outs');
    const enabled = optOuts.get<HTMLInputElement>('[data-testid="opt-outs-enabled"]');
    const resubscribe = optOuts.get<HTMLInputElement>('[data-testid="opt-outs-resubscribe"]');
    expect(enabled.element.checked).toBe(true);
    expect(resubscribe.element.checked).toBe(false);
    expect(optOuts.text()).toContain('Clearing Email Opt Out (HasOptedOutOfEmail) in Salesforce never lifts a blocklisting in Brevo');

    await resubscribe.setValue(true);
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(api.putMapping).toHaveBeenLastCalledWith(INTEGRATION_ID, { EMAIL: 'Email' }, { optOuts: { enabled: true, resubscribeClears: true } });

    await enabled.setValue(false);
    // Off, there is nothing to re-subscribe: the second option goes with the first.
    expect(resubscribe.element.disabled).toBe(true);
    expect(resubscribe.element.checked).toBe(false);
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(api.putMapping).toHaveBeenLastCalledWith(INTEGRATION_ID, { EMAIL: 'Email' }, { optOuts: { enabled: false, resubscribeClears: true } });
  });

  it('offers no opt-outs for an object without the Email Opt Out checkbox', async () => {
    const { wrapper } = await renderMappingStep({ mapping: { EMAIL: 'Email' }, withoutFields: ['HasOptedOutOfEmail'] });
    expect(wrapper.find('[data-testid="opt-outs"]').exists()).toBe(false);
  });

  it('translates reasons, types and messages to Italian', async () => {
    const { wrapper } = await renderMappingStep({ locale: 'it', mapping: {} });
    expect(wrapper.text()).toContain('Abbina almeno il campo Email o SMS.');
    expect(continueButton(wrapper).text()).toBe('Continua');
    const unavailable = wrapper.get('details[data-testid="unavailable"]');
    expect(unavailable.get('summary').text()).toBe('Non disponibili (3), e perché');
    expect(unavailable.get('[data-field="Region__c"]').text()).toContain('Una casella combinata accetta anche testo libero, quindi i suoi valori non si possono abbinare alle opzioni Brevo.');
    expect(unavailable.get('[data-attribute="ORDERS_TOTAL"]').text()).toBe('ORDERS_TOTAL (calcolato): Gli attributi calcolati sono gestiti da Brevo e non possono essere sincronizzati.');
    const optOuts = wrapper.get('[data-testid="opt-outs"]');
    expect(optOuts.get('legend').text()).toBe('Rifiuto delle email');
    expect(optOuts.text()).toContain('Una nuova iscrizione in Brevo toglie Email Opt Out (HasOptedOutOfEmail) in Salesforce');
  });
});
