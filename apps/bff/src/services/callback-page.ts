import { type CallbackErrorCode, type SalesforceConnectedMessage } from '@contact-sync/api';
import { randomBytes } from 'node:crypto';

const TEXT: Record<'ok' | CallbackErrorCode, string> = {
  ok: 'Salesforce is connected. You can close this window.',
  oauth_state_invalid: 'This sign-in link has expired or was already used. Close this window and try again.',
  oauth_denied: 'Access was not granted. Close this window and try again.',
  oauth_failed: 'Salesforce sign-in failed. Close this window and try again.',
  salesforce_api_disabled: 'API access is disabled for this Salesforce user or org. Ask your Salesforce administrator to enable "API Enabled", then connect again.',
  salesforce_org_mismatch: 'Reconnect with a user of the Salesforce org this integration already syncs.',
  connection_limit_reached: 'This Salesforce account is already connected to the maximum number of integrations.',
  not_found: 'This integration no longer exists.',
  internal_error: 'Something went wrong. Close this window and try again.',
};

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** JSON inside a <script>: no `</script>`, no HTML comment or line-separator surprises. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/**
 * The page the OAuth popup lands on: posts the outcome to `window.opener`,
 * only to the configured origins (never `*`), then closes. Its CSP allows
 * just its own inline script (nonce); it may not be framed.
 */
export function renderCallbackPage(message: SalesforceConnectedMessage, targetOrigins: readonly string[]): { html: string; headers: Record<string, string> } {
  const nonce = randomBytes(16).toString('base64');
  const text = TEXT[message.ok ? 'ok' : (message.error ?? 'internal_error')];
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Salesforce connection</title></head>
<body><p id="status" role="status">${escapeHtml(text)}</p>
<script nonce="${nonce}">
(function () {
  var message = ${scriptJson(message)};
  var origins = ${scriptJson(targetOrigins)};
  if (window.opener && !window.opener.closed) {
    for (var i = 0; i < origins.length; i++) {
      try { window.opener.postMessage(message, origins[i]); } catch (e) { /* another origin: ignored */ }
    }
    setTimeout(function () { window.close(); }, ${message.ok ? 50 : 4000});
  }
})();
</script></body></html>`;
  return {
    html,
    headers: {
      'Content-Security-Policy': `default-src 'none'; script-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      // The popup must keep its opener to report back.
      'Cross-Origin-Opener-Policy': 'unsafe-none',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    },
  };
}
