import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsAccess } from '@contact-sync/secrets';
import type { Registry } from 'prom-client';

export interface MetricsServerOptions {
  port: number;
  host: string;
  registry: Registry;
  /** Who may read `/metrics` (`metricsAccess` of @contact-sync/secrets: the BFF's rule). */
  access: (authorization: string | undefined) => MetricsAccess;
  onError?: (error: unknown) => void;
}

/** A scraper or probe needs a few connections; a client holding many open gets no more. */
const MAX_CONNECTIONS = 32;

const ERRORS = {
  not_found: [404, 'Not found.'],
  unauthorized: [401, 'Missing or invalid bearer token.'],
  method_not_allowed: [405, 'Only GET and HEAD.'],
} as const;

/** The BFF's error shape, `{ error: { code, message } }`. */
function sendError(res: ServerResponse, code: keyof typeof ERRORS): void {
  const [status, message] = ERRORS[code];
  if (code === 'unauthorized') res.setHeader('www-authenticate', 'Bearer');
  if (code === 'method_not_allowed') res.setHeader('allow', 'GET, HEAD');
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ error: { code, message } }));
}

/**
 * The worker's own HTTP server: `GET /healthz` (liveness: the process answers) and `GET /metrics`
 * (Prometheus text, under the BFF's METRICS_TOKEN rule). Nothing else; no request body is read, and a
 * scrape reads the registry (in memory but for one cached count, `cachedFor` in metrics.ts).
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<{ server: Server; url: string }> {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/healthz' && path !== '/metrics') return sendError(res, 'not_found');
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 'method_not_allowed');
    if (path === '/healthz') return res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ status: 'ok' }));
    const verdict = options.access(req.headers.authorization);
    if (verdict !== 'served') return sendError(res, verdict);
    const body = await options.registry.metrics();
    res.writeHead(200, { 'content-type': options.registry.contentType }).end(req.method === 'HEAD' ? undefined : body);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.onError?.(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ error: { code: 'internal', message: 'Internal error.' } }));
      else res.destroy();
    });
  });
  server.maxConnections = MAX_CONNECTIONS;
  // A client that sends its headers slowly holds no connection for long.
  server.headersTimeout = 5_000;
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return { server, url: `http://${host}:${bound.port}` };
}
