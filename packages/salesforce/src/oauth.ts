import { createHash, randomBytes } from 'node:crypto';
import jsforce from 'jsforce';
import { DEFAULT_API_VERSION } from './api-version.ts';
import './transport.ts';

/**
 * The OAuth 2.0 web-server flow with PKCE (S256) against Salesforce's login
 * URL (or the sandbox's), through jsforce's OAuth2 client.
 */
export interface SalesforceOAuthConfig {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface PkcePair {
  verifier: string;
  challenge: string;
}

const base64Url = (buffer: Buffer) => buffer.toString('base64url');

/** RFC 7636: a 43–128 character verifier and its S256 challenge. */
export function createPkcePair(): PkcePair {
  const verifier = base64Url(randomBytes(64));
  return { verifier, challenge: base64Url(createHash('sha256').update(verifier).digest()) };
}

/** An unguessable OAuth `state` value. */
export function createOAuthState(): string {
  return base64Url(randomBytes(32));
}

export function createOAuth2(config: SalesforceOAuthConfig): InstanceType<typeof jsforce.OAuth2> {
  return new jsforce.OAuth2({
    loginUrl: config.loginUrl.replace(/\/+$/, ''),
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: config.redirectUri,
  });
}

export function buildAuthorizeUrl(config: SalesforceOAuthConfig, input: { state: string; codeChallenge: string }): string {
  return createOAuth2(config).getAuthorizationUrl({
    scope: 'api refresh_token id',
    state: input.state,
    code_challenge: input.codeChallenge,
    code_challenge_method: 'S256',
  });
}

export interface SalesforceTokenSet {
  accessToken: string;
  refreshToken: string;
  instanceUrl: string;
  /** The identity URL (`…/id/<orgId>/<userId>`). */
  identityUrl: string;
  orgId: string;
  userId: string;
}

export class SalesforceOAuthError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SalesforceOAuthError';
  }
}

/** Exchanges the authorization code (with the PKCE verifier) for tokens. */
export async function exchangeCode(config: SalesforceOAuthConfig, input: { code: string; codeVerifier: string }): Promise<SalesforceTokenSet> {
  const oauth2 = createOAuth2(config);
  // jsforce sends `code_verifier` from this property with the token request.
  oauth2.codeVerifier = input.codeVerifier;
  let response;
  try {
    response = await oauth2.requestToken(input.code);
  } catch (error) {
    const code = error instanceof Error && error.name !== 'Error' ? error.name : 'token_request_failed';
    throw new SalesforceOAuthError(code, 'the authorization code could not be exchanged', { cause: error });
  }
  if (!response.refresh_token) {
    throw new SalesforceOAuthError('no_refresh_token', 'Salesforce granted no refresh token (the connected app needs the refresh_token scope)');
  }
  const [orgId, userId] = new URL(response.id).pathname.split('/').slice(-2);
  if (!orgId || !userId) throw new SalesforceOAuthError('invalid_identity', 'the token response has no identity URL');
  return {
    accessToken: response.access_token,
    refreshToken: response.refresh_token,
    instanceUrl: response.instance_url,
    identityUrl: response.id,
    orgId,
    userId,
  };
}

export interface SalesforceIdentity {
  orgId: string;
  userId: string;
  username: string;
  displayName: string | null;
}

interface IdentityResponse {
  user_id: string;
  organization_id: string;
  username: string;
  display_name?: string;
}

/** Reads the identity service with the access token in the header (never in the URL). */
export async function fetchIdentity(tokens: Pick<SalesforceTokenSet, 'accessToken' | 'instanceUrl' | 'identityUrl'>): Promise<SalesforceIdentity> {
  const connection = new jsforce.Connection({ instanceUrl: tokens.instanceUrl, accessToken: tokens.accessToken, version: DEFAULT_API_VERSION });
  const identity = await connection.request<IdentityResponse>({ method: 'GET', url: tokens.identityUrl, headers: { Accept: 'application/json' } });
  return {
    orgId: identity.organization_id,
    userId: identity.user_id,
    username: identity.username,
    displayName: identity.display_name ?? null,
  };
}
