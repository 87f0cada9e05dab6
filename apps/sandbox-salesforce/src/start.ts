import jsforce from 'jsforce';
import { listen, type RunningServer } from '@contact-sync/sandbox-kit';
import { createSalesforceSandbox, type SalesforceSandbox } from './app.ts';
import type { SandboxOptions } from './state.ts';

// The package's entry (`@contact-sync/sandbox-salesforce`): what other workspace packages may use of
// the sandbox, for their tests and benchmarks: a sandbox on a free port of the calling process, and
// jsforce connections logged in through its HTML form as a user does. `main.ts` runs it as an app.
export const REDIRECT_URI = 'http://localhost:4000/api/v1/oauth/salesforce/callback';
export const CLIENT = { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret', redirectUri: REDIRECT_URI };

export interface StartedSandbox extends SalesforceSandbox {
  url: string;
  server: RunningServer;
}

export async function startSandbox(options: Partial<SandboxOptions> = {}): Promise<StartedSandbox> {
  for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[name];
  const sandbox = createSalesforceSandbox({ redirectUris: [REDIRECT_URI], ...options });
  const server = await listen(sandbox.app, 0);
  // The public URL is only known once bound; tokens and nextRecordsUrls are built from it.
  sandbox.state.options.publicUrl = server.url;
  return Object.assign(sandbox, { url: server.url, server });
}

export function oauth2(url: string, extra: Partial<ConstructorParameters<typeof jsforce.OAuth2>[0]> = {}) {
  return new jsforce.OAuth2({ loginUrl: url, ...CLIENT, ...extra });
}

/** Hidden inputs of the login form, as a browser would submit them. */
export function formFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[m[1]!] = m[2]!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }
  return fields;
}

/** Fetches the authorize page, posts the form; returns the redirect (or the page when login failed). */
export async function submitLogin(authorizeUrl: string, username: string, password: string) {
  const pageResponse = await fetch(authorizeUrl);
  const html = await pageResponse.text();
  if (pageResponse.status !== 200) return { status: pageResponse.status, html, location: undefined };
  const action = new URL('/services/oauth2/authorize', authorizeUrl).toString();
  const body = new URLSearchParams({ ...formFields(html), username, password });
  const posted = await fetch(action, { method: 'POST', body, redirect: 'manual' });
  return { status: posted.status, html: await posted.text(), location: posted.headers.get('location') ?? undefined };
}

/** Full web-server flow through jsforce: returns an authorized Connection. */
export async function login(url: string, username = 'demo@acme.test', password = 'demo1234', options: { pkce?: boolean } = {}) {
  const oauth = oauth2(url, options.pkce ? { useVerifier: true, clientSecret: undefined } : {});
  const result = await submitLogin(oauth.getAuthorizationUrl({ state: 'st-123' }), username, password);
  if (!result.location) throw new Error(`login failed: ${result.status}`);
  const code = new URL(result.location).searchParams.get('code')!;
  const conn = new jsforce.Connection({ oauth2: oauth, version: '62.0' });
  await conn.authorize(code);
  return conn;
}
