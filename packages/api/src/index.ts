/**
 * @contact-sync/api — the BFF's HTTP contract: zod schemas of every request
 * and response body, the error shape and codes, and the route table. Used by
 * the BFF (validation, OpenAPI) and the microfrontend (types, client-side
 * checks). Browser-safe: the OpenAPI generator is `@contact-sync/api/openapi`,
 * token minting `@contact-sync/api/host-token`.
 */
export * from './errors.ts';
export * from './issues.ts';
export * from './common.ts';
export * from './session.ts';
export * from './integrations.ts';
export * from './salesforce.ts';
export * from './mapping.ts';
export * from './brevo.ts';
export * from './admin.ts';
export * from './sync.ts';
export * from './host-token-claims.ts';
export * from './routes.ts';
