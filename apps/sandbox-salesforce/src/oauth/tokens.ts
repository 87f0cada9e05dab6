import { randomBytes } from 'node:crypto';

/**
 * Authorization codes, access tokens and refresh tokens, all opaque and in
 * memory. Shapes follow Salesforce: access tokens start with the org id and
 * `!`, codes are base64 with `=` padding (so clients must URL-decode them).
 */
export interface AuthCode {
  code: string;
  userId: string;
  clientId: string;
  redirectUri: string;
  codeChallenge?: string;
  expiresAt: number;
}

export interface AccessToken {
  token: string;
  userId: string;
  /** The refresh token it was issued with or from; revoking that kills it. */
  refreshToken?: string;
  expiresAt: number;
}

export interface RefreshToken {
  token: string;
  userId: string;
}

/** Salesforce authorization codes are valid for 15 minutes. */
const CODE_TTL_MS = 15 * 60_000;

export class TokenStore {
  private codes = new Map<string, AuthCode>();
  private access = new Map<string, AccessToken>();
  private refresh = new Map<string, RefreshToken>();

  constructor(public accessTokenTtlMs: number) {}

  issueCode(init: Omit<AuthCode, 'code' | 'expiresAt'>): string {
    const code = 'aPrx' + randomBytes(49).toString('base64').replace(/\+/g, '.').replace(/\//g, '_');
    this.codes.set(code, { ...init, code, expiresAt: Date.now() + CODE_TTL_MS });
    return code;
  }

  /** Codes are single-use: taking one removes it whether or not the exchange then succeeds. */
  takeCode(code: string): AuthCode | undefined {
    const found = this.codes.get(code);
    this.codes.delete(code);
    if (!found || found.expiresAt < Date.now()) return undefined;
    return found;
  }

  issueAccess(orgId: string, userId: string, refreshToken?: string): AccessToken {
    const token = `${orgId.slice(0, 15)}!AQ${randomBytes(72).toString('base64url').replace(/-/g, '.').replace(/_/g, 'R')}`;
    const entry: AccessToken = {
      token,
      userId,
      ...(refreshToken ? { refreshToken } : {}),
      expiresAt: Date.now() + this.accessTokenTtlMs,
    };
    this.access.set(token, entry);
    return entry;
  }

  issueRefresh(userId: string): RefreshToken {
    const token = '5Aep861' + randomBytes(60).toString('base64url').replace(/-/g, '.').replace(/_/g, 'x');
    const entry = { token, userId };
    this.refresh.set(token, entry);
    return entry;
  }

  findAccess(token: string): AccessToken | undefined {
    const entry = this.access.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.access.delete(token);
      return undefined;
    }
    return entry;
  }

  findRefresh(token: string): RefreshToken | undefined {
    return this.refresh.get(token);
  }

  /** Revokes an access token, or a refresh token and every access token issued from it. */
  revoke(token: string): boolean {
    if (this.access.delete(token)) return true;
    if (!this.refresh.delete(token)) return false;
    for (const [key, entry] of this.access) if (entry.refreshToken === token) this.access.delete(key);
    return true;
  }

  /** Sandbox control: every access token of the org expires now (refresh tokens stay valid). */
  expireAllAccess(): number {
    const n = this.access.size;
    this.access.clear();
    return n;
  }

  /** Sandbox control: revoke everything a user holds, as an admin "revoke" does. */
  revokeUser(userId: string): number {
    let n = 0;
    for (const [key, entry] of this.access) if (entry.userId === userId && this.access.delete(key)) n += 1;
    for (const [key, entry] of this.refresh) if (entry.userId === userId && this.refresh.delete(key)) n += 1;
    return n;
  }

  clear(): void {
    this.codes.clear();
    this.access.clear();
    this.refresh.clear();
  }
}
