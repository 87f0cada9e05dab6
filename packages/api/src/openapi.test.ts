import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './openapi.ts';
import { ROUTES, type RouteDefinition } from './routes.ts';

describe('buildOpenApiDocument', () => {
  const document = buildOpenApiDocument({ serverUrl: 'http://localhost:4000' });

  it('is plain JSON with one operation per route', () => {
    const roundTripped = JSON.parse(JSON.stringify(document)) as typeof document;
    expect(roundTripped.openapi).toBe('3.1.0');
    for (const route of Object.values(ROUTES) as RouteDefinition[]) {
      const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
      const operation = roundTripped.paths?.[path]?.[route.method];
      expect(operation, `${route.method} ${path}`).toBeDefined();
      expect(operation?.operationId).toBe(route.operationId);
    }
  });

  it('documents the success response and every error status of a route', () => {
    const responses = document.paths?.['/api/v1/integrations']?.post?.responses ?? {};
    expect(Object.keys(responses).sort()).toEqual(['201', '400', '401', '403', '409', '413', '415', '422', '429', '431', '500', '503']);
    const activate = document.paths?.['/api/v1/integrations/{id}/activate']?.post?.responses ?? {};
    expect(activate['409']?.description).toContain('integration_incomplete');
  });

  it('references named component schemas and the security schemes', () => {
    const components = document.components;
    expect(Object.keys(components?.schemas ?? {})).toEqual(expect.arrayContaining(['Integration', 'ErrorResponse', 'MappingOptions', 'RuleIssue']));
    expect(Object.keys(components?.securitySchemes ?? {})).toEqual(['hostJwt', 'adminSecret', 'metricsToken']);
    expect(document.paths?.['/api/v1/oauth/salesforce/callback']?.get?.security).toEqual([]);
    expect(document.paths?.['/api/v1/integrations/{id}/salesforce/complete']?.post?.security).toEqual([{ hostJwt: [] }]);
    expect(document.paths?.['/metrics']?.get?.security).toEqual([{ metricsToken: [] }, {}]);
  });
});
