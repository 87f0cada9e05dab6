// The sandboxes' control routes (`/__sandbox`, outside the emulated APIs):
// load data, count the product's API calls, and see what each side holds
// without API calls of our own (they would be counted, and on Brevo spend
// the rate limit being measured).

/** API calls one sandbox counted since its counter was last reset. */
export interface CallCount {
  total: number;
  byRoute: Record<string, number>;
  /** Answers by HTTP status (e.g. `429`). */
  byStatus: Record<string, number>;
}

async function control<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}/__sandbox${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${base}/__sandbox${path} → ${response.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

class SandboxControl {
  constructor(readonly url: string) {}

  calls(): Promise<CallCount> {
    return control(this.url, 'GET', '/calls');
  }

  resetCalls(): Promise<void> {
    return control(this.url, 'DELETE', '/calls');
  }

  /** Each API call answered after a random time in the range (null: at once, the default). */
  async setLatency(range: { minMs: number; maxMs: number } | null): Promise<void> {
    if (range) await control(this.url, 'PUT', '/latency', range);
    else await control(this.url, 'DELETE', '/latency');
  }

  /** Back to the seed: records, tokens, webhooks, call counts. */
  reset(): Promise<void> {
    return control(this.url, 'POST', '/reset');
  }
}

export class SalesforceControl extends SandboxControl {
  /** Bulk-loads Contacts into the demo org (history older than every row). */
  async generateContacts(count: number): Promise<{ total: number; ms: number }> {
    return control(this.url, 'POST', '/generate', { object: 'Contact', count, stamps: 'past' });
  }
}

export type BrevoContact = { id: number; email: string; attributes: Record<string, unknown>; listIds: number[] };

/** The sandbox's limit per lookup. */
const FIND_BATCH = 2_000;

export class BrevoControl extends SandboxControl {
  async listMembers(accountId: string, listId: number): Promise<number> {
    return (await control<{ members: number }>(this.url, 'GET', `/accounts/${accountId}/lists/${listId}`)).members;
  }

  /** Contacts by e-mail, in the order asked (null: no such contact). */
  async findContacts(accountId: string, emails: readonly string[]): Promise<(BrevoContact | null)[]> {
    const found: (BrevoContact | null)[] = [];
    for (let i = 0; i < emails.length; i += FIND_BATCH) {
      const page = await control<{ contacts: (BrevoContact | null)[] }>(this.url, 'POST', `/accounts/${accountId}/contacts/find`, { emails: emails.slice(i, i + FIND_BATCH) });
      found.push(...page.contacts);
    }
    return found;
  }

  /**
   * A marketer's edit in Brevo's web app (the sandbox's contact form): Brevo
   * sends its webhook with an empty `api_key_name`, unlike the integration's own
   * writes made with the account's key.
   */
  async editInWebApp(accountId: string, contactId: number, attributes: Record<string, string>): Promise<void> {
    const form = new URLSearchParams(Object.entries(attributes).map(([name, value]): [string, string] => [`attr_${name}`, value]));
    const response = await fetch(`${this.url}/contacts/${contactId}?account=${encodeURIComponent(accountId)}`, { method: 'POST', body: form, redirect: 'manual' });
    if (response.status !== 303) throw new Error(`editing contact ${contactId} in the Brevo sandbox's web app → ${response.status} ${(await response.text()).slice(0, 300)}`);
  }
}
