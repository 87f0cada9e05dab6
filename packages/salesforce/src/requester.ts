/**
 * The one thing the sync needs from a Salesforce connection: an authenticated
 * REST request. jsforce's `Connection` satisfies it (and refreshes the access
 * token on 401); tests can pass anything with the same shape.
 */
export interface SalesforceRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface SalesforceRequester {
  request<T = unknown>(request: SalesforceRequest): PromiseLike<T>;
}

export const SALESFORCE_API_VERSION = '62.0';
export const DATA_PATH = `/services/data/v${SALESFORCE_API_VERSION}`;
