import { describe, expect, it } from 'vitest';
import { useSandbox } from '../test-support.ts';

/** Bad input anywhere gets a Salesforce-shaped 4xx, never a 500 or a stack trace. */
const sandbox = useSandbox();

const cases: [string, string, string | undefined][] = [
  ['POST', '/sobjects/Contact', 'null'],
  ['POST', '/sobjects/Contact', '[]'],
  ['POST', '/sobjects/Contact', '"text"'],
  ['POST', '/sobjects/Contact', '{"LastName": {"a": 1}}'],
  ['POST', '/sobjects/Contact', '{"LastName": "x", "HasOptedOutOfEmail": "maybe"}'],
  ['POST', '/sobjects/Contact', '{"LastName": "x", "Last_Contacted__c": "yesterday"}'],
  ['POST', '/sobjects/Contact', '{"LastName": "x", "AccountId": "not-an-id"}'],
  ['POST', '/sobjects/Case', '{"ContactId": "003000000000000AAA"}'],
  ['POST', '/sobjects/Contact', '{not json'],
  ['PATCH', '/sobjects/Contact/xyz', '{"LastName": "x"}'],
  ['PATCH', '/composite/sobjects', '{"records": "x"}'],
  ['PATCH', '/composite/sobjects', '{"records": [1]}'],
  ['PATCH', '/composite/sobjects', '{"records": [{"attributes": {"type": "Nope"}, "id": "003000000000000AAA"}]}'],
  ['POST', '/composite/sobjects', '{"allOrNone": "yes", "records": []}'],
  ['POST', '/composite/sobjects', '{"records": [{"LastName": "no type"}]}'],
  ['DELETE', '/composite/sobjects', undefined],
  ['GET', '/composite/sobjects/Contact?ids=003000000000000AAA', undefined],
  ['GET', '/query?q=', undefined],
  ['GET', "/query?q=SELECT%20Id%20FROM%20Contact%20WHERE%20LastName%20%3D%20'x", undefined],
  ['GET', '/query?q=DELETE%20FROM%20Contact', undefined],
  ['GET', '/query/garbage', undefined],
  ['GET', '/sobjects/Contact/updated?start=garbage&end=now', undefined],
  ['GET', '/sobjects/Nope/describe', undefined],
  ['GET', '/sobjects/Contact/%E0%A4%A', undefined],
  ['GET', '/nothing/here', undefined],
  ['POST', '/jobs/query', '{"operation": "explode"}'],
  ['GET', '/jobs/query/750000000000000AAA/results', undefined],
];

describe('bad input', () => {
  it.each(cases)('%s %s %s', async (method, path, body) => {
    const response = await fetch(`${sandbox.url}/services/data/v62.0${path}`, {
      method,
      headers: { Authorization: `Bearer ${sandbox.conn.accessToken}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body } : {}),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const json = (await response.json()) as { errorCode: string; message: string }[];
    expect(Array.isArray(json)).toBe(true);
    expect(json[0]!.errorCode).toMatch(/^[A-Z_]+$/);
    expect(typeof json[0]!.message).toBe('string');
  });

  it('answers OAuth and control endpoints with their own 4xx errors', async () => {
    const token = await fetch(`${sandbox.url}/services/oauth2/token`, { method: 'POST' });
    expect(token.status).toBe(400);
    expect(await token.json()).toEqual({ error: 'unsupported_grant_type', error_description: 'grant type not supported' });
    const generate = await fetch(`${sandbox.url}/__sandbox/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"object":"Account","count":-1}' });
    expect(generate.status).toBe(400);
    const revoke = await fetch(`${sandbox.url}/services/oauth2/revoke`, { method: 'POST', body: new URLSearchParams({ token: 'nope' }) });
    expect(revoke.status).toBe(400);
  });
});
