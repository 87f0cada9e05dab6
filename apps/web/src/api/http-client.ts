import { ApiError, toApiError } from './api-error.ts';

export interface HttpClientOptions {
  /** e.g. `http://localhost:4000/api/v1` */
  baseUrl: string;
  /** Called before every request: tokens live at most 5 minutes. */
  getToken(): Promise<string>;
  fetch?: typeof fetch;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpClient {
  request<T>(method: HttpMethod, path: string, options?: { body?: unknown; query?: Record<string, string | number | undefined> }): Promise<T>;
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));

  return {
    async request<T>(method: HttpMethod, path: string, { body, query }: { body?: unknown; query?: Record<string, string | number | undefined> } = {}) {
      const token = await options.getToken();
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) search.set(key, String(value));
      const url = `${baseUrl}${path}${search.size > 0 ? `?${search}` : ''}`;
      const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
      if (body !== undefined) headers['Content-Type'] = 'application/json';

      let response: Response;
      try {
        response = await doFetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      } catch (error) {
        throw new ApiError(0, 'network_error', error instanceof Error ? error.message : 'Network error');
      }
      if (!response.ok) throw await toApiError(response);
      if (response.status === 204) return undefined as T;
      const text = await response.text();
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}
