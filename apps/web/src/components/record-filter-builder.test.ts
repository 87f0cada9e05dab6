import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { useWizardStore } from '../stores/wizard.ts';
import { createFakeApi } from '../test-utils/fake-api.ts';
import { CONNECTED, INTEGRATION_ID, makeIntegration, makeMappingInputs, SALESFORCE_FIELDS } from '../test-utils/fixtures.ts';
import { createTestContext, render } from '../test-utils/render.ts';
import MappingStep from '../pages/wizard/mapping-step.vue';
import RecordFilterBuilder from './record-filter-builder.vue';

/** The record filter builder, alone (what it emits) and in the mapping step (the rules' instant feedback, the save). */
describe('record filter builder', () => {
  it('offers only the fields Salesforce can filter on, each with the comparisons its type takes', async () => {
    const filter = { groups: [{ conditions: [{ field: 'Birthdate', operator: 'greaterThan', value: '1990-01-01' }] }] };
    const { wrapper } = await render(RecordFilterBuilder, { props: { salesforceFields: SALESFORCE_FIELDS, filter, issues: [], idPrefix: 'f' } });
    const fields = wrapper.get('[data-testid="filter-field"]').findAll('option').map((option) => option.attributes('value'));
    expect(fields).toEqual(['Email', 'LastName', 'Birthdate', 'LeadSource']);
    const operators = wrapper.get('[data-testid="filter-operator"]').findAll('option').map((option) => option.text());
    expect(operators).toEqual(['is', 'is not', 'is greater than', 'is less than', 'is empty', 'is not empty']);
    expect(wrapper.get<HTMLInputElement>('[data-testid="filter-value"]').attributes('type')).toBe('date');
    // Every control has its label, naming the condition and its group.
    for (const control of wrapper.findAll('select, input, textarea')) {
      expect(wrapper.get(`label[for="${control.attributes('id')}"]`).text()).toMatch(/of condition 1, group 1$/);
    }
    expect(wrapper.get('[data-testid="filter-remove"]').attributes('aria-label')).toBe('Remove condition 1 of group 1');
  });

  it('emits the whole filter on each edit: a field resets the comparison, a comparison keeps the value, the last removal is no filter', async () => {
    const filter = { groups: [{ conditions: [{ field: 'LastName', operator: 'equals', value: 'Rossi' }] }] };
    const { wrapper } = await render(RecordFilterBuilder, { props: { salesforceFields: SALESFORCE_FIELDS, filter, issues: [], idPrefix: 'f' } });
    await wrapper.get('[data-testid="filter-operator"]').setValue('contains');
    expect(wrapper.emitted('update')!.at(-1)).toEqual([{ groups: [{ conditions: [{ field: 'LastName', operator: 'contains', value: 'Rossi' }] }] }]);
    await wrapper.get('[data-testid="filter-operator"]').setValue('in');
    expect(wrapper.emitted('update')!.at(-1)).toEqual([{ groups: [{ conditions: [{ field: 'LastName', operator: 'in', values: [] }] }] }]);
    await wrapper.get('[data-testid="filter-field"]').setValue('LeadSource');
    expect(wrapper.emitted('update')!.at(-1)).toEqual([{ groups: [{ conditions: [{ field: 'LeadSource', operator: 'equals', value: '' }] }] }]);
    await wrapper.get('[data-testid="filter-add-condition"]').trigger('click');
    expect(wrapper.emitted('update')!.at(-1)).toEqual([{ groups: [{ conditions: [filter.groups[0]!.conditions[0], { field: 'Email', operator: 'equals', value: '' }] }] }]);
    await wrapper.get('[data-testid="filter-add-group"]').trigger('click');
    expect(wrapper.emitted('update')!.at(-1)).toEqual([{ groups: [filter.groups[0], { conditions: [{ field: 'Email', operator: 'equals', value: '' }] }] }]);
    await wrapper.get('[data-testid="filter-remove"]').trigger('click');
    expect(wrapper.emitted('update')!.at(-1)).toEqual([null]);
  });

  it('in the mapping step: instant feedback from the rules on the condition, then the filter is saved with the mapping (Italian too)', async () => {
    const api = createFakeApi();
    api.getIntegration.mockResolvedValue(makeIntegration({ nextStep: 'mapping', salesforce: CONNECTED, consent: { by: 'u1', at: '2026-11-27T10:02:00.000Z' } }));
    api.getMappingOptions.mockResolvedValue(makeMappingInputs({ EMAIL: 'Email' }));
    const context = createTestContext({ api, locale: 'it' });
    await useWizardStore(context.pinia).load(INTEGRATION_ID, 'mapping');
    const { wrapper } = await render(MappingStep, { locale: 'it' }, context);
    await flushPromises();
    const builder = () => wrapper.get('[data-testid="record-filter"]');
    expect(builder().get('legend').text()).toBe('Record da sincronizzare');
    expect(builder().text()).toContain('Si sincronizzano tutti i record.');

    await builder().get('[data-testid="filter-add-group"]').trigger('click');
    await builder().get('[data-testid="filter-field"]').setValue('LeadSource');
    // No value yet: the rule's issue, on the condition, in Italian; the step cannot continue.
    const condition = () => builder().get('[data-testid="filter-condition-0-0"]');
    expect(condition().get('[data-code="filter_value_required"]').text()).toContain('Inserisci un valore per Lead Source.');
    expect(condition().get('[data-testid="filter-value"]').attributes('aria-describedby')).toBeDefined();
    expect(wrapper.get('button[type="submit"]').attributes('disabled')).toBeDefined();
    expect(wrapper.find('[data-testid="issue-list"]').exists()).toBe(false);

    await condition().get('[data-testid="filter-value"]').setValue('Web');
    expect(condition().find('[data-code]').exists()).toBe(false);
    await builder().get('[data-testid="filter-add-group"]').trigger('click');
    const second = builder().get('[data-testid="filter-condition-1-0"]');
    await second.get('[data-testid="filter-field"]').setValue('Birthdate');
    await builder().get('[data-testid="filter-condition-1-0"] [data-testid="filter-operator"]').setValue('isEmpty');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(api.putMapping).toHaveBeenLastCalledWith(INTEGRATION_ID, { EMAIL: 'Email' }, {
      filter: { groups: [{ conditions: [{ field: 'LeadSource', operator: 'equals', value: 'Web' }] }, { conditions: [{ field: 'Birthdate', operator: 'isEmpty' }] }] },
    });
  });
});
