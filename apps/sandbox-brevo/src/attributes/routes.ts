import express, { type Router } from 'express';
import { invalid, missing } from '../errors.ts';
import { bodyObject } from '../http.ts';
import { sandboxRequest } from '../request-context.ts';
import type { Attribute, AttributeCategory, AttributeType, EnumerationItem } from './store.ts';

const CATEGORIES: AttributeCategory[] = ['normal', 'transactional', 'category', 'calculated', 'global'];
const TYPES_BY_CATEGORY: Record<AttributeCategory, AttributeType[]> = {
  normal: ['text', 'date', 'float', 'boolean', 'multiple-choice', 'user'],
  transactional: ['text', 'date', 'float', 'boolean', 'id'],
  category: ['category'],
  calculated: [],
  global: [],
};

/** GET /contacts/attributes as the SDK's GetAttributesResponse: `{ attributes: [{ name, category, type?, enumeration?, … }] }`. */
function attributeJson(attribute: Attribute): Record<string, unknown> {
  const json: Record<string, unknown> = { name: attribute.name, category: attribute.category };
  if (attribute.type && attribute.category !== 'category') json.type = attribute.type;
  if (attribute.category === 'category') json.type = 'category';
  if (attribute.enumeration) json.enumeration = attribute.enumeration.map((item) => ({ ...item, valueStr: String(item.value) }));
  if (attribute.multiCategoryOptions) json.multiCategoryOptions = attribute.multiCategoryOptions;
  if (attribute.calculatedValue) json.calculatedValue = attribute.calculatedValue;
  return json;
}

export function attributesRouter(): Router {
  const router = express.Router();

  router.get('/contacts/attributes', (req, res) => {
    const { account } = sandboxRequest(req);
    res.json({ attributes: account.attributes.list().map(attributeJson) });
  });

  router.post('/contacts/attributes/:category/:name', (req, res) => {
    const { account } = sandboxRequest(req);
    const category = parseCategory(req.params.category);
    const name = req.params.name;
    // Brevo keeps attribute names upper case; contacts must then use that spelling.
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) throw invalid('Attribute name is not valid');
    const body = bodyObject(req);
    const attribute: Attribute = { name: name.toUpperCase(), category };
    if (category === 'calculated' || category === 'global') {
      if (typeof body.value !== 'string' || body.value === '') throw missing('value is missing');
      attribute.calculatedValue = body.value;
    } else if (category === 'category') {
      attribute.type = 'category';
      attribute.enumeration = parseEnumeration(body.enumeration);
    } else {
      const type = body.type ?? 'text';
      if (typeof type !== 'string' || !TYPES_BY_CATEGORY[category].includes(type as AttributeType)) throw invalid('type is not valid');
      attribute.type = type as AttributeType;
      if (type === 'multiple-choice') attribute.multiCategoryOptions = parseMultiCategoryOptions(body.multiCategoryOptions);
    }
    account.attributes.create(attribute);
    res.status(201).end();
  });

  router.put('/contacts/attributes/:category/:name', (req, res) => {
    const { account } = sandboxRequest(req);
    const category = parseCategory(req.params.category);
    const body = bodyObject(req);
    const patch: Partial<Attribute> = {};
    if (body.enumeration !== undefined) patch.enumeration = parseEnumeration(body.enumeration);
    if (typeof body.value === 'string') patch.calculatedValue = body.value;
    if (body.multiCategoryOptions !== undefined) {
      // "Use this option to add multiple-choice attributes options" (updateAttribute): added to those it has.
      const current = account.attributes.get(req.params.name);
      if (current?.type !== 'multiple-choice') throw invalid('multiCategoryOptions is only for multiple-choice attributes');
      patch.multiCategoryOptions = [...new Set([...(current.multiCategoryOptions ?? []), ...parseMultiCategoryOptions(body.multiCategoryOptions)])];
    }
    account.attributes.update(category, req.params.name, patch);
    res.status(204).end();
  });

  router.delete('/contacts/attributes/:category/:name', (req, res) => {
    const { account } = sandboxRequest(req);
    account.attributes.delete(parseCategory(req.params.category), req.params.name);
    res.status(204).end();
  });

  return router;
}

function parseCategory(value: string): AttributeCategory {
  if (!CATEGORIES.includes(value as AttributeCategory)) throw invalid('attributeCategory is not valid');
  return value as AttributeCategory;
}

function parseEnumeration(value: unknown): EnumerationItem[] {
  if (!Array.isArray(value) || value.length === 0) throw missing('enumeration is missing');
  return value.map((item) => {
    const { value: v, label } = (item ?? {}) as { value?: unknown; label?: unknown };
    if (!Number.isSafeInteger(v) || typeof label !== 'string' || label.length > 200) throw invalid('enumeration is not valid');
    return { value: v as number, label };
  });
}

/** "None of the category or multicategory option values can exceed 200 characters." */
function parseMultiCategoryOptions(value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((option) => typeof option === 'string' && option.length <= 200)) throw invalid('multiCategoryOptions is not valid');
  return value as string[];
}
