// Event-loop delay, garbage collection and CPU of one Node process over a
// window, for "what a response costs" (#5): preload it (`--import`, plain JS:
// before tsx) and send SIGUSR2 to frame windows. Each signal writes the window
// since the previous one (or since the start) as JSON to
// `artifacts/loop-stats/<pid>-<n>.json`, then starts the next:
//   - CPU (process.cpuUsage: user and system ms);
//   - event-loop delay (perf_hooks monitorEventLoopDelay, 10 ms resolution:
//     how late a timer ran, so a stall of the loop shows as its length);
//   - GC pauses (PerformanceObserver 'gc' entries: count, total and longest
//     pause, by kind: minor/scavenge, major/mark-compact, incremental, weak).
// `bench/diagnostics/bff-load-anatomy.ts` uses it on the BFF and on bare Express.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'artifacts', 'loop-stats');
const KIND = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
let gc = {};
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = KIND[entry.detail?.kind] ?? String(entry.detail?.kind);
    const stats = (gc[kind] ??= { count: 0, totalMs: 0, maxMs: 0 });
    stats.count += 1;
    stats.totalMs += entry.duration;
    stats.maxMs = Math.max(stats.maxMs, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });

let cpuAt = process.cpuUsage();
let startedAt = performance.now();
let written = 0;
const ms = (ns) => Math.round(ns / 1e4) / 100;
process.on('SIGUSR2', () => {
  const cpu = process.cpuUsage(cpuAt);
  const now = performance.now();
  written += 1;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${process.pid}-${written}.json`),
    JSON.stringify({
      wallMs: Math.round(now - startedAt),
      cpuUserMs: Math.round(cpu.user / 1000),
      cpuSystemMs: Math.round(cpu.system / 1000),
      // The histogram counts how late each 10 ms timer fired: its values are the delay beyond those 10 ms.
      eventLoopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max), mean: ms(delay.mean) },
      gc,
    }),
  );
  delay.reset();
  gc = {};
  cpuAt = process.cpuUsage();
  startedAt = now;
});
