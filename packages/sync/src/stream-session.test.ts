import { useTestDatabase } from '@contact-sync/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationSnapshot } from './integration.ts';
import { runIntegration } from './run-integration.ts';
import { BREVO_LIMITS_OFF_FOR_API_CHECKS, createIntegration, engineDeps, listDifferences, listMembers, startSyncedIntegration, type Harness } from './testing/harness.ts';
import { waitUntil } from './testing/stack.ts';
import { brevoTitles, editTitle, quotaUsed, startStream, type StreamUnderTest } from './testing/stream.ts';

/**
 * Salesforce → Brevo through Change Data Capture, in-process against the
 * sandbox: changes in seconds, one Brevo batch per second of changes, and
 * every fault of issue 15 ending with each edit in Brevo once and the quota
 * charged once (a stream replay or a watermark run after it writes nothing).
 */
const database = useTestDatabase('sync_stream');
let synced: Awaited<ReturnType<typeof startSyncedIntegration>>;
let harness: Harness;
let stream: StreamUnderTest | undefined;

beforeAll(async () => {
  // Checked through Brevo's API: see BREVO_LIMITS_OFF_FOR_API_CHECKS.
  synced = await startSyncedIntegration(database.connection.db!, {}, { brevo: BREVO_LIMITS_OFF_FOR_API_CHECKS });
  harness = synced.harness;
});
afterEach(async () => {
  await stream?.stop();
  stream = undefined;
});
afterAll(async () => {
  await synced.stop();
});

