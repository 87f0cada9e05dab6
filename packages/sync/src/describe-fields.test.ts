import type { SalesforceField, SalesforceObjectName } from '@contact-sync/rules';
import { describe, expect, it } from 'vitest';
import { DescribeCache } from './describe-fields.ts';

const email: SalesforceField = { name: 'Email', label: 'Email', type: 'email', length: 80, calculated: false, createable: true, updateable: true, nillable: true, filterable: true };

/** A describe that counts its calls and answers what `answer` says at the time. */
function countingFetch(answer: () => SalesforceField[] | Error = () => [{ ...email }]) {
  const calls: SalesforceObjectName[] = [];
  const fetch = async (object: SalesforceObjectName) => {
    calls.push(object);
    const fields = answer();
    if (fields instanceof Error) throw fields;
    return fields;
  };
  return { calls, fetch };
}

describe('DescribeCache', () => {
  it('keeps an org object’s fields for the TTL, then describes again', async () => {
    let now = 0;
    const cache = new DescribeCache({ ttlMs: 600_000, now: () => now });
    const { calls, fetch } = countingFetch();
    const load = () => cache.loaderFor('00D000000000001', fetch);
    await load()('Contact');
    now = 599_999;
    await load()('Contact');
    expect(calls).toEqual(['Contact']);
    await load()('Lead');
    expect(calls).toEqual(['Contact', 'Lead']);
    now = 600_000;
    await load()('Contact');
    expect(calls).toEqual(['Contact', 'Lead', 'Contact']);
  });

  it('forgets an org at once (its next run describes again), and keeps nothing of a failed describe', async () => {
    const cache = new DescribeCache({ ttlMs: 600_000 });
    let fail = true;
    const { calls, fetch } = countingFetch(() => (fail ? new Error('503') : [{ ...email }]));
    await expect(cache.loaderFor('org-a', fetch)('Contact')).rejects.toThrow('503');
    fail = false;
    await cache.loaderFor('org-a', fetch)('Contact');
    await cache.loaderFor('org-a', fetch)('Contact');
    expect(calls).toHaveLength(2);
    cache.forget('org-a');
    await cache.loaderFor('org-a', fetch)('Contact');
    expect(calls).toHaveLength(3);
  });

  it('keeps one object for fields equal in every respect across orgs, and apart the ones that differ', async () => {
    const cache = new DescribeCache({ ttlMs: 600_000 });
    const [a] = await cache.loaderFor('org-a', countingFetch().fetch)('Contact');
    const [b] = await cache.loaderFor('org-b', countingFetch().fetch)('Contact');
    const [c] = await cache.loaderFor('org-c', countingFetch(() => [{ ...email, length: 120 }]).fetch)('Contact');
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(c).toMatchObject({ name: 'Email', length: 120 });
  });

  it('keeps at most maxOrgs orgs, the oldest going first; a TTL of 0 keeps nothing', async () => {
    const cache = new DescribeCache({ ttlMs: 600_000, maxOrgs: 2 });
    const { calls, fetch } = countingFetch();
    for (const org of ['org-a', 'org-b', 'org-c']) await cache.loaderFor(org, fetch)('Contact');
    expect(cache.orgs).toBe(2);
    await cache.loaderFor('org-c', fetch)('Contact');
    expect(calls).toHaveLength(3);
    await cache.loaderFor('org-a', fetch)('Contact');
    expect(calls).toHaveLength(4);

    const off = new DescribeCache({ ttlMs: 0 });
    const counted = countingFetch();
    await off.loaderFor('org-a', counted.fetch)('Contact');
    await off.loaderFor('org-a', counted.fetch)('Contact');
    expect(counted.calls).toHaveLength(2);
    expect(off.orgs).toBe(0);
  });
});
