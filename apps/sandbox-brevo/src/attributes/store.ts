import { invalid, notFound } from '../errors.ts';

/** Categories and types as the SDK's GetAttributesResponse / CreateAttributeRequest list them. */
export type AttributeCategory = 'normal' | 'transactional' | 'category' | 'calculated' | 'global';
export type AttributeType = 'text' | 'date' | 'float' | 'boolean' | 'id' | 'category' | 'multiple-choice' | 'user';

export interface EnumerationItem {
  value: number;
  label: string;
}

export interface Attribute {
  name: string;
  category: AttributeCategory;
  type?: AttributeType;
  enumeration?: EnumerationItem[];
  multiCategoryOptions?: string[];
  calculatedValue?: string;
}

/**
 * What a fresh Brevo account lists (normal FIRSTNAME, LASTNAME, SMS, EMAIL,
 * EXT_ID, WHATSAPP, LANDLINE_NUMBER, the DOUBLE_OPT-IN category and OPT_IN)
 * plus the attributes the demo account's marketers created, so the mapping
 * form meets every type: text, date, float, boolean, category, calculated.
 */
export function seedAttributes(): Attribute[] {
  return [
    { name: 'EMAIL', category: 'normal', type: 'text' },
    { name: 'FIRSTNAME', category: 'normal', type: 'text' },
    { name: 'LASTNAME', category: 'normal', type: 'text' },
    { name: 'SMS', category: 'normal', type: 'text' },
    { name: 'WHATSAPP', category: 'normal', type: 'text' },
    { name: 'LANDLINE_NUMBER', category: 'normal', type: 'text' },
    { name: 'EXT_ID', category: 'normal', type: 'text' },
    { name: 'OPT_IN', category: 'normal', type: 'boolean' },
    {
      name: 'DOUBLE_OPT-IN',
      category: 'category',
      type: 'category',
      enumeration: [
        { value: 1, label: 'Yes' },
        { value: 2, label: 'No' },
      ],
    },
    { name: 'COMPANY', category: 'normal', type: 'text' },
    { name: 'JOB_TITLE', category: 'normal', type: 'text' },
    { name: 'CITY', category: 'normal', type: 'text' },
    { name: 'BIRTHDAY', category: 'normal', type: 'date' },
    { name: 'LAST_PURCHASE_DATE', category: 'normal', type: 'date' },
    { name: 'SCORE', category: 'normal', type: 'float' },
    { name: 'NEWSLETTER', category: 'normal', type: 'boolean' },
    {
      name: 'LANGUAGE',
      category: 'category',
      type: 'category',
      enumeration: [
        { value: 1, label: 'English' },
        { value: 2, label: 'Italiano' },
        { value: 3, label: 'Français' },
        { value: 4, label: 'Deutsch' },
        { value: 5, label: 'Español' },
      ],
    },
    // The options of Salesforce's Preferred_Channel__c but one (Post): a picklist to pair by label, one value left over.
    {
      name: 'CHANNEL',
      category: 'category',
      type: 'category',
      enumeration: [
        { value: 1, label: 'Email' },
        { value: 2, label: 'SMS' },
        { value: 3, label: 'Phone' },
        { value: 4, label: 'Post' },
      ],
    },
    // Salesforce's Interests__c values but Offers, plus Workshops: a multi-select picklist to pair by label, one value left over.
    { name: 'INTERESTS', category: 'normal', type: 'multiple-choice', multiCategoryOptions: ['Newsletter', 'Events', 'Product Updates', 'Webinars', 'Workshops'] },
    { name: 'ORDERS_LAST_30_DAYS', category: 'calculated', calculatedValue: 'COUNT[ORDER_ID,ORDER_DATE,>,NOW(-30)]' },
  ];
}

/** Attributes that identify a contact (unique per account, indexed by the contact store). */
export const IDENTIFIER_ATTRIBUTES = ['SMS', 'WHATSAPP', 'LANDLINE_NUMBER', 'EXT_ID'] as const;

export class AttributeStore {
  private byName = new Map<string, Attribute>();

  constructor(seed: Attribute[] = seedAttributes()) {
    for (const attribute of seed) this.byName.set(attribute.name, attribute);
  }

  list(): Attribute[] {
    return [...this.byName.values()];
  }

  get(name: string): Attribute | undefined {
    return this.byName.get(name);
  }

  create(attribute: Attribute): void {
    if (this.byName.has(attribute.name)) throw invalid('Attribute name must be unique');
    this.byName.set(attribute.name, attribute);
  }

  update(category: AttributeCategory, name: string, patch: Partial<Attribute>): void {
    const current = this.byName.get(name);
    if (!current || current.category !== category) throw notFound('Attribute not found');
    this.byName.set(name, { ...current, ...patch });
  }

  delete(category: AttributeCategory, name: string): void {
    const current = this.byName.get(name);
    if (!current || current.category !== category) throw notFound('Attribute not found');
    this.byName.delete(name);
  }
}
