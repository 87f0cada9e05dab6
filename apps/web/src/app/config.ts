/** Where the BFF is; baked in at build time (VITE_BFF_URL), overridable per mount for tests. */
export const DEFAULT_BFF_URL: string = import.meta.env.VITE_BFF_URL || 'http://localhost:4000';

/** Hosts allowed to embed the iframe page (comma-separated VITE_HOST_ORIGINS). */
export const DEFAULT_HOST_ORIGINS: string[] = (import.meta.env.VITE_HOST_ORIGINS || 'http://localhost:5170')
  .split(',')
  .map((origin: string) => origin.trim())
  .filter(Boolean);

export function originOf(url: string): string {
  return new URL(url).origin;
}
