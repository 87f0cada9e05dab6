import express, { type Request, type Response, type Router } from 'express';
import { CONNECTED_APP, type SandboxState } from '../state.ts';
import { escapeHtml, page, PAGE_HEADERS } from '../ui/html.ts';

/**
 * `GET|POST /services/oauth2/authorize`: the web-server flow's login page.
 * GET checks the client and redirect URI, then shows the form; the form posts
 * back here with the OAuth parameters in hidden fields; good credentials
 * redirect to `redirect_uri?code=...&state=...`. As on Salesforce, a bad
 * client id or redirect URI is shown on the page (never redirected to), and
 * the page refuses to be framed.
 */
const OAUTH_PARAMS = ['response_type', 'client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method', 'scope', 'prompt', 'display'] as const;
type OAuthParams = Partial<Record<(typeof OAUTH_PARAMS)[number], string>>;

function pick(source: Record<string, unknown>): OAuthParams {
  const out: OAuthParams = {};
  for (const key of OAUTH_PARAMS) {
    const value = source[key];
    if (typeof value === 'string' && value !== '') out[key] = value;
  }
  return out;
}

function send(res: Response, status: number, html: string): void {
  res.status(status).set(PAGE_HEADERS).send(html);
}

/** Salesforce shows these on its own error page, e.g. `error=redirect_uri_mismatch&error_description=...`. */
function errorPage(res: Response, error: string, description: string): void {
  send(
    res,
    400,
    page(
      'Salesforce - Error',
      `<main class="login"><div class="card"><h1>Remote Access Error</h1><p class="error">error=${escapeHtml(error)}&amp;error_description=${escapeHtml(
        encodeURIComponent(description),
      )}</p></div></main>`,
    ),
  );
}

function loginPage(params: OAuthParams, username: string, error?: string): string {
  const hidden = OAUTH_PARAMS.filter((k) => params[k] !== undefined)
    .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(params[k])}">`)
    .join('\n');
  return page(
    'Login | Salesforce',
    `<main class="login"><div class="card">
<h1>Salesforce</h1>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/services/oauth2/authorize">
${hidden}
<label for="username">Username</label>
<input id="username" name="username" type="email" autocomplete="username" value="${escapeHtml(username)}" required>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<p><button id="Login" type="submit">Log In</button></p>
</form>
<p><small>Sandbox users: demo@acme.test / demo1234 (API enabled), noapi@acme.test / demo1234 (API disabled).</small></p>
</div></main>`,
  );
}

/** Checks client and redirect URI; answers with the error page and returns false when they are wrong. */
function checkClient(state: SandboxState, params: OAuthParams, res: Response): boolean {
  if (params.client_id !== CONNECTED_APP.clientId) {
    errorPage(res, 'invalid_client_id', 'client identifier invalid');
    return false;
  }
  if (!params.redirect_uri || !state.options.redirectUris.includes(params.redirect_uri)) {
    errorPage(res, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
    return false;
  }
  return true;
}

function redirectWith(res: Response, redirectUri: string, query: Record<string, string | undefined>): void {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
  res.redirect(302, url.toString());
}

/** Errors a valid client may receive at its redirect URI (RFC 6749 §4.1.2.1). */
function protocolError(params: OAuthParams): { error: string; description: string } | undefined {
  if (params.response_type !== 'code') return { error: 'unsupported_response_type', description: 'response type not supported' };
  if (params.code_challenge_method && params.code_challenge_method !== 'S256') {
    return { error: 'invalid_request', description: 'code challenge method not supported' };
  }
  if (params.code_challenge && !/^[A-Za-z0-9_-]{43,128}$/.test(params.code_challenge)) {
    return { error: 'invalid_request', description: 'invalid code challenge' };
  }
  return undefined;
}

export function authorizeRouter(state: SandboxState): Router {
  const router = express.Router();

  router.get('/services/oauth2/authorize', (req: Request, res: Response) => {
    const params = pick(req.query as Record<string, unknown>);
    if (!checkClient(state, params, res)) return;
    const problem = protocolError(params);
    if (problem) {
      redirectWith(res, params.redirect_uri!, { error: problem.error, error_description: problem.description, state: params.state });
      return;
    }
    send(res, 200, loginPage(params, typeof req.query.login_hint === 'string' ? req.query.login_hint : ''));
  });

  router.post('/services/oauth2/authorize', express.urlencoded({ extended: false, limit: '32kb' }), (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const params = pick(body);
    if (!checkClient(state, params, res)) return;
    const problem = protocolError(params);
    if (problem) {
      redirectWith(res, params.redirect_uri!, { error: problem.error, error_description: problem.description, state: params.state });
      return;
    }
    const username = typeof body.username === 'string' ? body.username : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const user = state.userByUsername(username);
    if (!user || user.password !== password) {
      send(
        res,
        200,
        loginPage(
          params,
          username,
          "Please check your username and password. If you still can't log in, contact your Salesforce administrator.",
        ),
      );
      return;
    }
    const code = state.tokens.issueCode({
      userId: user.id,
      clientId: params.client_id!,
      redirectUri: params.redirect_uri!,
      ...(params.code_challenge ? { codeChallenge: params.code_challenge } : {}),
    });
    redirectWith(res, params.redirect_uri!, { code, state: params.state });
  });

  return router;
}
