import type { MountContext, MountedApp } from '@contact-sync/contract';
import { createContactSyncApp, type AppOptions } from './app/create-contact-sync-app.ts';
import { attachStyles } from './styles/attach-styles.ts';

export { CONTRACT_VERSION } from '@contact-sync/contract';
export type { MountContext, MountedApp } from '@contact-sync/contract';

/**
 * Module mode (SPEC §5): renders the microfrontend into `el`. Each call is an
 * independent app; `unmount()` leaves `el` empty and nothing global behind.
 * The route lives in the host page's address under `context.basePath` (the
 * host serves every path below it with the page that mounts the app).
 */
export function mount(el: Element, context: MountContext, options: AppOptions = {}): MountedApp {
  const doc = el.ownerDocument;
  const container = doc.createElement('div');
  container.className = 'cs-app';
  const detachStyles = attachStyles(container);
  el.appendChild(container);
  const target = doc.createElement('div');
  container.appendChild(target);

  const instance = createContactSyncApp(context, { history: { kind: 'browser', basePath: context.basePath }, ...options });
  let mounted = true;
  instance.mount(target);

  return {
    update(next) {
      if (mounted) instance.update(next);
    },
    unmount() {
      if (!mounted) return;
      mounted = false;
      instance.unmount();
      detachStyles();
      container.remove();
    },
  };
}

export default mount;
