import { startSandbox, submitLogin, type StartedSandbox } from '@contact-sync/sandbox-salesforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSalesforceConnection } from './connection.ts';
import { describeObject } from './describe.ts';
import { classifySalesforceError, SalesforceAuthRevokedError } from './errors.ts';
import { buildAuthorizeUrl, createOAuthState, createPkcePair, exchangeCode, fetchIdentity, SalesforceOAuthError, type SalesforceOAuthConfig } from './oauth.ts';

const REDIRECT_URI = 'http://localhost:4000/api/v1/oauth/salesforce/callback';
let sandbox: StartedSandbox;
let oauth: SalesforceOAuthConfig;

beforeAll(async () => {
  sandbox = await startSandbox({ redirectUris: [REDIRECT_URI] });
  oauth = { loginUrl: sandbox.url, clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret', redirectUri: REDIRECT_URI };
});
afterAll(async () => {
  await sandbox?.server.close();
});

async function authorize(username: string, pkce = createPkcePair()) {
  const state = createOAuthState();
  const url = buildAuthorizeUrl(oauth, { state, codeChallenge: pkce.challenge });
  const result = await submitLogin(url, username, 'demo1234');
  const location = new URL(result.location!);
  expect(location.searchParams.get('state')).toBe(state);
  return { code: location.searchParams.get('code')!, pkce };
}

describe('OAuth web-server flow with PKCE', () => {
  it('exchanges the code with the verifier and reads the identity', async () => {
    const { code, pkce } = await authorize('demo@acme.test');
    const tokens = await exchangeCode(oauth, { code, codeVerifier: pkce.verifier });
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.instanceUrl).toBe(sandbox.url);
    const identity = await fetchIdentity(tokens);
    expect(identity).toMatchObject({ username: 'demo@acme.test', orgId: tokens.orgId, userId: tokens.userId });
  });

  it('refuses a wrong verifier and a replayed code', async () => {
    const { code } = await authorize('demo@acme.test');
    await expect(exchangeCode(oauth, { code, codeVerifier: createPkcePair().verifier })).rejects.toMatchObject({ code: 'invalid_grant' });
    const second = await authorize('demo@acme.test');
    await exchangeCode(oauth, { code: second.code, codeVerifier: second.pkce.verifier });
    await expect(exchangeCode(oauth, { code: second.code, codeVerifier: second.pkce.verifier })).rejects.toBeInstanceOf(SalesforceOAuthError);
  });
});

describe('connection', () => {
  it('describes with API version 62.0; an API-disabled user is classified api_disabled', async () => {
    const demo = await authorize('demo@acme.test');
    const tokens = await exchangeCode(oauth, { code: demo.code, codeVerifier: demo.pkce.verifier });
    const handle = createSalesforceConnection({ ...tokens, oauth });
    expect(handle.connection.version).toBe('62.0');
    const fields = await describeObject(handle.connection, 'Lead');
    expect(fields.find((f) => f.name === 'FirstName')).toMatchObject({ type: 'string', length: 40 });

    const noApi = await authorize('noapi@acme.test');
    const noApiTokens = await exchangeCode(oauth, { code: noApi.code, codeVerifier: noApi.pkce.verifier });
    const error = await describeObject(createSalesforceConnection({ ...noApiTokens, oauth }).connection, 'Contact').catch((e: unknown) => e);
    expect(classifySalesforceError(error)).toMatchObject({ kind: 'api_disabled', retry: false });
  });

  it('refreshes an expired access token and persists the new one', async () => {
    const { code, pkce } = await authorize('demo@acme.test');
    const tokens = await exchangeCode(oauth, { code, codeVerifier: pkce.verifier });
    const saved: string[] = [];
    const handle = createSalesforceConnection({ ...tokens, oauth, onTokenRefreshed: (token) => void saved.push(token) });
    await fetch(`${sandbox.url}/__sandbox/tokens/expire`, { method: 'POST' });
    await handle.call((conn) => describeObject(conn, 'Contact'));
    expect(saved).toHaveLength(1);
    expect(saved[0]).not.toBe(tokens.accessToken);
    expect(handle.authRevoked).toBeNull();
  });

  it('reports a revoked refresh token as auth_revoked (invalid_grant)', async () => {
    const { code, pkce } = await authorize('demo@acme.test');
    const tokens = await exchangeCode(oauth, { code, codeVerifier: pkce.verifier });
    const revoked: string[] = [];
    const handle = createSalesforceConnection({ ...tokens, oauth, onAuthRevoked: (e) => void revoked.push(e.reason) });
    const response = await fetch(`${sandbox.url}/services/oauth2/revoke`, { method: 'POST', body: new URLSearchParams({ token: tokens.refreshToken }) });
    expect(response.status).toBe(200);
    const error = await handle.call((conn) => describeObject(conn, 'Contact')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceAuthRevokedError);
    expect(classifySalesforceError(error)).toMatchObject({ kind: 'auth_revoked', code: 'invalid_grant', retry: false });
    expect(revoked).toEqual(['invalid_grant']);
  });

  it("stops jsforce's 401 → refresh loop", async () => {
    const { code, pkce } = await authorize('demo@acme.test');
    const tokens = await exchangeCode(oauth, { code, codeVerifier: pkce.verifier });
    const handle = createSalesforceConnection({ ...tokens, oauth, maxRefreshes: 2 });
    // Every access token expires the moment it is issued: the org keeps answering 401.
    sandbox.state.tokens.expireAllAccess();
    const original = sandbox.state.tokens.issueAccess.bind(sandbox.state.tokens);
    sandbox.state.tokens.issueAccess = (...args: Parameters<typeof original>) => ({ ...original(...args), token: 'never-valid' });
    try {
      const error = await handle.call((conn) => describeObject(conn, 'Contact')).catch((e: unknown) => e);
      expect(error).toMatchObject({ reason: 'refresh_loop' });
    } finally {
      sandbox.state.tokens.issueAccess = original;
    }
  });
});

describe('classifySalesforceError', () => {
  const named = (name: string) => Object.assign(new Error('x'), { name, errorCode: name });
  it.each([
    ['REQUEST_LIMIT_EXCEEDED', 'request_limit', false],
    ['ERROR_HTTP_503', 'transient', true],
    ['ERROR_HTTP_429', 'transient', true],
    ['SERVER_UNAVAILABLE', 'transient', true],
    ['INVALID_FIELD', 'refused', false],
    ['ERROR_HTTP_400', 'refused', false],
  ])('%s → %s', (code, kind, retry) => {
    expect(classifySalesforceError(named(code))).toMatchObject({ kind, retry });
  });
  it('retries network failures', () => {
    expect(classifySalesforceError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toMatchObject({ retry: true, kind: 'transient' });
  });
});
