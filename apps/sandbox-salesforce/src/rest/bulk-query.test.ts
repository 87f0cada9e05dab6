import { describe, expect, it } from 'vitest';
import { useSandbox } from '../test-support.ts';

const sandbox = useSandbox();

describe('Bulk API 2.0 query jobs', () => {
  it('runs a query job through jsforce bulk2 (create, poll, results)', async () => {
    const records = (await (await sandbox.conn.bulk2.query('SELECT Id, LastName, Email, SystemModstamp FROM Lead', { pollInterval: 50, pollTimeout: 5000 })).toArray()) as Record<string, string>[];
    expect(records).toHaveLength(100);
    expect(records[0]!.Id).toMatch(/^00Q/);
    expect(records[0]!.SystemModstamp).toMatch(/Z$/);
  });

  it('pages results with maxRecords, Sforce-Locator and Sforce-NumberOfRecords; the last locator is "null"', async () => {
    const job = (await sandbox.conn.request({
      method: 'POST',
      url: '/jobs/query',
      body: JSON.stringify({ operation: 'queryAll', query: 'SELECT Id, IsDeleted FROM Contact' }),
      headers: { 'content-type': 'application/json' },
    })) as { id: string; state: string; object: string };
    expect(job).toMatchObject({ state: 'UploadComplete', object: 'Contact' });
    expect(job.id).toMatch(/^750/);
    const first = (await sandbox.conn.request(`/jobs/query/${job.id}`)) as { state: string };
    expect(first.state).toBe('UploadComplete');
    const info = (await sandbox.conn.request(`/jobs/query/${job.id}`)) as { state: string; numberRecordsProcessed: number };
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 203 });

    const auth = { Authorization: `Bearer ${sandbox.conn.accessToken}` };
    const base = `${sandbox.url}/services/data/v62.0/jobs/query/${job.id}/results`;
    let locator: string | null = null;
    const lines: string[] = [];
    const counts: string[] = [];
    do {
      const response = await fetch(`${base}?maxRecords=150${locator ? `&locator=${locator}` : ''}`, { headers: auth });
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      counts.push(response.headers.get('sforce-numberofrecords')!);
      const text = await response.text();
      const [header, ...rows] = text.trimEnd().split('\n');
      expect(header).toBe('"Id","IsDeleted"');
      lines.push(...rows);
      locator = response.headers.get('sforce-locator');
      if (locator === 'null') locator = null;
    } while (locator);
    expect(counts).toEqual(['150', '53']);
    expect(new Set(lines).size).toBe(203);
    expect(lines.filter((l) => l.endsWith('"true"'))).toHaveLength(1);

    await sandbox.conn.request({ method: 'DELETE', url: `/jobs/query/${job.id}` });
    await expect(sandbox.conn.request(`/jobs/query/${job.id}`)).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  });

  it('refuses a malformed query at creation', async () => {
    await expect(
      sandbox.conn.request({ method: 'POST', url: '/jobs/query', body: JSON.stringify({ operation: 'query', query: 'SELECT FROM Lead' }), headers: { 'content-type': 'application/json' } }),
    ).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
  });
});
