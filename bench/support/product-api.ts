// The product driven headless through the BFF's /api/v1, as the microfrontend
// drives it (a host JWT per request), and the Salesforce "popup" over HTTP:
// authorize page, login form, then the completion the opener makes with the
// code and state Salesforce redirected with.
import type { IntegrationDto, RunDto, RunPage } from '@contact-sync/api';
import { DEV_ADMIN_SECRET } from '@contact-sync/secrets';
import { submitLogin } from '../../apps/sandbox-salesforce/src/start.ts';
import { hostToken } from './host-token.ts';

export class ProductApi {
  constructor(
    readonly bffUrl: string,
    readonly accountId: string,
  ) {}

  /**
   * The host's admin call that gives an account its Brevo API key and the key's name
   * (the benchmark stack keeps the BFF's development admin secret).
   */
  async setBrevoKey(apiKey: string, apiKeyName: string): Promise<void> {
    const response = await fetch(`${this.bffUrl}/admin/v1/accounts/${this.accountId}/brevo`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${process.env.ADMIN_SECRET ?? DEV_ADMIN_SECRET}`, 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey, apiKeyName, notificationEmail: 'marketing@sync-bench.test' }),
    });
    if (!response.ok) throw new Error(`setting the Brevo key of ${this.accountId} → ${response.status} ${await response.text()}`);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.bffUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${await hostToken(this.accountId)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * Every wizard step up to the preview (SPEC §2): create, connect Salesforce
   * as `username`, consent, mapping, a new Brevo list. Returns the draft.
   */
  async draftIntegration(options: { name: string; mapping: Record<string, string>; username: string; password: string }): Promise<IntegrationDto> {
    const created = await this.request<IntegrationDto>('POST', '/api/v1/integrations', { kind: 'salesforce-contacts', name: options.name });
    await this.connectSalesforce(created.id, options.username, options.password);
    await this.request('PUT', `/api/v1/integrations/${created.id}/consent`, { optIn: true });
    await this.request('PUT', `/api/v1/integrations/${created.id}/mapping`, { mapping: options.mapping });
    const list = await this.request<{ id: number }>('POST', '/api/v1/brevo/lists', { name: `${options.name} list` });
    const draft = await this.request<IntegrationDto>('PUT', `/api/v1/integrations/${created.id}/list`, { listId: list.id });
    if (draft.nextStep !== 'preview') throw new Error(`the wizard stopped at ${draft.nextStep} instead of the preview`);
    return draft;
  }

  async connectSalesforce(integrationId: string, username: string, password: string): Promise<void> {
    const { authorizeUrl } = await this.request<{ authorizeUrl: string }>('POST', `/api/v1/integrations/${integrationId}/salesforce/connect`);
    const login = await submitLogin(authorizeUrl, username, password);
    if (!login.location) throw new Error(`Salesforce sandbox login failed: ${login.status}`);
    // The popup's callback relays code and state to the opener, which completes the connection with its host token.
    const location = new URL(login.location);
    const code = location.searchParams.get('code');
    const state = location.searchParams.get('state');
    if (!code || !state) throw new Error(`Salesforce sandbox login did not authorize: ${login.location}`);
    await this.request('POST', `/api/v1/integrations/${integrationId}/salesforce/complete`, { state, code });
  }

  /** "Save and activate": the activation asks for a first sync, which a worker takes at its next look for requests (every second). */
  activate(integrationId: string): Promise<IntegrationDto> {
    return this.request('POST', `/api/v1/integrations/${integrationId}/activate`);
  }

  syncNow(integrationId: string): Promise<IntegrationDto> {
    return this.request('POST', `/api/v1/integrations/${integrationId}/sync`);
  }

  async deleteIntegration(integrationId: string): Promise<void> {
    await this.request('DELETE', `/api/v1/integrations/${integrationId}`);
  }

  /** The newest runs of both directions, newest first. */
  async runs(integrationId: string, limit = 10): Promise<RunDto[]> {
    return (await this.request<RunPage>('GET', `/api/v1/integrations/${integrationId}/runs?limit=${limit}`)).runs;
  }
}
