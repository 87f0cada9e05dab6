import { issuesFromZodError } from '@contact-sync/rules';
import { describe, expect, it } from 'vitest';
import { apiErrorStatus, API_ERRORS } from './errors.ts';
import { createIntegrationBodySchema, updateIntegrationBodySchema } from './integrations.ts';
import { mappingBodySchema } from './mapping.ts';
import { pageQuerySchema } from './common.ts';

describe('request schemas', () => {
  it('trims names and turns rule failures into rule codes', () => {
    expect(createIntegrationBodySchema.parse({ kind: 'salesforce-leads', name: '  Leads  ' })).toEqual({ kind: 'salesforce-leads', name: 'Leads' });
    const result = createIntegrationBodySchema.safeParse({ kind: 'salesforce-leads', name: '   ' });
    expect(result.success).toBe(false);
    if (!result.success) expect(issuesFromZodError(result.error).map((i) => i.code)).toEqual(['name_required']);
  });

  it('rejects unknown fields', () => {
    const result = updateIntegrationBodySchema.safeParse({ name: 'x', status: 'active' });
    expect(result.success).toBe(false);
    expect(mappingBodySchema.safeParse({ mapping: {}, extra: 1 }).success).toBe(false);
  });

  it('coerces and bounds paging', () => {
    expect(pageQuerySchema.parse({})).toEqual({ offset: 0, limit: 10 });
    expect(pageQuerySchema.parse({ offset: '20', limit: '50' })).toEqual({ offset: 20, limit: 50 });
    expect(pageQuerySchema.safeParse({ limit: '51' }).success).toBe(false);
  });

  it.each(['', ' ', '1e3', '0x10', '-1', '2.5', 'ten'])('refuses %j as a paging number (the document says integer; "" was read as 0)', (offset) => {
    expect(pageQuerySchema.safeParse({ offset }).success).toBe(false);
  });
});

describe('error codes', () => {
  it('map rule codes to the statuses the rules package gives them where they meet', () => {
    expect(apiErrorStatus('plan_required')).toBe(403);
    expect(apiErrorStatus('name_taken')).toBe(409);
    expect(apiErrorStatus('connection_limit_reached')).toBe(409);
    expect(Object.values(API_ERRORS).every((e) => e.status >= 400 && e.status < 600)).toBe(true);
  });
});
