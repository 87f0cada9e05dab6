import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  /** Responses received (any status). */
  responses: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  durationSeconds: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  headers?: Record<string, string>;
  /** Per-request timeout (s): a request still unanswered then counts as a timeout. */
  timeoutSeconds?: number;
}

/** Fewer responses than this and a p99 says nothing: the figure is then a lower bound. */
export const MIN_RESPONSES_FOR_P99 = 100;

/** One autocannon run (in this process: it is the client, the server under test is another process). */
export async function measureLoad({ url, connections, durationSeconds, headers = {}, timeoutSeconds = 30 }: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({ url, connections, duration: durationSeconds, headers, timeout: timeoutSeconds });
  return {
    requestsPerSecond: Math.round(result.requests.average * 10) / 10,
    responses: result['2xx'] + result.non2xx,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    durationSeconds,
  };
}

export function describeLoad(label: string, result: LoadResult): string {
  return (
    `${label}: ${result.responses} responses in ${result.durationSeconds} s (${result.requestsPerSecond} req/s), ` +
    `p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms, non-2xx ${result.non2xx}, errors ${result.errors} (timeouts ${result.timeouts})`
  );
}

/**
 * The p99 to report: the measured one, or — when too few requests completed
 * for a p99 to mean anything — a lower bound: the measurement's length (the
 * unanswered requests waited at least that long) or the slowest answer.
 */
export function p99Figure(result: LoadResult): { value: number; atLeast: boolean } {
  if (result.responses >= MIN_RESPONSES_FOR_P99 && result.timeouts === 0) return { value: result.p99Ms, atLeast: false };
  return { value: Math.max(result.maxMs, result.durationSeconds * 1000), atLeast: true };
}
