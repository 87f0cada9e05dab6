import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenSignature } from './token.ts';
import { DEMO_ORG_ID, DEMO_USER_ID, NOAPI_ORG_ID, NOAPI_USER_ID } from '../seed/users.ts';
import { login, oauth2, startSandbox, submitLogin, type StartedSandbox } from '../test-support.ts';

let sandbox: StartedSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.server.close();
});

describe('OAuth web-server flow (jsforce 3.10.16)', () => {
  it('serves an unframeable login page with the OAuth params as hidden fields', async () => {
    const url = oauth2(sandbox.url).getAuthorizationUrl({ state: 'abc"<x>' });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await response.text();
    expect(html).toContain('<form method="post"');
    expect(html).toContain('name="username"');
    expect(html).toContain('name="password"');
    expect(html).toContain('>Log In</button>');
    expect(html).toContain('value="abc&quot;&lt;x&gt;"');
  });

  it('logs in through the form, redirects with code and state, and jsforce authorizes', async () => {
    const oauth = oauth2(sandbox.url);
    const result = await submitLogin(oauth.getAuthorizationUrl({ state: 'state-42' }), 'demo@acme.test', 'demo1234');
    expect(result.status).toBe(302);
    const location = new URL(result.location!);
    expect(`${location.origin}${location.pathname}`).toBe('http://localhost:4000/api/v1/oauth/salesforce/callback');
    expect(location.searchParams.get('state')).toBe('state-42');
    const code = location.searchParams.get('code')!;
    expect(code).toMatch(/=$/);

    const conn = new jsforce.Connection({ oauth2: oauth, version: '62.0' });
    const userInfo = await conn.authorize(code);
    expect(userInfo).toEqual({ id: DEMO_USER_ID, organizationId: DEMO_ORG_ID, url: `${sandbox.url}/id/${DEMO_ORG_ID}/${DEMO_USER_ID}` });
    expect(conn.instanceUrl).toBe(sandbox.url);
    expect(conn.refreshToken).toMatch(/^5Aep861/);
    expect(conn.accessToken!.startsWith(DEMO_ORG_ID.slice(0, 15) + '!')).toBe(true);
  });

  it('returns the token response fields Salesforce returns, with a verifiable signature', async () => {
    const oauth = oauth2(sandbox.url);
    const result = await submitLogin(oauth.getAuthorizationUrl(), 'demo@acme.test', 'demo1234');
    const code = new URL(result.location!).searchParams.get('code')!;
    const token = (await oauth.requestToken(code)) as Record<string, string>;
    expect(Object.keys(token).sort()).toEqual(['access_token', 'id', 'instance_url', 'issued_at', 'refresh_token', 'scope', 'signature', 'token_type']);
    expect(token.token_type).toBe('Bearer');
    expect(token.signature).toBe(tokenSignature(token.id!, token.issued_at!));
    expect(Number(token.issued_at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('shows the form again with an error for wrong credentials', async () => {
    const result = await submitLogin(oauth2(sandbox.url).getAuthorizationUrl(), 'demo@acme.test', 'wrong');
    expect(result.status).toBe(200);
    expect(result.location).toBeUndefined();
    expect(result.html).toContain('Please check your username and password');
  });

  it('refuses an unregistered redirect_uri and an unknown client_id on the page, without redirecting', async () => {
    const badRedirect = await fetch(oauth2(sandbox.url, { redirectUri: 'https://evil.test/cb' }).getAuthorizationUrl(), { redirect: 'manual' });
    expect(badRedirect.status).toBe(400);
    expect(await badRedirect.text()).toContain('redirect_uri_mismatch');
    const badClient = await fetch(oauth2(sandbox.url, { clientId: 'nope' }).getAuthorizationUrl(), { redirect: 'manual' });
    expect(badClient.status).toBe(400);
    expect(await badClient.text()).toContain('invalid_client_id');
  });

  it('makes codes single-use', async () => {
    const oauth = oauth2(sandbox.url);
    const result = await submitLogin(oauth.getAuthorizationUrl(), 'demo@acme.test', 'demo1234');
    const code = new URL(result.location!).searchParams.get('code')!;
    await new jsforce.Connection({ oauth2: oauth, version: '62.0' }).authorize(code);
    const again = new jsforce.Connection({ oauth2: oauth, version: '62.0' }).authorize(code);
    await expect(again).rejects.toMatchObject({ name: 'invalid_grant', message: 'invalid authorization code' });
  });

  it('rejects a wrong client secret', async () => {
    const oauth = oauth2(sandbox.url);
    const result = await submitLogin(oauth.getAuthorizationUrl(), 'demo@acme.test', 'demo1234');
    const code = new URL(result.location!).searchParams.get('code')!;
    const wrong = oauth2(sandbox.url, { clientSecret: 'nope' });
    await expect(wrong.requestToken(code)).rejects.toMatchObject({ name: 'invalid_client' });
  });

  it('supports PKCE (S256) without a client secret and refuses a wrong verifier', async () => {
    const conn = await login(sandbox.url, 'demo@acme.test', 'demo1234', { pkce: true });
    expect(conn.userInfo?.id).toBe(DEMO_USER_ID);

    const honest = oauth2(sandbox.url, { useVerifier: true, clientSecret: undefined });
    const result = await submitLogin(honest.getAuthorizationUrl(), 'demo@acme.test', 'demo1234');
    const code = new URL(result.location!).searchParams.get('code')!;
    const impostor = oauth2(sandbox.url, { useVerifier: true, clientSecret: undefined });
    await expect(impostor.requestToken(code)).rejects.toMatchObject({ name: 'invalid_grant', message: 'invalid code verifier' });
  });

  it('refreshes after the access token expires, and the new token works', async () => {
    const conn = await login(sandbox.url);
    const refreshed: string[] = [];
    conn.on('refresh', (token: string) => refreshed.push(token));
    const before = conn.accessToken;
    await fetch(`${sandbox.url}/__sandbox/tokens/expire`, { method: 'POST' });
    const result = await conn.query('SELECT Id FROM Contact LIMIT 1');
    expect(result.records).toHaveLength(1);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]).not.toBe(before);
    expect(conn.accessToken).toBe(refreshed[0]);
  });

  it('expires access tokens after the configured TTL', async () => {
    const short = await startSandbox({ accessTokenTtlSeconds: 1, seed: 'empty' });
    try {
      const conn = await login(short.url);
      let refreshes = 0;
      conn.on('refresh', () => (refreshes += 1));
      await conn.limits();
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await conn.limits();
      expect(refreshes).toBe(1);
    } finally {
      await short.server.close();
    }
  });

  it('answers 401 INVALID_SESSION_ID to a bad token', async () => {
    const response = await fetch(`${sandbox.url}/services/data/v62.0/limits`, { headers: { Authorization: 'Bearer nope' } });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });

  it('revokes a refresh token with its access tokens; a later refresh fails with invalid_grant', async () => {
    const conn = await login(sandbox.url);
    const refreshToken = conn.refreshToken!;
    await conn.oauth2.revokeToken(refreshToken);
    await expect(conn.oauth2.refreshToken(refreshToken)).rejects.toMatchObject({ name: 'invalid_grant', message: 'expired access/refresh token' });
    await expect(conn.query('SELECT Id FROM Contact LIMIT 1')).rejects.toThrow(/Unable to refresh session due to: expired access\/refresh token/);
  });

  it('revokes all of a user\'s tokens through the control route', async () => {
    const conn = await login(sandbox.url);
    const response = await fetch(`${sandbox.url}/__sandbox/tokens/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo@acme.test' }),
    });
    expect(((await response.json()) as { revoked: number }).revoked).toBeGreaterThanOrEqual(2);
    await expect(conn.limits()).rejects.toThrow(/invalid_grant|expired access\/refresh token/);
  });

  it('returns the identity through jsforce identity() and userinfo', async () => {
    const conn = await login(sandbox.url);
    const identity = await conn.identity();
    expect(identity).toMatchObject({
      user_id: DEMO_USER_ID,
      organization_id: DEMO_ORG_ID,
      username: 'demo@acme.test',
      display_name: 'Dana Demo',
      email: 'demo@acme.test',
    });
    expect(identity.urls.rest).toBe(`${sandbox.url}/services/data/v{version}/`);
    const userinfo = (await conn.request(`${sandbox.url}/services/oauth2/userinfo`)) as Record<string, unknown>;
    expect(userinfo).toMatchObject({ user_id: DEMO_USER_ID, organization_id: DEMO_ORG_ID, preferred_username: 'demo@acme.test' });
  });

  it('answers identity() with an expired token by 403 Bad_OAuth_Token, which jsforce does not refresh on', async () => {
    // Salesforce's identity service is not the REST API: it never sends 401, so jsforce
    // (which refreshes only on 401) surfaces the 403. Callers refresh first, e.g. with any REST call.
    const conn = await login(sandbox.url);
    await fetch(`${sandbox.url}/__sandbox/tokens/expire`, { method: 'POST' });
    await expect(conn.identity()).rejects.toMatchObject({ errorCode: 'ERROR_HTTP_403', message: 'Bad_OAuth_Token' });
    await conn.limits();
    expect((await conn.identity()).user_id).toBe(DEMO_USER_ID);
  });

  it('reads the identity URL by 15- or 18-character ids, and refuses an id that is only a prefix of one or of another org', async () => {
    const conn = await login(sandbox.url);
    const read = (orgId: string, userId: string) => fetch(`${sandbox.url}/id/${orgId}/${userId}`, { headers: { authorization: `Bearer ${conn.accessToken}` } });
    for (const [orgId, userId] of [
      [DEMO_ORG_ID, DEMO_USER_ID],
      [DEMO_ORG_ID.slice(0, 15), DEMO_USER_ID.slice(0, 15)],
    ] as const) {
      const response = await read(orgId, userId);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { user_id: string }).user_id).toBe(DEMO_USER_ID);
    }
    for (const [orgId, userId] of [
      [DEMO_ORG_ID.slice(0, 5), DEMO_USER_ID.slice(0, 5)],
      ['00D', '005'],
      [NOAPI_ORG_ID, NOAPI_USER_ID],
    ] as const) {
      const response = await read(orgId, userId);
      expect(response.status, `${orgId}/${userId}`).toBe(403);
      expect(await response.text()).toBe('Bad_Id');
    }
  });

  it('refuses the identity URL without a valid token', async () => {
    const response = await fetch(`${sandbox.url}/id/${DEMO_ORG_ID}/${DEMO_USER_ID}`);
    expect(response.status).toBe(403);
    expect(await response.text()).toBe('Bad_OAuth_Token');
  });

  it('lets noapi@acme.test log in but answers REST with 403 API_DISABLED_FOR_ORG', async () => {
    const conn = await login(sandbox.url, 'noapi@acme.test', 'demo1234');
    expect(conn.userInfo?.organizationId).not.toBe(DEMO_ORG_ID);
    await expect(conn.query('SELECT Id FROM Contact')).rejects.toMatchObject({
      errorCode: 'API_DISABLED_FOR_ORG',
      message: 'The REST API is not enabled for this Organization.',
    });
  });
});
