import { describe, expect, it } from 'vitest';
import { createSalesforceSandbox } from '../app.ts';
import type { StoredRecord } from '../org/fields.ts';
import { OBJECTS } from '../org/metadata.ts';
import { prepareDelete, prepareUpdate } from '../org/writes.ts';
import { generateRecords } from '../seed/generator.ts';
import { DEMO_USER_ID } from '../seed/users.ts';
import { compileQuery } from './compile.ts';
import { executeQuery } from './execute.ts';
import { parseSoql } from './parser.ts';

/** The index fast path must return exactly what a full filter + sort returns. */
describe('executeQuery on the SystemModstamp index', () => {
  it('matches a brute-force evaluation after generated history, updates and deletes', () => {
    const { org } = createSalesforceSandbox({ seed: 'demo' });
    generateRecords(org, DEMO_USER_ID, { object: 'Contact', count: 5000, seed: 7 });
    const table = org.tables.Contact;
    const ids = [...table.values()].map((r) => r.Id);
    let x = 12345;
    const rand = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 3000; i += 1) {
      const id = ids[Math.floor(rand() * ids.length)]!;
      const row = table.get(id)!;
      if (row.IsDeleted || row.LastName === 'Davis') continue;
      if (rand() < 0.1) prepareDelete(org, OBJECTS.Contact, id, DEMO_USER_ID).apply();
      else prepareUpdate(org, OBJECTS.Contact, id, { Title: `t${i}` }, DEMO_USER_ID).apply();
    }

    const all = [...table.values()];
    const byStampId = (a: StoredRecord, b: StoredRecord) => a.SystemModstamp - b.SystemModstamp || (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0);
    const stamps = all.map((r) => r.SystemModstamp).sort((a, b) => a - b);
    expect(new Set(stamps).size).toBe(stamps.length);

    for (const pick of [0.1, 0.5, 0.9, 0.999]) {
      const mark = [...all].sort(byStampId)[Math.floor(all.length * pick)]!;
      const iso = new Date(mark.SystemModstamp).toISOString();
      for (const scanAll of [false, true]) {
        const soql = `SELECT Id FROM Contact WHERE SystemModstamp > ${iso} OR (SystemModstamp = ${iso} AND Id > '${mark.Id}') ORDER BY SystemModstamp, Id LIMIT 250`;
        const compiled = compileQuery(parseSoql(soql), soql);
        expect(compiled.compare).toBeUndefined();
        const fast = executeQuery(compiled, table, scanAll).rows.map((r) => r.Id);
        const expected = all
          .filter((r) => (scanAll || !r.IsDeleted) && (r.SystemModstamp > mark.SystemModstamp || (r.SystemModstamp === mark.SystemModstamp && r.Id > mark.Id)))
          .sort(byStampId)
          .slice(0, 250)
          .map((r) => r.Id);
        expect(fast).toEqual(expected);
      }
    }

    const wanted = [ids[10]!, ids[20]!, ids[30]!, ids[10]!, '003000000000000AAA'];
    const byId = `SELECT Id, Title FROM Contact WHERE Id IN ('${wanted.join("','")}') AND Title != 'nope' ORDER BY Title`;
    const compiledIds = compileQuery(parseSoql(byId), byId);
    expect(compiledIds.ids).toHaveLength(5);
    const viaKeys = executeQuery(compiledIds, table, true).rows;
    const viaScan = all.filter((r) => wanted.includes(r.Id) && r.Title !== 'nope').map((r) => r.Id);
    expect(viaKeys.map((r) => r.Id).sort()).toEqual(viaScan.sort());
    const keyTitles = viaKeys.map((r) => String(r.Title ?? '').toLowerCase());
    expect([...keyTitles].sort()).toEqual(keyTitles);

    const generic = 'SELECT Id FROM Contact WHERE Title != null ORDER BY Title DESC, Id LIMIT 100';
    const compiled = compileQuery(parseSoql(generic), generic);
    const rows = executeQuery(compiled, table, false).rows;
    expect(rows).toHaveLength(100);
    const titles = rows.map((r) => String(r.Title).toLowerCase());
    expect([...titles].sort().reverse()).toEqual(titles);
  });

  it('generates records through the control route, as history before the seed or as new changes', async () => {
    const sandbox = createSalesforceSandbox({ seed: 'demo' });
    const oldest = [...sandbox.org.tables.Lead.scanFrom()][0]!;
    generateRecords(sandbox.org, DEMO_USER_ID, { object: 'Lead', count: 1000 });
    const scanned = [...sandbox.org.tables.Lead.scanFrom()];
    expect(scanned).toHaveLength(1100);
    expect(scanned[999]!.SystemModstamp).toBeLessThan(oldest.SystemModstamp);
    generateRecords(sandbox.org, DEMO_USER_ID, { object: 'Lead', count: 10, stamps: 'now' });
    const last = [...sandbox.org.tables.Lead.scanFrom()].at(-1)!;
    expect(last.Company).toBeDefined();
    expect(last.SystemModstamp).toBeGreaterThan(Date.now() - 1000);
  });
});
