import type { FleetOptions } from './benchmarks/fleet.ts';
import type { BenchStack } from './support/stack.ts';

/** What every benchmark gets from the runner. */
export interface BenchContext {
  /** The product's processes, started on first use and shared by the benchmarks of one run. */
  stack(): Promise<BenchStack>;
  /** Seconds each autocannon measurement lasts (`--duration`; short while developing). */
  loadSeconds: number;
  /** Records the naive baseline (#2) upserts one by one before extrapolating to all (`--naive-sample`). */
  naiveSample: number;
  /** Benchmark #7's fleet and phases (`--fleet-*`). */
  fleet: FleetOptions;
}
