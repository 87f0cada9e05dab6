import { SALESFORCE_AUTHORIZED_RECEIPT, type AuthorizeErrorCode, type SalesforceAuthorizedMessage } from '@contact-sync/api';
import { randomBytes } from 'node:crypto';

export type CallbackPageLanguage = 'en' | 'it';

type PageText = Record<'relaying' | 'received' | 'unclaimed' | AuthorizeErrorCode, string>;

const TEXT: Record<CallbackPageLanguage, PageText> = {
  en: {
    relaying: 'Finishing the Salesforce sign-in…',
    received: 'Signed in to Salesforce. The integration window finishes the connection; this window closes by itself.',
    unclaimed:
      'Nothing was connected. This Salesforce sign-in was not started from this browser window, or that window was closed. ' +
      'To connect Salesforce, go back to your integration and click "Connect your account" again.',
    oauth_denied: 'Access was not granted in Salesforce. Nothing was connected; you can close this window.',
    oauth_failed: 'Salesforce did not complete the sign-in. Nothing was connected; close this window and try again.',
  },
  it: {
    relaying: 'Completamento dell’accesso a Salesforce…',
    received: 'Accesso a Salesforce eseguito. La finestra dell’integrazione completa il collegamento; questa finestra si chiude da sola.',
    unclaimed:
      'Non è stato collegato nulla. Questo accesso a Salesforce non è stato avviato da questa finestra del browser, oppure quella finestra è stata chiusa. ' +
      'Per collegare Salesforce, torna all’integrazione e fai clic di nuovo su "Collega il tuo account".',
    oauth_denied: 'L’accesso non è stato concesso in Salesforce. Non è stato collegato nulla; puoi chiudere questa finestra.',
    oauth_failed: 'Salesforce non ha completato l’accesso. Non è stato collegato nulla; chiudi questa finestra e riprova.',
  },
};

/** How long the page waits for the opener's receipt before saying that nothing was connected. */
const RECEIPT_TIMEOUT_MS = 5_000;

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** JSON inside a <script>: no `</script>`, no HTML comment or line-separator surprises. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/**
 * The page the OAuth popup lands on. It relays Salesforce's answer to
 * `window.opener`, only to the configured origins (never `*`), and waits for
 * the opener's receipt: the opener completes the connection with its own host
 * token. Without an opener of ours, or without a receipt, the page says that
 * nothing was connected (nothing was: this page stores nothing). It drops the
 * code from the address bar, its CSP allows just its own inline script
 * (nonce), and it may not be framed.
 */
export function renderCallbackPage(
  message: SalesforceAuthorizedMessage,
  targetOrigins: readonly string[],
  language: CallbackPageLanguage = 'en',
): { html: string; headers: Record<string, string> } {
  const nonce = randomBytes(16).toString('base64');
  const text = TEXT[language];
  const initial = message.error ? text[message.error] : text.relaying;
  const html = `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><title>Salesforce</title></head>
<body><p id="status" role="status">${escapeHtml(initial)}</p>
<script nonce="${nonce}">
(function () {
  var message = ${scriptJson(message)};
  var origins = ${scriptJson(targetOrigins)};
  var text = ${scriptJson({ received: text.received, unclaimed: text.unclaimed })};
  var status = document.getElementById('status');
  try { history.replaceState(null, '', location.pathname); } catch (e) { /* keep the page */ }
  var opener = window.opener;
  var received = false;
  window.addEventListener('message', function (event) {
    if (!opener || event.source !== opener || origins.indexOf(event.origin) < 0) return;
    if (!event.data || event.data.type !== ${scriptJson(SALESFORCE_AUTHORIZED_RECEIPT)} || received) return;
    received = true;
    if (!message.error) status.textContent = text.received;
    setTimeout(function () { window.close(); }, message.error ? 4000 : 800);
  });
  if (opener && !opener.closed) {
    for (var i = 0; i < origins.length; i++) {
      try { opener.postMessage(message, origins[i]); } catch (e) { /* another origin: ignored */ }
    }
  }
  setTimeout(function () { if (!received && !message.error) status.textContent = text.unclaimed; }, opener ? ${RECEIPT_TIMEOUT_MS} : 0);
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
      'Content-Language': language,
      Vary: 'Accept-Language',
    },
  };
}
