import { parseSoql } from './parser.ts';

/**
 * What parsing costs per query, for the SOQL the product sends (see the
 * README): `npx tsx src/soql/parse-cost.ts`. Times are per parse, the best of
 * a few rounds after warm-up; the machine's load still moves them, so say it beside them.
 */
const stamp = '2026-12-04T10:00:00.000Z';
const fields = 'Id, SystemModstamp, IsDeleted, FirstName, LastName, Email, MobilePhone, Title, HasOptedOutOfEmail, Interests__c';
const ids = Array.from({ length: 200 }, (_, i) => `'003${String(i).padStart(12, '0')}AAA'`).join(', ');
export const TYPICAL_QUERIES: Record<string, string> = {
  'first page': `SELECT ${fields} FROM Contact ORDER BY SystemModstamp ASC, Id ASC`,
  watermark: `SELECT ${fields} FROM Contact WHERE SystemModstamp > ${stamp} OR (SystemModstamp = ${stamp} AND Id > '003000000000001AAA') ORDER BY SystemModstamp ASC, Id ASC`,
  'Id IN (200)': `SELECT ${fields} FROM Contact WHERE Id IN (${ids}) ORDER BY SystemModstamp ASC, Id ASC`,
  'record filter': `SELECT ${fields} FROM Contact WHERE (Email LIKE '%@acme.test' AND Score__c >= 10) OR (Interests__c INCLUDES ('Events') AND CreatedDate = LAST_N_DAYS:30)`,
  count: 'SELECT COUNT() FROM Contact',
};

/** The best of a few rounds, which a busy machine disturbs least. */
export function microsPerParse(parse: (soql: string) => unknown, soql: string, runs = 500, rounds = 7): number {
  for (let i = 0; i < 200; i += 1) parse(soql);
  let best = Infinity;
  for (let round = 0; round < rounds; round += 1) {
    const start = performance.now();
    for (let i = 0; i < runs; i += 1) parse(soql);
    best = Math.min(best, ((performance.now() - start) * 1000) / runs);
  }
  return best;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [name, soql] of Object.entries(TYPICAL_QUERIES)) {
    console.log(`${name.padEnd(14)} ${microsPerParse(parseSoql, soql).toFixed(1).padStart(7)} µs/parse  (${soql.length} chars)`);
  }
}