async function control(method: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${harness.salesforce.url}/__sandbox${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  expect(response.ok, `${method} ${path} → ${response.status}`).toBe(true);
}

/** A fresh integration of the demo Contacts, its initial load done. */
async function loadedIntegration(): Promise<IntegrationSnapshot> {
  const integration = await createIntegration(harness);
  await runIntegration(integration, engineDeps(harness));
  return integration;
}

/** Contacts in the integration's list, by Salesforce Id (newest first: the demo's own edge cases are the oldest). */
async function linkedContacts(integration: IntegrationSnapshot, count: number): Promise<string[]> {
  const members = await listMembers(harness.client, integration.listId);
  return members.map((member) => String(member.attributes.EXT_ID)).sort().reverse().slice(0, count);
}

function brevoBatchCalls(): number {
  return harness.brevo.calls.snapshot().byRoute['POST /contacts/batch'] ?? 0;
}

async function allInBrevo(ids: readonly string[], titles: readonly string[], timeoutMs = 20_000): Promise<void> {
  await waitUntil('every edit in Brevo', async () => (await brevoTitles(harness, ids)).every((title, i) => title === titles[i]), timeoutMs);
}

describe('Salesforce → Brevo by Change Data Capture', () => {
  it("recognises the echo of the integration's own Brevo → Salesforce write and does not send it back", async () => {
    const integration = synced.integration;
    stream = await startStream(harness, integration);
    await stream.waitForMode('realtime');
    const member = synced.members[0]!;
    const quotaBefore = await quotaUsed(harness, integration);
    const batchesBefore = brevoBatchCalls();
    await harness.client.contacts.updateContact({ identifier: String(member.id), identifierType: 'contact_id', attributes: { JOB_TITLE: 'Set in Brevo' } });
    await harness.brevo.deliveries.idle();
    const result = await runIntegration(integration, engineDeps(harness));
    expect(result.brevoToSalesforce).toMatchObject({ end: 'completed', operations: 1 });
    const stored = (await stream.state())?.replayId ?? 0;
    await waitUntil('the echo received and handled', async () => ((await stream!.state())?.replayId ?? 0) > stored, 10_000);
    expect(brevoBatchCalls()).toBe(batchesBefore);
    expect(await quotaUsed(harness, integration)).toBe(quotaBefore + 1);
  });

  it('brings edits within seconds, one Brevo batch for changes that land together, and stores the replayId once they are in Brevo', async () => {
    const integration = await loadedIntegration();
    // A window of 2 s (1 s by default) so that five concurrent edits land in one even on a busy machine.
    stream = await startStream(harness, integration, { coalesceMs: 2_000 });
    // No stored position: polling until a watermark run has covered what came before the subscription.
    await stream.waitForMode('realtime');
    expect(stream.modes).toEqual(['polling:connecting', 'realtime']);
    const ids = await linkedContacts(integration, 5);
    const quotaBefore = await quotaUsed(harness, integration);
    const batchesBefore = brevoBatchCalls();
    const salesforceBefore = harness.salesforce.calls.total;
    const titles = ids.map((_, i) => `Streamed ${i}`);
    const started = Date.now();
    await Promise.all(ids.map((id, i) => editTitle(harness, id, titles[i]!)));
    await allInBrevo(ids, titles);
    // Seconds, not a run interval (the benchmark measures the latency itself).
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(brevoBatchCalls() - batchesBefore).toBe(1);
    expect(await quotaUsed(harness, integration)).toBe(quotaBefore + 5);
    // The edits' own REST calls, the describe the session reads once, and one read of the five records whole (their
    // links were made by the initial load's import: a record Brevo turns out not to hold is created again, whole): nothing per change.
    expect(harness.salesforce.calls.total - salesforceBefore).toBeLessThanOrEqual(ids.length + 2);
    await waitUntil('the replayId stored', async () => ((await stream!.state())?.replayId ?? 0) > 0, 5_000);
  });

  it('every streaming connection dropped mid-burst, and down past the bound: each edit in Brevo once, quota once', async () => {
    const integration = await loadedIntegration();
    stream = await startStream(harness, integration, { disconnectBoundMs: 1_000 });
    await stream.waitForMode('realtime');
    const ids = await linkedContacts(integration, 20);
    const titles = ids.map((_, i) => `Burst ${i}`);
    const quotaBefore = await quotaUsed(harness, integration);
    for (let i = 0; i < ids.length; i += 1) {
      if (i === 10) await control('POST', '/streaming/drop');
      await editTitle(harness, ids[i]!, titles[i]!);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await allInBrevo(ids, titles, 30_000);
    // The client is down for its 5 s retry: past the 1 s bound, a watermark run took over meanwhile.
    await stream.waitForMode('realtime', 30_000);
    expect(stream.modes).toContain('polling:disconnected');
    await Promise.all(stream.runs);
    expect(await quotaUsed(harness, integration)).toBe(quotaBefore + ids.length);
    expect(await listDifferences(harness, integration)).toEqual([]);
  }, 60_000);

  it('the session expiring during the subscription: refreshed, subscribed again, nothing lost, quota once', async () => {
    const integration = await loadedIntegration();
    stream = await startStream(harness, integration);
    await stream.waitForMode('realtime');
    const ids = await linkedContacts(integration, 6);
    const titles = ids.map((_, i) => `Session ${i}`);
    const quotaBefore = await quotaUsed(harness, integration);
    await Promise.all(ids.slice(0, 3).map((id, i) => editTitle(harness, id, titles[i]!)));
    const tokenBefore = stream.salesforce.connection.accessToken;
    await control('POST', '/tokens/expire');
    for (let i = 3; i < ids.length; i += 1) await editTitle(harness, ids[i]!, titles[i]!);
    await allInBrevo(ids, titles);
    expect(stream.salesforce.connection.accessToken).not.toBe(tokenBefore);
    expect(stream.modes).toContain('polling:auth_failed');
    await stream.waitForMode('realtime');
    await Promise.all(stream.runs);
    expect(await quotaUsed(harness, integration)).toBe(quotaBefore + ids.length);
  });

  it('the retention window passed while the worker was down: the stored replayId is refused, a watermark run brings the edits, quota once', async () => {
    const integration = await loadedIntegration();
    stream = await startStream(harness, integration);
    await stream.waitForMode('realtime');
    const ids = await linkedContacts(integration, 4);
    await editTitle(harness, ids[0]!, 'Before the stop');
    await allInBrevo(ids.slice(0, 1), ['Before the stop']);
    await waitUntil('the replayId stored', async () => ((await stream!.state())?.replayId ?? 0) > 0, 5_000);
    await stream.stop();

    const titles = ids.map((_, i) => `While down ${i}`);
    for (let i = 0; i < ids.length; i += 1) await editTitle(harness, ids[i]!, titles[i]!);
    await control('POST', '/streaming/expire', {});
    const quotaBefore = await quotaUsed(harness, integration);
    stream = await startStream(harness, integration);
    await allInBrevo(ids, titles);
    expect(stream.modes).toContain('polling:replay_expired');
    await stream.waitForMode('realtime');
    expect(await quotaUsed(harness, integration)).toBe(quotaBefore + ids.length);
  });

  it('a gap event, and an overflow, fall back to a watermark run, then real time again', async () => {
    const integration = await loadedIntegration();
    stream = await startStream(harness, integration);
    await stream.waitForMode('realtime');
    const ids = await linkedContacts(integration, 2);
    await control('POST', '/streaming/gap', { object: 'Contact', records: [{ Id: ids[0], Title: 'Changed in the database' }] });
    await allInBrevo(ids.slice(0, 1), ['Changed in the database']);
    await stream.waitForMode('realtime');
    expect(stream.modes.slice(-2)).toEqual(['polling:gap_event', 'realtime']);

    await control('PUT', '/streaming', { overflowThreshold: 1 });
    try {
      await harness.conn.request({
        method: 'PATCH',
        url: '/services/data/v62.0/composite/sobjects',
        body: JSON.stringify({ allOrNone: false, records: ids.map((Id, i) => ({ attributes: { type: 'Contact' }, Id, Title: `Overflowed ${i}` })) }),
        headers: { 'Content-Type': 'application/json' },
      });
    } finally {
      await control('PUT', '/streaming', { overflowThreshold: 100_000 });
    }
    await allInBrevo(ids, ['Overflowed 0', 'Overflowed 1']);
    await stream.waitForMode('realtime');
    expect(stream.modes.slice(-2)).toEqual(['polling:overflow_event', 'realtime']);
  });

  it('Change Data Capture not enabled for the object: polling, and why; enabled again: real time after a catch-up', async () => {
    const integration = await loadedIntegration();
    await control('PUT', '/streaming/entities/Contact', { enabled: false });
    try {
      stream = await startStream(harness, integration, { resubscribeMs: 500 });
      await stream.waitForMode('polling:cdc_not_enabled');
      const [id] = await linkedContacts(integration, 1);
      await editTitle(harness, id!, 'Polled');
      // Polling: the next scheduled run brings it (here: one run now).
      await runIntegration(integration, engineDeps(harness));
      expect(await brevoTitles(harness, [id!])).toEqual(['Polled']);
    } finally {
      await control('PUT', '/streaming/entities/Contact', { enabled: true });
    }
    await stream.waitForMode('realtime');
    expect(stream.modes).toContain('polling:cdc_not_enabled');
  });
});
