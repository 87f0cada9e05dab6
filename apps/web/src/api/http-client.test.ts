import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './api-error.ts';
import { createContactSyncApi } from './contact-sync-api.ts';
import { createHttpClient } from './http-client.ts';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('http client', () => {
  it('fetches a fresh token for every request', async () => {
    let n = 0;
    const getToken = vi.fn(async () => `t${++n}`);
    const fetch = vi.fn(async () => json({ integrations: [] }));
    const api = createContactSyncApi(createHttpClient({ baseUrl: 'http://bff.test/api/v1/', getToken, fetch }));
    await api.listIntegrations();
    await api.listIntegrations();
    expect(getToken).toHaveBeenCalledTimes(2);
    const headers = fetch.mock.calls.map((call) => ((call as unknown as [string, RequestInit])[1].headers as Record<string, string>).Authorization);
    expect(headers).toEqual(['Bearer t1', 'Bearer t2']);
    expect((fetch.mock.calls[0] as unknown as [string])[0]).toBe('http://bff.test/api/v1/integrations');
  });

  it('sends JSON bodies and query strings', async () => {
    const fetch = vi.fn(async () => json({ lists: [], count: 0, offset: 10, limit: 10 }));
    const api = createContactSyncApi(createHttpClient({ baseUrl: 'http://bff.test/api/v1', getToken: async () => 't', fetch }));
    await api.listBrevoLists(10, 10);
    expect((fetch.mock.calls[0] as unknown as [string])[0]).toBe('http://bff.test/api/v1/brevo/lists?offset=10&limit=10');
    fetch.mockResolvedValueOnce(json({}));
    await api.putMapping('abc', { EMAIL: 'Email' });
    const [url, init] = fetch.mock.calls[1] as unknown as [string, RequestInit];
    expect(url).toBe('http://bff.test/api/v1/integrations/abc/mapping');
    expect(init.method).toBe('PUT');
    expect(init.body).toBe('{"mapping":{"EMAIL":"Email"},"settings":{}}');
  });

  it('turns the error body into an ApiError with its issues', async () => {
    const issues = [{ code: 'email_or_sms_required', rule: 'R5', messageKey: 'rules.mapping.emailOrSmsRequired', params: {} }];
    const fetch = vi.fn(async () => json({ error: { code: 'validation_failed', message: 'The request is not valid.', details: { issues } } }, 422));
    const api = createContactSyncApi(createHttpClient({ baseUrl: 'http://bff.test/api/v1', getToken: async () => 't', fetch }));
    const error = await api.putMapping('abc', {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(422);
    expect((error as ApiError).issues).toEqual(issues);
  });

  it('reports network failures and non-JSON errors', async () => {
    const offline = createHttpClient({ baseUrl: 'http://bff.test', getToken: async () => 't', fetch: vi.fn(async () => Promise.reject(new TypeError('fetch failed'))) });
    await expect(offline.request('GET', '/x')).rejects.toMatchObject({ code: 'network_error', status: 0 });
    const broken = createHttpClient({ baseUrl: 'http://bff.test', getToken: async () => 't', fetch: vi.fn(async () => new Response('oops', { status: 502 })) });
    await expect(broken.request('GET', '/x')).rejects.toMatchObject({ code: 'http_502', status: 502 });
  });

  it('does not send the request when no token can be had', async () => {
    const fetch = vi.fn();
    const client = createHttpClient({ baseUrl: 'http://bff.test', getToken: async () => Promise.reject(new Error('no session')), fetch });
    await expect(client.request('GET', '/x')).rejects.toThrow('no session');
    expect(fetch).not.toHaveBeenCalled();
  });
});
