import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** One registry per app instance (tests build several apps in one process). */
export interface BffMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  salesforceConnections: Counter<'outcome'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): BffMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'bff_http_request_duration_seconds',
      help: 'HTTP request duration by route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    salesforceConnections: new Counter({
      name: 'bff_salesforce_connections_total',
      help: 'Salesforce connections completed by the opener, by outcome (ok or error code)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}
