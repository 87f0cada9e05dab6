import type { FilterCondition, FilterFieldKind } from '@contact-sync/rules';
import { describe, expect, it } from 'vitest';
import { render } from '../test-utils/render.ts';
import FilterValueInput from './filter-value-input.vue';

const OPTIONS = [
  { value: 'Web', label: 'Web' },
  { value: 'Phone Inquiry', label: 'Phone inquiry' },
];

async function mount(kind: FilterFieldKind, condition: FilterCondition, invalid = false) {
  return render(FilterValueInput, { props: { id: 'v', kind, condition, options: OPTIONS, invalid, describedBy: invalid ? 'v-error' : undefined } });
}

/** One condition's value: the control each field kind and operator take, and what each emits. */
describe('filter value input', () => {
  it('a checkbox field takes Yes or No', async () => {
    const { wrapper } = await mount('boolean', { field: 'DoNotCall', operator: 'equals', value: 'true' });
    expect(wrapper.findAll('option').map((option) => option.text())).toEqual(['Yes', 'No']);
    await wrapper.get('select').setValue('false');
    expect(wrapper.emitted('value')).toEqual([['false']]);
  });

  it('a picklist takes one of its values, or several for "in"', async () => {
    const one = (await mount('picklist', { field: 'LeadSource', operator: 'equals', value: '' })).wrapper;
    expect(one.findAll('option').map((option) => option.text())).toEqual(['Choose a value', 'Web', 'Phone inquiry']);
    await one.get('select').setValue('Phone Inquiry');
    expect(one.emitted('value')).toEqual([['Phone Inquiry']]);

    const several = (await mount('picklist', { field: 'LeadSource', operator: 'in', values: ['Web'] })).wrapper;
    const select = several.get<HTMLSelectElement>('select');
    expect(select.attributes('multiple')).toBeDefined();
    expect([...select.element.options].filter((option) => option.selected).map((option) => option.value)).toEqual(['Web']);
    await select.setValue(['Web', 'Phone Inquiry']);
    expect(several.emitted('values')).toEqual([[['Web', 'Phone Inquiry']]]);
  });

  it('text "in" takes one value per line, blank lines and spaces dropped; other kinds take one typed value', async () => {
    const lines = (await mount('text', { field: 'LastName', operator: 'in', values: [] })).wrapper;
    await lines.get('textarea').setValue(' Rossi \n\nBianchi\n');
    expect(lines.emitted('values')).toEqual([[['Rossi', 'Bianchi']]]);

    const date = (await mount('date', { field: 'Birthdate', operator: 'greaterThan', value: '' })).wrapper;
    expect(date.get('input').attributes('type')).toBe('date');
    const number = (await mount('number', { field: 'NumberOfEmployees', operator: 'lessThan', value: '' })).wrapper;
    expect(number.get('input').attributes('inputmode')).toBe('decimal');
    await number.get('input').setValue('250');
    expect(number.emitted('value')).toEqual([['250']]);
  });

  it('every control carries the condition\'s id, test id and error state', async () => {
    const conditions: [FilterFieldKind, FilterCondition][] = [
      ['boolean', { field: 'DoNotCall', operator: 'equals', value: 'true' }],
      ['picklist', { field: 'LeadSource', operator: 'in', values: [] }],
      ['picklist', { field: 'LeadSource', operator: 'equals', value: '' }],
      ['text', { field: 'LastName', operator: 'in', values: [] }],
      ['text', { field: 'LastName', operator: 'equals', value: '' }],
    ];
    for (const [kind, condition] of conditions) {
      const control = (await mount(kind, condition, true)).wrapper.get('[data-testid="filter-value"]');
      expect([control.attributes('id'), control.attributes('aria-invalid'), control.attributes('aria-describedby')]).toEqual(['v', 'true', 'v-error']);
    }
  });
});
