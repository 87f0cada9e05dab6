// What benchmarks #1–#4 share: the demo org grown to N Contacts, an
// integration set up through the BFF as the microfrontend does it, a worker
// process of the product, and how to see when a run is over and when its
// writes are visible on the other side.
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunDto } from '@contact-sync/api';
import type { Connection } from 'jsforce';
import { DEFAULT_API_KEY, DEFAULT_API_KEY_NAME } from '../../apps/sandbox-brevo/src/app.ts';
import { raiseQuota } from '../../apps/worker/src/raise-quota.ts';
import { BENCH_MAPPING } from './bench-mapping.ts';
import { processPeakRssMb } from './machine.ts';
import { ProductApi } from './product-api.ts';
import { BrevoControl, SalesforceControl } from './sandbox-control.ts';
import type { BenchStack, OwnProcess, ServiceUrls } from './stack.ts';

/**
 * Who syncs: a host account of its own in the BFF (the BFF benchmark counts
 * acc_demo's integrations), given the Brevo sandbox's demo key, so its
 * contacts land in the sandbox's acc_demo; and the sandbox's demo org.
 */
export const SYNC_ACCOUNT = {
  hostAccountId: 'acc_sync_bench',
  brevoApiKey: DEFAULT_API_KEY,
  /** Set with the key, as an operator would for a key of the integration's own: its echoes are dropped on arrival. */
  brevoApiKeyName: DEFAULT_API_KEY_NAME,
  brevoAccountId: 'acc_demo',
  salesforceUsername: 'demo@acme.test',
  salesforcePassword: 'demo1234',
} as const;

export { BENCH_MAPPING };

/**
 * A worker that syncs only when asked (activation, Sync now): no scheduled run
 * can start in the middle of a measurement and add its calls to it, and no
 * change arrives by the stream (#1–#3 measure the watermark run).
 * Benchmark #4 uses the defaults instead (streaming on, runs every 60 s or 900 s).
 */
export const ON_DEMAND_WORKER = { SYNC_INTERVAL_SECONDS: '86400', SYNC_STREAMING: 'off', LOG_LEVEL: 'info' };
export const DEFAULT_WORKER = { LOG_LEVEL: 'info' };

/**
 * R16 caps an integration at 100,000 operations a month; a bigger org gets a
 * higher cap from support (apps/worker raise-quota). The benchmark does the same.
 */
const BENCH_QUOTA = 10_000_000;

const POLL_MS = 200;

export interface InitialLoadFigures {
  contacts: number;
  /** Activation request → first moment the list held every record it holds once the run is over. */
  wallMs: number;
  /** Contacts in the Brevo list at the end (the rest were rejected by the rules: no e-mail). */
  listed: number;
  salesforceCalls: number;
  brevoCalls: number;
  brevoCallsByRoute: Record<string, number>;
  salesforceCallsByRoute: Record<string, number>;
  /** The worker process's VmHWM (a fresh worker for this load). */
  workerPeakRssMb: number | null;
  run: RunDto;
}

/** One integration of the demo account, and the product around it. */
export class SyncScenario {
  readonly api: ProductApi;
  readonly salesforce: SalesforceControl;
  readonly brevo: BrevoControl;
  #worker: OwnProcess | null = null;
  #hundredThousand: Promise<{ integration: LoadedIntegration; figures: InitialLoadFigures }> | undefined;

  private constructor(
    readonly stack: BenchStack,
    readonly services: ServiceUrls,
  ) {
    this.api = new ProductApi(services.bffUrl, SYNC_ACCOUNT.hostAccountId);
    this.salesforce = new SalesforceControl(services.salesforceUrl);
    this.brevo = new BrevoControl(services.brevoUrl);
  }

  /** One per stack: benchmarks run alone (--only) set up what they need, run together they share it. */
  static on(stack: BenchStack): Promise<SyncScenario> {
    let found = scenarios.get(stack);
    if (!found) {
      found = stack.services().then(async (services) => {
        const scenario = new SyncScenario(stack, services);
        await scenario.api.setBrevoKey(SYNC_ACCOUNT.brevoApiKey, SYNC_ACCOUNT.brevoApiKeyName);
        return scenario;
      });
      scenarios.set(stack, found);
    }
    return found;
  }

  /** #1's 100,000 Contacts, loaded (and measured) once; #2–#4 work on them. */
  hundredThousand(): Promise<{ integration: LoadedIntegration; figures: InitialLoadFigures }> {
    this.#hundredThousand ??= this.initialLoad('Bench 100k', HUNDRED_THOUSAND, 15 * 60_000);
    return this.#hundredThousand;
  }

