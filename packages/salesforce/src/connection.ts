import jsforce, { type Connection } from 'jsforce';
import type { TokenResponse } from 'jsforce/lib/oauth2.js';
import { DEFAULT_API_VERSION } from './api-version.ts';
import { SalesforceAuthRevokedError } from './errors.ts';
import { createOAuth2, type SalesforceOAuthConfig } from './oauth.ts';
import './transport.ts';

/**
 * A jsforce connection for one integration's stored tokens. jsforce refreshes
 * the access token on a 401 through our refresh function, which
 * - persists the new access token (`onTokenRefreshed`), so other processes and
 *   the next run start with it;
 * - records a refused refresh (`invalid_grant`: revoked or expired refresh
 *   token) so callers can set the integration to `auth_error`;
 * - stops jsforce's 401 → refresh → 401 loop (an org that keeps refusing fresh
 *   tokens) after a few refreshes in a short window.
 */
export interface CreateSalesforceConnectionOptions {
  instanceUrl: string;
  accessToken: string;
  refreshToken: string;
  oauth: SalesforceOAuthConfig;
  version?: string;
  onTokenRefreshed?: (accessToken: string) => void | Promise<void>;
  onAuthRevoked?: (error: SalesforceAuthRevokedError) => void | Promise<void>;
  /** At most this many refreshes within `refreshWindowMs` (default 3 per minute). */
  maxRefreshes?: number;
  refreshWindowMs?: number;
  now?: () => number;
}

export interface SalesforceConnectionHandle {
  readonly connection: Connection;
  /** Set once Salesforce refused to refresh the session. */
  readonly authRevoked: SalesforceAuthRevokedError | null;
  /**
   * Runs `operation`; when it failed because the session could not be
   * refreshed, throws the SalesforceAuthRevokedError instead of jsforce's
   * generic "Unable to refresh session" error.
   */
  call<T>(operation: (connection: Connection) => Promise<T>): Promise<T>;
  /**
   * A fresh access token now, through the same refresh as on a 401 (persisted,
   * counted against the refresh loop): for the streaming client, which reads
   * the token when it is created and reports a refused session instead of
   * refreshing it. Throws SalesforceAuthRevokedError when Salesforce refuses.
   */
  refreshAccessToken(): Promise<void>;
}

type RefreshCallback = (error?: Error | null, accessToken?: string, response?: TokenResponse) => void;

export function createSalesforceConnection(options: CreateSalesforceConnectionOptions): SalesforceConnectionHandle {
  const now = options.now ?? Date.now;
  const maxRefreshes = options.maxRefreshes ?? 3;
  const windowMs = options.refreshWindowMs ?? 60_000;
  const oauth2 = createOAuth2(options.oauth);
  let refreshes: number[] = [];
  let authRevoked: SalesforceAuthRevokedError | null = null;

  const revoke = async (error: SalesforceAuthRevokedError) => {
    authRevoked ??= error;
    try {
      await options.onAuthRevoked?.(error);
    } catch {
      // Recording the status is best effort; the caller still gets the error.
    }
  };

  const refresh = async (): Promise<TokenResponse> => {
    if (authRevoked) throw authRevoked;
    const at = now();
    refreshes = refreshes.filter((t) => at - t < windowMs);
    if (refreshes.length >= maxRefreshes) {
      const error = new SalesforceAuthRevokedError('refresh_loop');
      await revoke(error);
      throw error;
    }
    refreshes.push(at);
    try {
      const response = await oauth2.refreshToken(options.refreshToken);
      try {
        await options.onTokenRefreshed?.(response.access_token);
      } catch {
        // The new token works in memory; the next process refreshes again.
      }
      return response;
    } catch (error) {
      if (error instanceof Error && error.name === 'invalid_grant') {
        const revoked = new SalesforceAuthRevokedError('invalid_grant', { cause: error });
        await revoke(revoked);
        throw revoked;
      }
      throw error instanceof Error ? error : new Error(String(error));
    }
  };

  const refreshFn = (_conn: Connection, callback: RefreshCallback) => {
    refresh().then(
      (response) => callback(null, response.access_token, response),
      (error: Error) => callback(error),
    );
  };

  const connection = new jsforce.Connection({
    oauth2,
    instanceUrl: options.instanceUrl,
    accessToken: options.accessToken,
    refreshToken: options.refreshToken,
    version: options.version ?? DEFAULT_API_VERSION,
    refreshFn,
  });

  return {
    connection,
    get authRevoked() {
      return authRevoked;
    },
    async refreshAccessToken() {
      connection.accessToken = (await refresh()).access_token;
    },
    async call(operation) {
      try {
        return await operation(connection);
      } catch (error) {
        if (authRevoked) throw new SalesforceAuthRevokedError(authRevoked.reason, { cause: error });
        throw error;
      }
    },
  };
}
