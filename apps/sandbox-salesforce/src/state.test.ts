import { describe, expect, it } from 'vitest';
import { createOrgs } from './seed/users.ts';
import { SandboxState, type SandboxOptions } from './state.ts';

const options: SandboxOptions = { publicUrl: 'http://sandbox.test', redirectUris: [], accessTokenTtlSeconds: 3600, dailyApiLimit: 100_000, seed: 'empty', randomSeed: 1 };

describe('SandboxState', () => {
  it('adds an org only with its user: a user it refuses leaves no org behind', () => {
    const state = new SandboxState(options);
    const { orgs, users } = createOrgs(100_000);
    state.replaceOrgs(orgs.slice(1), users.filter((user) => user.orgId !== orgs[0]!.id));
    const [org] = orgs;
    const taken = users.find((user) => user.orgId !== org!.id)!;
    // Its username is another org's user's.
    expect(() => state.addOrg(org!, { ...users.find((user) => user.orgId === org!.id)!, username: taken.username })).toThrow(/exists/);
    expect(state.orgs.has(org!.id)).toBe(false);
    const own = users.find((user) => user.orgId === org!.id)!;
    state.addOrg(org!, own);
    expect(state.orgOf(state.userByUsername(own.username.toUpperCase())!)).toBe(org);
  });
});
