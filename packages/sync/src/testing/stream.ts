import { quotaMonth } from '@contact-sync/rules';
import { createSalesforceConnection, type SalesforceConnectionHandle } from '@contact-sync/salesforce';
import { streamKeyOf, type StreamStateDoc } from '@contact-sync/store';
import { CLIENT } from '@contact-sync/sandbox-salesforce';
import type { IntegrationSnapshot } from '../integration.ts';
import { runIntegration } from '../run-integration.ts';
import { StreamSession, type StreamOptions } from '../stream-session.ts';
import { engineDeps, type Harness } from './harness.ts';
import { waitUntil } from './stack.ts';

/**
 * A stream session in-process, as the worker runs it: the integration's own
 * Salesforce session (refreshable), a lock standing in for the integration's
 * lease, and "run now" requests answered by a run of the engine under that
 * lock. Records every mode the stream shows.
 */
export interface StreamUnderTest {
  session: StreamSession;
  key: string;
  salesforce: SalesforceConnectionHandle;
  /** Every mode written, in order (`realtime`, or `polling:<reason>`). */
  modes: string[];
  /** Runs asked for by the stream, once each has ended. */
  runs: Promise<unknown>[];
  state(): Promise<StreamStateDoc | null>;
  waitForMode(mode: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startStream(harness: Harness, integration: IntegrationSnapshot, options: Partial<StreamOptions> = {}): Promise<StreamUnderTest> {
  const key = streamKeyOf(`org-${integration.id}`, 'Contact');
  const salesforce = createSalesforceConnection({
    instanceUrl: harness.conn.instanceUrl,
    accessToken: harness.conn.accessToken!,
    refreshToken: harness.conn.refreshToken!,
    oauth: { loginUrl: harness.salesforce.url, ...CLIENT },
  });
  const modes: string[] = [];
  const runs: Promise<unknown>[] = [];
  let holder: Promise<unknown> | null = null;
  const exclusive = async (work: () => Promise<unknown>) => {
    if (holder) return false;
    holder = work();
    try {
      await holder;
    } finally {
      holder = null;
    }
    return true;
  };
  const deps = () => engineDeps(harness, { salesforce: salesforce.connection });
  const runNow = async (): Promise<void> => {
    // As the scheduler does: the run waits for the lease.
    while (!(await exclusive(() => runIntegration(integration, deps())))) await new Promise((resolve) => setTimeout(resolve, 50));
  };
  const streams = harness.store.streams;
  const setMode = streams.setMode.bind(streams);
  streams.setMode = async (...args) => {
    modes.push(args[3].mode === 'realtime' ? 'realtime' : `polling:${args[3].reason}`);
    await setMode(...args);
  };
  const session = new StreamSession({
    key,
    orgId: `org-${integration.id}`,
    object: 'Contact',
    salesforce,
    targets: async () => ((await harness.store.state.get(integration.id)).initialLoadDone ? [{ integration, deps: deps() }] : []),
    exclusive: (_integrationId, work) => exclusive(work),
    requestRun: async () => {
      runs.push(runNow());
    },
    store: harness.store,
    stillHolder: async () => true,
    options: { coalesceMs: 500, catchUpCheckMs: 200, retryMs: 300, ...options },
    onError: (error, where) => {
      if (process.env.SYNC_DEBUG) console.log(where, error);
    },
  });
  await session.start();
  return {
    session,
    key,
    salesforce,
    modes,
    runs,
    state: () => streams.get(key),
    waitForMode: (mode, timeoutMs = 20_000) => waitUntil(`stream mode ${mode} (modes so far: ${modes.join(', ')})`, () => modes.at(-1) === mode, timeoutMs),
    async stop() {
      await session.stop();
      await Promise.allSettled(runs);
      streams.setMode = setMode;
    },
  };
}

/** The integration's quota used this month. */
export function quotaUsed(harness: Harness, integration: IntegrationSnapshot): Promise<number> {
  return harness.store.quota.used(integration.id, quotaMonth(new Date()));
}

/** Sets a Contact's Title through the API, as a Salesforce user edits it. */
export async function editTitle(harness: Harness, id: string, title: string): Promise<void> {
  await harness.conn.sobject('Contact').update({ Id: id, Title: title });
}

/** Brevo's JOB_TITLE of the contacts of these Salesforce records (undefined: not in Brevo). */
export async function brevoTitles(harness: Harness, salesforceIds: readonly string[]): Promise<(string | undefined)[]> {
  const account = harness.brevo.state.account('acc_demo');
  const byExtId = new Map<string, string | undefined>();
  for (const contact of account.contacts.all()) {
    const extId = contact.attributes.EXT_ID;
    if (typeof extId === 'string') byExtId.set(extId, contact.attributes.JOB_TITLE as string | undefined);
  }
  return salesforceIds.map((id) => byExtId.get(id));
}
