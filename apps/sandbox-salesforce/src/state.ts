import { TokenStore } from './oauth/tokens.ts';
import type { Org, SandboxUser } from './org/org.ts';
import { CursorStore } from './soql/cursors.ts';
import type { BulkQueryJob } from './rest/bulk-query.ts';

export interface SandboxOptions {
  /** Base URL clients reach the sandbox at: instance_url, identity ids and nextRecordsUrl use it. */
  publicUrl: string;
  /** Redirect URIs registered on the connected app. */
  redirectUris: string[];
  accessTokenTtlSeconds: number;
  dailyApiLimit: number;
  /** `demo`: the seeded demo org; `empty`: users and orgs only. */
  seed: 'demo' | 'empty';
  /** Seed for the fake data, so runs are reproducible. */
  randomSeed: number;
}

export const CONNECTED_APP = {
  clientId: 'sandbox-client-id',
  clientSecret: 'sandbox-client-secret',
  scope: 'api refresh_token id',
} as const;

/** Highest REST version this "org" runs; Salesforce answers 404 above it. */
export const LATEST_VERSION = '62.0';

/** Everything the sandbox holds in memory. */
export class SandboxState {
  private orgsById = new Map<string, Org>();
  /**
   * Every org's users, by id and by username (stored lower-case): each REST,
   * SOAP and streaming call resolves its token's user, so the lookups must not
   * grow with the fleet. Change them only through `replaceOrgs`/`addOrg`.
   */
  private readonly usersById = new Map<string, SandboxUser>();
  private readonly usersByUsername = new Map<string, SandboxUser>();
  readonly tokens: TokenStore;
  readonly cursors = new CursorStore();
  readonly bulkQueryJobs = new Map<string, BulkQueryJob>();

  constructor(readonly options: SandboxOptions) {
    this.tokens = new TokenStore(options.accessTokenTtlSeconds * 1000);
  }

  get orgs(): ReadonlyMap<string, Org> {
    return this.orgsById;
  }

  get publicUrl(): string {
    return this.options.publicUrl.replace(/\/+$/, '');
  }

  /** Every user, in the order they were added. */
  users(): SandboxUser[] {
    return [...this.usersById.values()];
  }

  userById(id: string): SandboxUser | undefined {
    return this.usersById.get(id);
  }

  userByUsername(username: string): SandboxUser | undefined {
    return this.usersByUsername.get(username.trim().toLowerCase());
  }

  /** Drops every org and user for these (a reset). */
  replaceOrgs(orgs: Org[], users: SandboxUser[]): void {
    this.orgsById = new Map(orgs.map((org) => [org.id, org]));
    this.usersById.clear();
    this.usersByUsername.clear();
    for (const user of users) this.addUser(user);
  }

  /** Adds an org with its user; the caller has checked the username is free. */
  addOrg(org: Org, user: SandboxUser): void {
    if (this.orgs.has(org.id)) throw new Error(`org ${org.id} exists`);
    this.orgsById.set(org.id, org);
    try {
      this.addUser(user);
    } catch (error) {
      // No org without its user.
      this.orgsById.delete(org.id);
      throw error;
    }
  }

  private addUser(user: SandboxUser): void {
    if (user.username !== user.username.trim().toLowerCase()) throw new Error(`username ${user.username} is not lower-case`);
    if (this.usersById.has(user.id) || this.usersByUsername.has(user.username)) throw new Error(`user ${user.id} (${user.username}) exists`);
    if (!this.orgs.has(user.orgId)) throw new Error(`user ${user.id} names an unknown org ${user.orgId}`);
    this.usersById.set(user.id, user);
    this.usersByUsername.set(user.username, user);
  }

  orgOf(user: SandboxUser): Org {
    return this.orgs.get(user.orgId)!;
  }

  identityUrl(user: SandboxUser): string {
    return `${this.publicUrl}/id/${user.orgId}/${user.id}`;
  }
}
