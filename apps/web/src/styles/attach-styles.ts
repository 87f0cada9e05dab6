import css from './app.css?inline';

/**
 * The app's stylesheet travels inside the bundle and lives inside the mount
 * element (every rule is scoped under `.cs-app`), so the host's page is not
 * styled by us and unmounting takes the styles away too.
 */
export function attachStyles(container: Element): () => void {
  const style = container.ownerDocument.createElement('style');
  style.setAttribute('data-contact-sync', '');
  style.textContent = css;
  container.appendChild(style);
  return () => style.remove();
}
