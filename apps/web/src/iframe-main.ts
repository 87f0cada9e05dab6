import { connectToHost } from '@contact-sync/contract';
import { createContactSyncApp } from './app/create-contact-sync-app.ts';
import { DEFAULT_HOST_ORIGINS } from './app/config.ts';
import { attachStyles } from './styles/attach-styles.ts';

/**
 * Iframe mode (SPEC §5): handshake with the embedding host (origin allowlist
 * + source check inside the contract), then the same app as module mode.
 * Toasts and navigation are reported to the host; the page's height too.
 */
async function start(): Promise<void> {
  const root = document.getElementById('app');
  if (!root) return;
  const connection = await connectToHost({ allowedOrigins: DEFAULT_HOST_ORIGINS });
  document.documentElement.lang = connection.context.user.locale;

  const container = document.createElement('div');
  container.className = 'cs-app cs-app--framed';
  attachStyles(container);
  const target = document.createElement('div');
  container.appendChild(target);
  root.appendChild(container);

  const instance = createContactSyncApp(connection.context, {
    onToast: (kind, message) => connection.toast(kind, message),
    // The route lives here; the host's address follows it (and hands it back on a reload or a shared link).
    history: { kind: 'memory', initialPath: connection.initialPath },
    onNavigate: (path, navigation) => connection.navigate(path, navigation),
  });
  instance.mount(target);
  connection.onContextChange((context) => {
    document.documentElement.lang = context.user.locale;
    instance.update(context);
  });
  connection.onNavigate((path) => instance.navigate(path));
  connection.observeResize(container);
}

start().catch((error: unknown) => {
  // Not embedded by an allowed host: show nothing but say why in the console.
  console.error('contact-sync:', error instanceof Error ? error.message : error);
});
