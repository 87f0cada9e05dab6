// The product for the benchmarks, started the way `npm start` starts it
// (scripts/lib/stack.mjs) but on free ports, with a throw-away database and
// the Brevo sandbox's documented rate limits on. Pieces start on first use:
// a `--only mapping` run starts nothing; sync workers start per measurement. Each process's output goes to
// artifacts/bench-logs/<name>.log.
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/paths.mjs';
import { ProcessGroup } from '../../scripts/lib/process-group.mjs';
import { APPS, appArgs, startStack, stackEnvironment } from '../../scripts/lib/stack.mjs';
import { findFreePort } from '../../tools/devdb/launch.mjs';

export const logDir = join(repoRoot, 'artifacts', 'bench-logs');

export interface Ports {
  devdb: number;
  salesforce: number;
  brevo: number;
  bff: number;
  web: number;
  host: number;
}

export interface ServiceUrls {
  mongoUri: string;
  bffUrl: string;
  salesforceUrl: string;
  brevoUrl: string;
}

/** Where the host demo loads the microfrontend from (a built bundle served by the benchmark, not the dev server). */
export interface WebBundleLocation {
  modulePath: string;
  iframePath: string;
}

/**
 * Variables every benchmark stack sets on top of the ones `npm start` derives:
 * quiet logs; the Brevo sandbox's rate limits (issue 7: "with the Brevo
 * sandbox's documented rate limits on"); and a per-account BFF rate limit far
 * above what a load test sends, since one account is the load (with the
 * default 300/min the measurement would be of 429 answers).
 */
export const BENCH_ENV: Record<string, string> = {
  LOG_LEVEL: 'warn',
  BREVO_SANDBOX_RATE_LIMITS: 'true',
  RATE_LIMIT_PER_MINUTE: '100000',
};

/** How long a worker may take to say it is ready (see `BenchStack.worker`). */
const WORKER_READY_TIMEOUT_MS = 300_000;

