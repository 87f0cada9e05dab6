/**
 * Field definitions: the one source for describe, SOQL type checks, write
 * validation and the records UI. Values are stored as: string types → string,
 * date → 'YYYY-MM-DD', datetime → epoch milliseconds, numbers → number,
 * boolean → boolean, multipicklist → 'a;b'. Absent means null.
 */
export type FieldType =
  | 'id'
  | 'boolean'
  | 'string'
  | 'email'
  | 'phone'
  | 'url'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'reference'
  | 'date'
  | 'datetime'
  | 'double'
  | 'currency'
  | 'percent'
  | 'int';

export type StoredRecord = Record<string, unknown> & { Id: string; IsDeleted: boolean; SystemModstamp: number };

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length: number;
  precision: number;
  scale: number;
  digits: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  custom: boolean;
  /** Must carry a non-blank value on create and cannot be blanked on update. */
  required: boolean;
  defaultedOnCreate: boolean;
  unique: boolean;
  externalId: boolean;
  nameField: boolean;
  filterable: boolean;
  sortable: boolean;
  picklistValues: string[];
  defaultPicklistValue?: string;
  restrictedPicklist: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  calculatedFormula: string | null;
  /** Formula fields are computed on read, never stored. */
  compute?: (record: StoredRecord, now: number) => unknown;
  extraTypeInfo: string | null;
  autoNumber: boolean;
}

type Options = Partial<Omit<FieldDef, 'name' | 'label' | 'type'>>;

function field(name: string, label: string, type: FieldType, options: Options = {}): FieldDef {
  const custom = name.endsWith('__c');
  return {
    name,
    label,
    type,
    length: 0,
    precision: 0,
    scale: 0,
    digits: 0,
    nillable: true,
    createable: true,
    updateable: true,
    custom,
    required: false,
    defaultedOnCreate: false,
    unique: false,
    externalId: false,
    nameField: false,
    filterable: true,
    sortable: true,
    picklistValues: [],
    restrictedPicklist: false,
    referenceTo: [],
    relationshipName: null,
    calculatedFormula: null,
    extraTypeInfo: null,
    autoNumber: false,
    ...options,
  };
}

/** System fields Salesforce maintains itself: readable, never writable. */
const readOnly: Options = { createable: false, updateable: false };

export const f = {
  id: () => field('Id', `Record ID`, 'id', { ...readOnly, length: 18, nillable: false, defaultedOnCreate: true }),
  isDeleted: () => field('IsDeleted', 'Deleted', 'boolean', { ...readOnly, nillable: false, defaultedOnCreate: true }),
  string: (name: string, label: string, length: number, options: Options = {}) => field(name, label, 'string', { length, ...options }),
  textarea: (name: string, label: string, length: number, options: Options = {}) =>
    field(name, label, 'textarea', {
      length,
      // Long text areas cannot be filtered or sorted in SOQL.
      ...(length > 255 ? { filterable: false, sortable: false, extraTypeInfo: 'plaintextarea' } : {}),
      ...options,
    }),
  email: (name: string, label: string) => field(name, label, 'email', { length: 80 }),
  phone: (name: string, label: string) => field(name, label, 'phone', { length: 40 }),
  url: (name: string, label: string) => field(name, label, 'url', { length: 255 }),
  date: (name: string, label: string, options: Options = {}) => field(name, label, 'date', options),
  datetime: (name: string, label: string, options: Options = {}) => field(name, label, 'datetime', options),
  boolean: (name: string, label: string, options: Options = {}) =>
    field(name, label, 'boolean', { nillable: false, defaultedOnCreate: true, ...options }),
  double: (name: string, label: string, precision: number, scale: number, options: Options = {}) =>
    field(name, label, 'double', { precision, scale, ...options }),
  currency: (name: string, label: string, precision: number, scale: number) =>
    field(name, label, 'currency', { precision, scale }),
  percent: (name: string, label: string, precision: number, scale: number) =>
    field(name, label, 'percent', { precision, scale }),
  int: (name: string, label: string, digits: number) => field(name, label, 'int', { digits }),
  picklist: (name: string, label: string, values: string[], options: Options = {}) =>
    field(name, label, 'picklist', { length: 255, picklistValues: values, ...options }),
  multipicklist: (name: string, label: string, values: string[], options: Options = {}) =>
    field(name, label, 'multipicklist', { length: 4099, picklistValues: values, filterable: true, sortable: false, ...options }),
  reference: (name: string, label: string, referenceTo: string[], relationshipName: string, options: Options = {}) =>
    field(name, label, 'reference', { length: 18, referenceTo, relationshipName, ...options }),
  formula: (
    name: string,
    label: string,
    type: FieldType,
    formula: string,
    compute: (record: StoredRecord, now: number) => unknown,
    options: Options = {},
  ) =>
    field(name, label, type, {
      ...readOnly,
      calculatedFormula: formula,
      compute,
      ...(type === 'string' ? { length: 1300 } : {}),
      ...options,
    }),
  audit: (): FieldDef[] => [
    field('CreatedDate', 'Created Date', 'datetime', { ...readOnly, nillable: false, defaultedOnCreate: true }),
    field('CreatedById', 'Created By ID', 'reference', {
      ...readOnly,
      length: 18,
      nillable: false,
      defaultedOnCreate: true,
      referenceTo: ['User'],
      relationshipName: 'CreatedBy',
    }),
    field('LastModifiedDate', 'Last Modified Date', 'datetime', { ...readOnly, nillable: false, defaultedOnCreate: true }),
    field('LastModifiedById', 'Last Modified By ID', 'reference', {
      ...readOnly,
      length: 18,
      nillable: false,
      defaultedOnCreate: true,
      referenceTo: ['User'],
      relationshipName: 'LastModifiedBy',
    }),
    field('SystemModstamp', 'System Modstamp', 'datetime', { ...readOnly, nillable: false, defaultedOnCreate: true }),
  ],
};
