import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { API_ERRORS, errorResponseSchema, type ApiErrorCode } from './errors.ts';
import { ROUTES, type RouteDefinition } from './routes.ts';

/**
 * Builds the BFF's OpenAPI 3.1 document from the route table (the same
 * schemas that validate requests). Server side only: the microfrontend
 * imports `@contact-sync/api`, never this file.
 */
export interface OpenApiOptions {
  serverUrl: string;
  version?: string;
}

const JSON_TYPE = 'application/json';

/** Errors any route of that kind can answer, besides its own. */
function genericErrors(route: RouteDefinition): ApiErrorCode[] {
  const codes: ApiErrorCode[] = ['internal_error'];
  // Everything but the operations endpoints reads the database.
  if (route.tag !== 'operations') codes.push('service_unavailable');
  if (route.auth === 'metrics-token') codes.push('unauthorized');
  else if (route.auth !== 'none') codes.push('unauthorized', 'rate_limited');
  if (route.body) codes.push('invalid_json', 'malformed_request', 'payload_too_large', 'unsupported_media_type', 'validation_failed');
  if (route.query) codes.push('validation_failed');
  // A path that does not percent-decode is refused before any route logic.
  if (route.params) codes.push('malformed_request');
  // Malformed ids are answered as not found to callers of the API, as invalid to the admin; the webhook's
  // unknown integration is a 401 like a wrong secret.
  if (route.params && route.auth === 'host-jwt') codes.push('not_found');
  if (route.params && route.auth === 'admin') codes.push('validation_failed');
  return codes;
}

function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, '{$1}');
}

function errorResponses(codes: readonly ApiErrorCode[]): RouteConfig['responses'] {
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = API_ERRORS[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: RouteConfig['responses'] = {};
  for (const [status, statusCodes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[status] = {
      description: `Error: ${statusCodes.join(', ')}`,
      content: { [JSON_TYPE]: { schema: errorResponseSchema } },
    };
  }
  return responses;
}

/**
 * Node's HTTP server refuses a request line plus headers over 16 kB (a long
 * query, a huge Authorization header) with an empty 431 before any route
 * runs, so every operation can answer it.
 */
const HEADERS_TOO_LARGE: RouteConfig['responses'] = {
  431: { description: 'Request line and headers over 16 kB, refused by the HTTP server before routing (no body)' },
};

function successResponse(route: RouteDefinition): RouteConfig['responses'] {
  const { response } = route;
  if ('schema' in response) {
    return { [response.status]: { description: response.description, content: { [JSON_TYPE]: { schema: response.schema } } } };
  }
  if ('contentType' in response) {
    return {
      [response.status]: { description: response.description, content: { [response.contentType]: { schema: { type: 'string' } } } },
    };
  }
  return { [response.status]: { description: response.description } };
}

function security(route: RouteDefinition): RouteConfig['security'] {
  if (route.auth === 'host-jwt') return [{ hostJwt: [] }];
  if (route.auth === 'admin') return [{ adminSecret: [] }];
  // Open in development without METRICS_TOKEN, so the token is optional here.
  if (route.auth === 'metrics-token') return [{ metricsToken: [] }, {}];
  return [];
}

export function buildOpenApiDocument(options: OpenApiOptions): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'hostJwt', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: "The host's short-lived HS256 JWT (iss, aud, sub, accountId, plan, email, locale; at most 5 minutes).",
  });
  registry.registerComponent('securitySchemes', 'adminSecret', {
    type: 'http',
    scheme: 'bearer',
    description: 'ADMIN_SECRET of the BFF (host-to-BFF administration).',
  });

  registry.registerComponent('securitySchemes', 'metricsToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'METRICS_TOKEN of the BFF (the Prometheus scraper).',
  });

  for (const route of Object.values(ROUTES) as RouteDefinition[]) {
    const request: NonNullable<RouteConfig['request']> = {};
    if (route.params) request.params = route.params;
    if (route.query) request.query = route.query;
    if (route.body) request.body = { required: true, content: { [JSON_TYPE]: { schema: route.body } } };
    registry.registerPath({
      method: route.method,
      path: openApiPath(route.path),
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      security: security(route),
      request,
      responses: { ...successResponse(route), ...errorResponses([...route.errors, ...genericErrors(route)]), ...HEADERS_TOO_LARGE },
    });
  }

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Contact sync BFF',
      version: options.version ?? '1.0.0',
      description:
        'Salesforce ↔ Brevo contact sync: the API of the microfrontend. Errors are `{ error: { code, message, details } }`; ' +
        'codes: ' +
        Object.entries(API_ERRORS)
          .map(([code, { status }]) => `${code} (${status})`)
          .join(', ') +
        '.',
    },
    servers: [{ url: options.serverUrl }],
  });
}
