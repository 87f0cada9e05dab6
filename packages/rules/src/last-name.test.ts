import { describe, expect, it } from 'vitest';
import { field } from './__fixtures__/salesforce-lead.ts';
import { checkEmptiedRequiredField } from './last-name.ts';

describe('checkEmptiedRequiredField (R8)', () => {
  it.each([
    ['LastName', '', 'last_name_emptied'],
    ['LastName', null, 'last_name_emptied'],
    ['LastName', '  ', 'last_name_emptied'],
    ['LastName', undefined, null], // absent: nothing to write
    ['LastName', 'Rossi', null],
    ['Company', '', 'required_field_emptied'],
    ['FirstName', '', null], // nillable: emptying is written
    ['FirstName', null, null],
  ])('%s = %j → %s', (name, value, code) => {
    expect(checkEmptiedRequiredField(field(name), value)?.code ?? null).toBe(code);
  });
});
