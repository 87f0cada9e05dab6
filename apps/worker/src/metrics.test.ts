import type { IntegrationRunResult } from '@contact-sync/sync';
import { describe, expect, it } from 'vitest';
import { cachedFor, createWorkerMetrics, registerWorkerGauges, runEndOf } from './metrics.ts';

const direction = (end: string) => ({ end }) as IntegrationRunResult['salesforceToBrevo'] & IntegrationRunResult['brevoToSalesforce'];
const result = (brevoToSalesforce: string, salesforceToBrevo: string | null) =>
  ({ brevoToSalesforce: direction(brevoToSalesforce), salesforceToBrevo: salesforceToBrevo === null ? null : direction(salesforceToBrevo), retried: null }) as IntegrationRunResult;

describe('worker metrics', () => {
  it('a run ends as failed if either direction failed, else where Salesforce → Brevo stopped', () => {
    expect(runEndOf(result('completed', 'completed'))).toBe('completed');
    expect(runEndOf(result('failed', 'completed'))).toBe('failed');
    expect(runEndOf(result('completed', 'yielded'))).toBe('yielded');
    expect(runEndOf(result('auth_error', null))).toBe('auth_error');
  });

  it('the back-off count is read at most once per period however often it is scraped, and keeps its last value when a read fails', async () => {
    let clock = 0;
    let reads = 0;
    let fail = false;
    const errors: unknown[] = [];
    const read = async () => {
      reads += 1;
      if (fail) throw new Error('database away');
      return reads * 10;
    };
    const count = cachedFor(15_000, read, (error) => errors.push(error), () => clock);
    expect(await Promise.all([count(), count(), count()])).toEqual([10, 10, 10]);
    clock = 14_999;
    expect(await count()).toBe(10);
    clock = 15_000;
    expect(await count()).toBe(20);
    fail = true;
    clock = 30_000;
    expect(await count()).toBe(20);
    expect([reads, errors.length]).toEqual([3, 1]);
  });

  it('the gauges read their sources at each scrape', async () => {
    const metrics = createWorkerMetrics({ defaultMetrics: false });
    let streams = 2;
    registerWorkerGauges(metrics, { runsInProgress: () => 1, streamsHeld: () => streams, integrationsBackingOff: async () => 7 });
    expect(await metrics.registry.metrics()).toMatch(/worker_sync_runs_in_progress 1\n[\s\S]*worker_streams_held 2\n[\s\S]*worker_integrations_backing_off 7\n/);
    streams = 0;
    expect(await metrics.registry.metrics()).toContain('worker_streams_held 0\n');
  });
});
