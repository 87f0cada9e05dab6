// The benchmark runner: benchmarks register here, each returns its figures
// (or says why it could not measure), and the runner prints one table with
// every figure against its target.

/** A target a figure must meet: at most `max`, or at least `min`. */
export type Target = { max: number } | { min: number };

export interface Figure {
  name: string;
  /** null: the figure could not be taken (see the benchmark's `notMeasured`). */
  value: number | null;
  unit: string;
  target?: Target;
  /** Whether the value meets the target; absent when there is no target or no value. */
  ok?: boolean;
  /** The true value is at least `value` (e.g. a latency whose requests did not complete within the measurement). */
  atLeast?: boolean;
}

export interface BenchmarkOutcome {
  figures: Figure[];
  /** What the figures mean or what was found while measuring (printed under the table). */
  notes?: string[];
  /** Set when the benchmark could not run at all: the reason, printed instead of figures. */
  notMeasured?: string;
}

export interface Benchmark<Context> {
  /** Short name for `--only`. */
  name: string;
  title: string;
  run(context: Context): Promise<BenchmarkOutcome>;
}

/** A figure with its target checked. With `atLeast`, `value` is a lower bound (a `max` target is then missed when the bound is over it). */
export function figure(name: string, value: number, unit: string, target?: Target, atLeast = false): Figure {
  const base: Figure = atLeast ? { name, value, unit, atLeast } : { name, value, unit };
  if (!target) return base;
  if (atLeast && 'max' in target && value <= target.max) return { ...base, target }; // a bound under the target decides nothing
  const ok = 'max' in target ? value <= target.max : value >= target.min;
  return { ...base, target, ok };
}

/** A figure the benchmark plans but cannot take yet (value null, target kept for the table). */
export function pending(name: string, unit: string, target?: Target): Figure {
  return target ? { name, value: null, unit, target } : { name, value: null, unit };
}

export interface BenchmarkReport extends BenchmarkOutcome {
  name: string;
  title: string;
  durationMs: number;
  /** The benchmark threw: the message (its figures are then those it planned, without values). */
  error?: string;
}

export class Runner<Context> {
  readonly #benchmarks: Benchmark<Context>[] = [];

  register(benchmark: Benchmark<Context>): this {
    if (this.#benchmarks.some((existing) => existing.name === benchmark.name)) throw new Error(`benchmark ${benchmark.name} registered twice`);
    this.#benchmarks.push(benchmark);
    return this;
  }

  names(): string[] {
    return this.#benchmarks.map((benchmark) => benchmark.name);
  }

  /**
   * Runs the selected benchmarks (`only`: comma-separated names, else all) one
   * after the other, in registration order (never concurrently: they would measure each other).
   */
  async run(context: Context, only?: string, onReport?: (report: BenchmarkReport) => void): Promise<BenchmarkReport[]> {
    const wanted = only?.split(',').map((name) => name.trim());
    const unknown = wanted?.filter((name) => !this.names().includes(name)) ?? [];
    if (unknown.length > 0) throw new Error(`no benchmark named "${unknown.join('", "')}"; known: ${this.names().join(', ')}`);
    const selected = wanted ? this.#benchmarks.filter((benchmark) => wanted.includes(benchmark.name)) : this.#benchmarks;
    const reports: BenchmarkReport[] = [];
    for (const benchmark of selected) {
      console.log(`\n▶ ${benchmark.title}`);
      const started = performance.now();
      try {
        const outcome = await benchmark.run(context);
        reports.push({ name: benchmark.name, title: benchmark.title, durationMs: Math.round(performance.now() - started), ...outcome });
        onReport?.(reports.at(-1)!);
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        console.error(`  ✗ ${benchmark.name} failed: ${message}`);
        reports.push({ name: benchmark.name, title: benchmark.title, durationMs: Math.round(performance.now() - started), figures: [], error: message });
        onReport?.(reports.at(-1)!);
      }
    }
    return reports;
  }
}