  get worker(): OwnProcess {
    if (!this.#worker) throw new Error('no worker started');
    return this.#worker;
  }

  /** Stops the current worker (SIGTERM: it releases its leases) and starts a fresh one. */
  async restartWorker(name: string, env: Record<string, string>): Promise<OwnProcess> {
    await this.stopWorker();
    this.#worker = await this.stack.worker(name, env);
    return this.#worker;
  }

  async stopWorker(): Promise<void> {
    await this.#worker?.kill('SIGTERM');
    this.#worker = null;
  }

  /**
   * Grows the demo org to `contacts` generated Contacts (besides its ~200 demo
   * ones), sets an integration up through the BFF, then measures activation →
   * last record in the Brevo list with a fresh on-demand worker.
   */
  async initialLoad(name: string, contacts: number, timeoutMs: number): Promise<{ integration: LoadedIntegration; figures: InitialLoadFigures }> {
    const generated = await this.salesforce.generateContacts(contacts);
    console.log(`  generated ${contacts.toLocaleString('en-US')} Contacts in ${generated.ms} ms (org: ${generated.total.toLocaleString('en-US')})`);
    const draft = await this.api.draftIntegration({ name, mapping: BENCH_MAPPING, username: SYNC_ACCOUNT.salesforceUsername, password: SYNC_ACCOUNT.salesforcePassword });
    await raiseQuota([draft.id, String(BENCH_QUOTA), '--by', 'bench'], { MONGODB_URI: this.services.mongoUri });
    const integration = new LoadedIntegration(this, draft.id, draft.list!.id);
    const worker = await this.restartWorker(`worker-${name.toLowerCase().replace(/\W+/g, '-')}`, ON_DEMAND_WORKER);

    await this.salesforce.resetCalls();
    await this.brevo.resetCalls();
    const started = Date.now();
    await this.api.activate(draft.id);
    let listed = 0;
    let listedAt = started;
    let run: RunDto | undefined;
    let lastRunCheck = 0;
    for (;;) {
      const members = await this.brevo.listMembers(SYNC_ACCOUNT.brevoAccountId, integration.listId);
      if (members !== listed) [listed, listedAt] = [members, Date.now()];
      if (run) break; // one last read after the run ended
      if (Date.now() - lastRunCheck >= 1_000) {
        lastRunCheck = Date.now();
        run = await integration.finishedRun(new Date(started));
        if (run) continue;
      }
      if (Date.now() - started > timeoutMs) throw new Error(`initial load of ${contacts} not over after ${timeoutMs / 1000} s (${listed} in the list)`);
      await sleep(POLL_MS);
    }
    const [salesforceCalls, brevoCalls] = [await this.salesforce.calls(), await this.brevo.calls()];
    if (run.status !== 'succeeded') throw new Error(`the initial load ended ${run.status}: ${run.outcome?.code} ${run.outcome?.message}`);
    return {
      integration,
      figures: {
        contacts,
        wallMs: listedAt - started,
        listed,
        salesforceCalls: salesforceCalls.total,
        salesforceCallsByRoute: salesforceCalls.byRoute,
        brevoCalls: brevoCalls.total,
        brevoCallsByRoute: brevoCalls.byRoute,
        workerPeakRssMb: processPeakRssMb(worker.pid),
        run,
      },
    };
  }
}

/** An active integration whose initial load is done. */
export class LoadedIntegration {
  constructor(
    readonly scenario: SyncScenario,
    readonly id: string,
    readonly listId: number,
  ) {}

  /**
   * Generated Contacts already in the Brevo list, with their e-mail: `count`
   * of them after the first `skip`, newest Id first (the demo org's own
   * records, with their deliberate edge cases, have the oldest Ids).
   */
  async syncedContacts(conn: Connection, count: number, skip = 0): Promise<{ Id: string; Email: string }[]> {
    // A few Contacts have no e-mail (never in the list): ask for some more than needed.
    const limit = Math.ceil((count + skip) * 1.2) + 50;
    // More than one query page (2,000) for #4's 1,150 after 1,000.
    const { records } = await conn.query<{ Id: string; Email: string | null }>(`SELECT Id, Email FROM Contact ORDER BY Id DESC LIMIT ${limit}`, { autoFetch: true, maxFetch: limit });
    const withEmail = records.filter((record): record is { Id: string; Email: string } => typeof record.Email === 'string');
    const found = await this.scenario.brevo.findContacts(SYNC_ACCOUNT.brevoAccountId, withEmail.map((record) => record.Email));
    const synced = withEmail.filter((_, i) => found[i]?.listIds.includes(this.listId)).slice(skip, skip + count);
    if (synced.length < count) throw new Error(`only ${synced.length} of the first Contacts are in the Brevo list; expected ${count}`);
    return synced.map(({ Id, Email }) => ({ Id, Email }));
  }

  /** The Salesforce → Brevo run started at or after `since`, once it has ended (undefined while running or not started). */
  async finishedRun(since: Date): Promise<RunDto | undefined> {
    const run = (await this.runsSince(since)).find((candidate) => candidate.direction === 'salesforce_to_brevo');
    return run && run.status !== 'running' ? run : undefined;
  }

  /** Runs of either direction started at or after `since`, oldest first. */
  async runsSince(since: Date): Promise<RunDto[]> {
    return (await this.scenario.api.runs(this.id, 10)).filter((run) => Date.parse(run.startedAt) >= since.getTime()).reverse();
  }

  /** Waits for the Salesforce → Brevo run started at or after `since` to end. */
  async waitForRun(since: Date, timeoutMs: number): Promise<RunDto> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await this.finishedRun(since);
      if (run) return run;
      if (Date.now() > deadline) throw new Error(`no run of integration ${this.id} ended within ${timeoutMs / 1000} s of ${since.toISOString()}`);
      await sleep(500);
    }
  }
}

const scenarios = new WeakMap<BenchStack, Promise<SyncScenario>>();

export const HUNDRED_THOUSAND = 100_000;
