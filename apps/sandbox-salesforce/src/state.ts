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
  orgs = new Map<string, Org>();
  users: SandboxUser[] = [];
  readonly tokens: TokenStore;
  readonly cursors = new CursorStore();
  readonly bulkQueryJobs = new Map<string, BulkQueryJob>();

  constructor(readonly options: SandboxOptions) {
    this.tokens = new TokenStore(options.accessTokenTtlSeconds * 1000);
  }

  get publicUrl(): string {
    return this.options.publicUrl.replace(/\/+$/, '');
  }

  userById(id: string): SandboxUser | undefined {
    return this.users.find((u) => u.id === id);
  }

  userByUsername(username: string): SandboxUser | undefined {
    const lower = username.trim().toLowerCase();
    return this.users.find((u) => u.username === lower);
  }

  orgOf(user: SandboxUser): Org {
    return this.orgs.get(user.orgId)!;
  }

  identityUrl(user: SandboxUser): string {
    return `${this.publicUrl}/id/${user.orgId}/${user.id}`;
  }
}
