// The host page's own script: the "+" menu, the preference switchers, and
// loading the microfrontend in module or iframe mode through the contract.
import { CONTRACT_VERSION, createIframeHost, type MountContext, type MountedApp, type ToastKind } from '@contact-sync/contract';

interface Boot {
  mode: 'module' | 'iframe';
  moduleUrl: string;
  iframeUrl: string;
  webOrigin: string;
  basePath: string;
  accountId: string;
  plan: string;
  user: { id: string; email: string; locale: string };
  messages: { loading: string; failed: string; title: string };
}

/** Tokens are minted by our backend for the logged-in user; reused until a minute before expiry. */
function createTokenSource(): () => Promise<string> {
  let cached: { token: string; expiresAt: number } | null = null;
  return async () => {
    const now = Date.now() / 1000;
    if (cached && cached.expiresAt - now > 60) return cached.token;
    const response = await fetch('/host/token', { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
    cached = (await response.json()) as { token: string; expiresAt: number };
    return cached.token;
  };
}

/** One toast at a time: the next replaces it. */
function showToast(kind: ToastKind, message: string): void {
  const region = document.querySelector('[data-toasts]');
  if (!region) return;
  const toast = document.createElement('p');
  toast.className = `toast toast--${kind}`;
  toast.textContent = message;
  region.replaceChildren(toast);
  setTimeout(() => toast.remove(), 6000);
}

/** The app path the address names (below `basePath`): what a deep link or a reload opens. */
function appPathOf(basePath: string): string {
  const rest = window.location.pathname.startsWith(basePath) ? window.location.pathname.slice(basePath.length) : '';
  return `${rest.startsWith('/') ? rest : `/${rest}`}${window.location.search}`;
}

/** Our plans page: where "Upgrade" in the app leads (a real host opens its billing flow). */
const upgrade = () => window.location.assign('/plans');

function setUpCreateMenu(): void {
  const toggle = document.querySelector<HTMLButtonElement>('[data-create-toggle]');
  const menu = document.getElementById('create-menu');
  if (!toggle || !menu) return;
  const setOpen = (open: boolean) => {
    toggle.setAttribute('aria-expanded', String(open));
    menu.hidden = !open;
  };
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    setOpen(open);
    if (open) menu.querySelector<HTMLElement>('a')?.focus();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && toggle.getAttribute('aria-expanded') === 'true') {
      setOpen(false);
      toggle.focus();
    }
  });
  document.addEventListener('click', (event) => {
    if (!(event.target instanceof Node) || toggle.contains(event.target) || menu.contains(event.target)) return;
    setOpen(false);
  });
}

function setUpPreferences(): void {
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-auto-submit]')) {
    form.addEventListener('change', () => form.requestSubmit());
    form.querySelector<HTMLElement>('.prefs__apply')?.setAttribute('hidden', '');
  }
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-confirm]')) {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.dataset.confirm ?? '')) event.preventDefault();
    });
  }
}

async function loadMicrofrontend(boot: Boot, root: HTMLElement): Promise<void> {
  const status = root.querySelector('[data-mf-status]');
  const context: MountContext = {
    contractVersion: CONTRACT_VERSION,
    accountId: boot.accountId,
    user: boot.user,
    plan: boot.plan,
    basePath: boot.basePath,
    getToken: createTokenSource(),
    onUpgrade: upgrade,
  };

  // Module mode: the app keeps its route in our address itself (under basePath; we serve every path below it).
  if (boot.mode === 'module') {
    const module = (await import(/* @vite-ignore */ boot.moduleUrl)) as { mount(el: Element, context: MountContext): MountedApp };
    status?.remove();
    const mounted = module.mount(root, context);
    root.setAttribute('aria-busy', 'false');
    window.addEventListener('pagehide', () => mounted.unmount(), { once: true });
    return;
  }

  const iframe = document.createElement('iframe');
  iframe.src = boot.iframeUrl;
  iframe.title = boot.messages.title;
  iframe.className = 'mf__frame';
  iframe.setAttribute('allow', 'clipboard-write');
  // Iframe mode: our address follows the app's route (pushed, or replaced when the app replaced it),
  // a deep link or a reload hands it back with init, and Back and Forward show it in the app.
  const onNavigate = (path: string, { replace }: { replace: boolean }) => {
    const url = `${boot.basePath}${path === '/' ? '' : path}`;
    if (url === `${window.location.pathname}${window.location.search}`) return;
    if (replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
  };
  const host = createIframeHost({
    iframe,
    allowedOrigin: boot.webOrigin,
    context,
    currentPath: () => appPathOf(boot.basePath),
    onNavigate,
    onUpgrade: upgrade,
    onToast: showToast,
    onReady: () => {
      status?.remove();
      root.setAttribute('aria-busy', 'false');
    },
  });
  root.appendChild(iframe);
  const onPopState = () => host.navigate(appPathOf(boot.basePath));
  window.addEventListener('popstate', onPopState);
  window.addEventListener(
    'pagehide',
    () => {
      window.removeEventListener('popstate', onPopState);
      host.destroy();
    },
    { once: true },
  );
}

function start(): void {
  setUpCreateMenu();
  setUpPreferences();
  const bootElement = document.getElementById('host-boot');
  const root = document.querySelector<HTMLElement>('[data-mf-root]');
  if (!bootElement || !root) return;
  const boot = JSON.parse(bootElement.textContent ?? '{}') as Boot;
  loadMicrofrontend(boot, root).catch((error: unknown) => {
    const status = root.querySelector('[data-mf-status]') ?? root.appendChild(document.createElement('p'));
    status.className = 'alert alert--error';
    status.setAttribute('role', 'alert');
    status.textContent = boot.messages.failed.replace('{error}', error instanceof Error ? error.message : String(error));
    root.setAttribute('aria-busy', 'false');
  });
}

start();
