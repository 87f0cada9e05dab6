/**
 * The engine alone in a process of its own, for measure-initial-load.ts
 * (ENGINE_PROCESS=1): one Salesforce → Brevo run with the worker's clients and
 * default options, printing the process's memory after every chunk and its
 * VmHWM at the end, so the RSS measured is the engine's, not the sandboxes'.
 * Node flags (`--max-old-space-size`, `--heapsnapshot-near-heap-limit`) come from
 * the parent's ENGINE_NODE_FLAGS; HEAP_SNAPSHOT=<file> writes a heap snapshot after
 * the second chunk.
 */
import { readFileSync } from 'node:fs';
import { writeHeapSnapshot } from 'node:v8';
import jsforce from 'jsforce';
import mongoose from 'mongoose';
import { createBrevoClient } from '@contact-sync/brevo';
import { createSyncStore } from '@contact-sync/store';
import { syncSalesforceToBrevo, type EngineOptions } from '../salesforce-to-brevo.ts';
import { readEngineChildInput } from './engine-child-input.ts';

const input = readEngineChildInput();
const mb = (bytes: number) => Math.round(bytes / 1e6);
/** The kernel's peak resident set of this process (Linux). */
const vmHwmMb = () => Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1000);
const connection = await mongoose.createConnection(input.mongoUri).asPromise();
const conn = new jsforce.Connection({ instanceUrl: input.instanceUrl, accessToken: input.accessToken, version: '62.0' });
const calls: Record<string, number> = {};
const report = (label: string) => {
  const usage = process.memoryUsage();
  console.log(`${label}: rss ${mb(usage.rss)} MB, heap ${mb(usage.heapUsed)}/${mb(usage.heapTotal)} MB, external ${mb(usage.external)} MB, buffers ${mb(usage.arrayBuffers)} MB, VmHWM ${vmHwmMb()} MB`);
};
report('before the run');
const started = Date.now();
const result = await syncSalesforceToBrevo(input.integration, {
  salesforce: conn,
  brevo: createBrevoClient({ apiKey: input.apiKey, baseUrl: input.brevoBaseUrl }),
  store: createSyncStore(connection.db!),
  // Not the test harness's MemoryStatuses: harness.ts loads both sandboxes, which would count in this process's memory.
  statuses: { setStatus: async () => undefined, saveRepairedMapping: async () => undefined },
  // ENGINE_OPTIONS: engine options to try, as JSON (e.g. {"chunkSize":5000}).
  options: { ...(JSON.parse(process.env.ENGINE_OPTIONS ?? '{}') as Partial<EngineOptions>), onCall: (_api, label) => (calls[label] = (calls[label] ?? 0) + 1) },
  checkpoint: (point, chunk) => {
    // Once its links are saved: a chunk that only creates is committed later, with the imports one look confirms.
    if (point !== 'links-saved') return;
    report(`chunk ${chunk}, ${Math.round((Date.now() - started) / 1000)} s`);
    if (chunk === 1 && process.env.HEAP_SNAPSHOT) writeHeapSnapshot(process.env.HEAP_SNAPSHOT);
  },
});
console.log(JSON.stringify({ end: result.end, error: result.error, counts: result.counts, ms: Date.now() - started, calls, vmHwmMb: vmHwmMb() }));
await connection.close();
