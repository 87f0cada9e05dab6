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

/**
 * Salesforce's own page on API access: which editions have it and the "API Enabled" user
 * permission (what the seed article links to from its connect step).
 */
export const SALESFORCE_API_HELP_URL = 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_rest_compatible_editions.htm';