function app(name: string) {
  const found = APPS.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no app named ${name} in scripts/lib/stack.mjs`);
  return found;
}

/** A process the benchmark started and stops itself (its exit is then not reported as a crash). */
export interface OwnProcess {
  pid: number;
  /** SIGKILL by default; SIGTERM lets it shut down (and write a --cpu-prof profile, or release its leases). */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export class BenchStack {
  readonly ports: Ports;
  readonly #group: ProcessGroup;
  readonly #dataDir: string;
  /** Where its processes' output goes (artifacts/bench-logs, or a folder of it for a stack of its own). */
  readonly logDir: string;
  #env: Record<string, string> = {};
  #services: Promise<ServiceUrls> | null = null;
  #host: Promise<string> | null = null;
  /** Processes we stop on purpose before the end (their exit is not reported as a crash). */
  readonly #expectedExits = new Set<string>();
  /** Every stack created and not yet stopped: `bench/main.ts` stops them all on a signal (`stopEvery`), a benchmark's own stack too. */
  static readonly #running = new Set<BenchStack>();
  #stopped: Promise<void> | undefined;

  private constructor(ports: Ports, logFolder?: string) {
    this.ports = ports;
    this.#dataDir = mkdtempSync(join(tmpdir(), 'contact-sync-bench-db-'));
    this.logDir = logFolder ? join(logDir, logFolder) : logDir;
    rmSync(this.logDir, { recursive: true, force: true });
    mkdirSync(this.logDir, { recursive: true });
    const shownDir = this.logDir.slice(repoRoot.length + 1);
    this.#group = new ProcessGroup({
      output: (name: string, line: string) => appendFileSync(join(this.logDir, `${name}.log`), line + '\n'),
      onUnexpectedExit: (name: string, code: number | null, signal: string | null) => {
        if (!this.#expectedExits.has(name)) console.error(`  ✗ ${name} exited (${signal ?? code}); see ${shownDir}/${name}.log`);
      },
    });
  }

  /**
   * `logFolder`: a stack of its own beside the run's shared one (a benchmark whose workers must not see
   * the others' integrations), logging to artifacts/bench-logs/<logFolder>/.
   */
  static async create(logFolder?: string): Promise<BenchStack> {
    const ports: Ports = { devdb: 0, salesforce: 0, brevo: 0, bff: 0, web: 0, host: 0 };
    for (const name of Object.keys(ports) as (keyof Ports)[]) ports[name] = await findFreePort();
    const stack = new BenchStack(ports, logFolder);
    BenchStack.#running.add(stack);
    return stack;
  }

  /** Stops every stack not stopped yet (on Ctrl-C or SIGTERM: a benchmark's `finally` does not run then). */
  static async stopEvery(): Promise<void> {
    await Promise.all([...BenchStack.#running].map((stack) => stack.stop()));
  }

  /** The database (or MONGODB_URI's server, in a database of its own), both sandboxes and the BFF. */
  services(): Promise<ServiceUrls> {
    this.#services ??= this.#startServices();
    return this.#services;
  }

  async #startServices(): Promise<ServiceUrls> {
    const external = process.env.MONGODB_URI;
    const mongoUri = external ? databaseOn(external, `bench_${Date.now()}`) : undefined;
    process.stdout.write('  starting the database, both sandboxes and the BFF...');
    const started = performance.now();
    const { env } = await startStack(this.#group, { only: 'devdb', ports: this.ports, dataDir: this.#dataDir, mongoUri, env: BENCH_ENV });
    const uri = env.MONGODB_URI!;
    await startStack(this.#group, { only: 'sandboxes', ports: this.ports, mongoUri: uri, env: BENCH_ENV });
    this.#env = { ...stackEnvironment(this.ports, uri), ...BENCH_ENV };
    await this.#startApp('bff');
    console.log(` ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return {
      mongoUri: uri,
      bffUrl: this.#env.BFF_PUBLIC_URL!,
      salesforceUrl: this.#env.SALESFORCE_SANDBOX_PUBLIC_URL!,
      brevoUrl: this.#env.BREVO_SANDBOX_PUBLIC_URL!,
    };
  }

  /**
   * The host demo, loading the microfrontend from `http://localhost:<ports.web>`
   * at the given paths (the benchmark serves its production build there).
   */
  hostDemo(bundle: WebBundleLocation): Promise<string> {
    this.#host ??= (async () => {
      await this.services();
      await this.#startApp('host-demo', { WEB_MODULE_PATH: bundle.modulePath, WEB_IFRAME_PATH: bundle.iframePath });
      return `http://localhost:${this.ports.host}`;
    })();
    return this.#host;
  }

  /** Starts a Node process of ours (e.g. the bare Express baseline) in the group, so it is stopped with the rest. */
  async startScript(name: string, script: string, env: Record<string, string>): Promise<void> {
    await this.#group.start({
      name,
      command: process.execPath,
      args: ['--import', 'tsx', script],
      cwd: repoRoot,
      env: { ...BENCH_ENV, ...env },
      ready: / ready on /,
    });
  }

  /**
   * A BFF of its own for a load test, on the same database: killed afterwards,
   * so requests the load left in flight (Express finishes a handler whose
   * client is gone) cannot slow the benchmarks that follow.
   */
  async disposableBff(name: string, nodeArgs: string[] = []): Promise<OwnProcess & { url: string }> {
    await this.services();
    const port = await findFreePort();
    const url = `http://localhost:${port}`;
    const { child } = await this.#startApp('bff', { BFF_PORT: String(port), BFF_PUBLIC_URL: url }, name, nodeArgs);
    return { url, ...this.#own(name, child) };
  }

  /**
   * A sync worker (apps/worker) on the stack's database, as `npm start` runs
   * it; `env` overrides its settings (e.g. SYNC_INTERVAL_SECONDS). A fresh
   * process per measurement, so its peak RSS is that measurement's alone. Stop
   * it with SIGTERM: it then releases its integration leases, and the next
   * worker can run them at once. It is ready once Agenda takes jobs; its
   * first reconcile (one recurring job per active integration: about 2 minutes
   * for #7's 2,000 new ones) and the waiting sync requests go on after that,
   * and a benchmark that needs them waits for what it measures (the loads, the
   * runs). The longer wait is for a start on a busy machine.
   */
  async worker(name: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<OwnProcess> {
    await this.services();
    const { child } = await this.#startApp('worker', env, name, nodeArgs, WORKER_READY_TIMEOUT_MS);
    return this.#own(name, child);
  }

  /**
   * Another Brevo sandbox (same settings: rate limits on), for a client that
   * must not touch the product's Brevo account: its writes would reach the
   * product as webhooks. Returns its base URL (without `/v3`).
   */
  async separateBrevoSandbox(name: string): Promise<string> {
    await this.services();
    const port = await findFreePort();
    const url = `http://localhost:${port}`;
    await this.#startApp('brevo-sandbox', { BREVO_SANDBOX_PORT: String(port), BREVO_SANDBOX_PUBLIC_URL: url }, name);
    return url;
  }

  #own(name: string, child: ChildProcess): OwnProcess {
    return {
      pid: child.pid!,
      kill: (signal = 'SIGKILL') =>
        new Promise<void>((resolve) => {
          this.#expectedExits.add(name);
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill(signal);
        }),
    };
  }

  async #startApp(name: string, extraEnv: Record<string, string> = {}, processName = name, nodeArgs: string[] = [], timeoutMs?: number): Promise<{ child: ChildProcess }> {
    const entry = app(name);
    return this.#group.start({
      name: processName,
      command: process.execPath,
      args: appArgs(entry, nodeArgs),
      cwd: join(repoRoot, entry.dir),
      env: { ...this.#env, ...extraEnv },
      ready: / ready on /,
      ...(timeoutMs ? { timeoutMs } : {}),
    });
  }

  /** Stops its processes and removes its data; a second call (a signal during a benchmark's own stop) waits for the first. */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      await this.#group.stopAll();
      rmSync(this.#dataDir, { recursive: true, force: true });
      BenchStack.#running.delete(this);
    })();
    return this.#stopped;
  }
}

function databaseOn(uri: string, name: string): string {
  const url = new URL(uri);
  url.pathname = `/${name}`;
  return url.toString();
}
