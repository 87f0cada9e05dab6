import { useTestDatabase } from '@contact-sync/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewIntegration } from './preview.ts';
import { syncSalesforceToBrevo } from './salesforce-to-brevo.ts';
import { createIntegration, engineDeps, startHarness, type Harness } from './testing/harness.ts';

const database = useTestDatabase('sync_preview');
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(database.connection.db!);
});
afterAll(async () => {
  await harness.stop();
});

describe('preview (dry run)', () => {
  it('reports what the first sync then does, by reason, with samples and the quota share, and writes nothing', async () => {
    const integration = await createIntegration(harness);
    harness.brevo.calls.reset();
    const preview = await previewIntegration(integration, { salesforce: harness.conn, store: harness.store, sampleSize: 3 });
    expect(harness.brevo.calls.snapshot().total).toBe(0);
    expect(await harness.store.links.count(integration.id)).toBe(0);
    expect(await harness.store.runs.list(integration.id)).toEqual([]);

    expect(preview.wouldCreate).toBeGreaterThan(100);
    expect(preview.samples.create).toHaveLength(3);
    expect(preview.samples.create[0]!.values).toHaveProperty('attributes');
    expect(preview.rejectedByReason.duplicate).toBe(1);
    expect(preview.rejectedByReason.phone_invalid_characters).toBeGreaterThanOrEqual(1);
    expect(preview.samples.rejected[0]!.issues![0]).toHaveProperty('messageKey');
    expect(preview.operations).toBe(preview.wouldCreate);
    expect(preview.quotaShare).toBeCloseTo(preview.operations / 100_000);

    // The real first sync does exactly that.
    const run = await syncSalesforceToBrevo(integration, engineDeps(harness));
    expect(run.counts.created).toBe(preview.wouldCreate);
    expect(run.counts.rejected).toBe(preview.rejected);
    expect(run.operations).toBe(preview.operations);

    const after = await previewIntegration(integration, { salesforce: harness.conn, store: harness.store });
    expect(after.wouldCreate + after.wouldUpdate).toBe(0);
    expect(after.unchanged).toBe(preview.wouldCreate + (preview.read - preview.wouldCreate - preview.rejected));
  });
});
