import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../test-support.ts';

/**
 * Every operator a record filter compiles to, run through jsforce's `conn.query`
 * against four contacts of their own (`Department = 'Filter-Table'`), nulls included.
 */
const sandbox = useSandbox();
const DAY_MS = 86_400_000;
const todayStart = Math.floor(Date.now() / DAY_MS) * DAY_MS;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

beforeAll(async () => {
  const base = { Department: 'Filter-Table' };
  const created = await sandbox.conn.sobject('Contact').create([
    {
      ...base,
      LastName: 'Alpha',
      FirstName: 'Ann',
      Email: 'ann@alpha.test',
      Score__c: 10,
      Visits__c: 1,
      HasOptedOutOfEmail: true,
      Birthdate: isoDate(todayStart),
      Last_Contacted__c: new Date(todayStart + 60_000).toISOString(),
      Interests__c: 'Events;Offers',
      Title: '50% off',
    },
    {
      ...base,
      LastName: 'Beta',
      Score__c: 20.5,
      Visits__c: 2,
      Birthdate: isoDate(todayStart - 10 * DAY_MS),
      Last_Contacted__c: new Date(todayStart - 10 * DAY_MS + DAY_MS / 2).toISOString(),
      Interests__c: 'Events',
      Title: 'under_score',
    },
    { ...base, LastName: 'Gamma', FirstName: 'Cy', Email: 'cy@gamma.test', Visits__c: 3, Birthdate: '1990-02-28', Title: '50 percent' },
    {
      ...base,
      LastName: "O'Neil",
      FirstName: 'Dee',
      Email: 'dee@delta.test',
      Score__c: -5,
      HasOptedOutOfEmail: true,
      Last_Contacted__c: new Date(todayStart - 400 * DAY_MS + DAY_MS / 2).toISOString(),
      Interests__c: 'Webinars',
      Title: 'back\\slash',
    },
  ]);
  expect(created.every((r) => r.success)).toBe(true);
});

const ALL = ['Alpha', 'Beta', 'Gamma', "O'Neil"];

describe('WHERE operators through conn.query', () => {
  const cases: [string, string[]][] = [
    ["LastName = 'alpha'", ['Alpha']],
    ["LastName = 'O\\'Neil'", ["O'Neil"]],
    ["LastName != 'Alpha'", ['Beta', 'Gamma', "O'Neil"]],
    ["LastName <> 'Alpha'", ['Beta', 'Gamma', "O'Neil"]],
    // SOQL's != keeps the rows where the field is null, unlike SQL.
    ["FirstName != 'Ann'", ['Beta', 'Gamma', "O'Neil"]],
    ['Score__c < 10', ["O'Neil"]],
    ['Score__c <= 10', ['Alpha', "O'Neil"]],
    ['Score__c > 10', ['Beta']],
    ['Score__c >= -5', ['Alpha', 'Beta', "O'Neil"]],
    ['Score__c = 20.5', ['Beta']],
    ['Visits__c IN (1, 3)', ['Alpha', 'Gamma']],
    ["LastName IN ('alpha', 'BETA')", ['Alpha', 'Beta']],
    ["LastName NOT IN ('Alpha', 'Beta')", ['Gamma', "O'Neil"]],
    ['Visits__c NOT IN (1)', ['Beta', 'Gamma', "O'Neil"]],
    ["LastName LIKE '%ET%'", ['Beta']],
    ["Email LIKE '%.test'", ['Alpha', 'Gamma', "O'Neil"]],
    ["Title LIKE '%50\\%%'", ['Alpha']],
    ["Title LIKE '%50%'", ['Alpha', 'Gamma']],
    ["Title LIKE '%r\\_s%'", ['Beta']],
    ["Title LIKE '%k\\\\s%'", ["O'Neil"]],
    // An escaped backslash, then a wildcard.
    ["Title LIKE '%\\\\%'", ["O'Neil"]],
    ['Email = null', ['Beta']],
    ['Email != null', ['Alpha', 'Gamma', "O'Neil"]],
    ['Score__c = null', ['Gamma']],
    ['HasOptedOutOfEmail = true', ['Alpha', "O'Neil"]],
    ['HasOptedOutOfEmail = FALSE', ['Beta', 'Gamma']],
    ['Birthdate = 1990-02-28', ['Gamma']],
    ['Birthdate < 2000-01-01', ['Gamma']],
    ['Birthdate = TODAY', ['Alpha']],
    ['Birthdate < TODAY', ['Beta', 'Gamma']],
    ['Birthdate = LAST_N_DAYS:30', ['Alpha', 'Beta']],
    ['Birthdate = N_DAYS_AGO:10', ['Beta']],
    ['Birthdate = NEXT_N_DAYS:5', []],
    ['Last_Contacted__c = TODAY', ['Alpha']],
    ['Last_Contacted__c >= LAST_N_DAYS:30', ['Alpha', 'Beta']],
    ['Last_Contacted__c < LAST_N_DAYS:30', ["O'Neil"]],
    ['Last_Contacted__c > TODAY', []],
    ['Last_Contacted__c <= YESTERDAY', ['Beta', "O'Neil"]],
    ['Last_Contacted__c > 2000-01-01T00:00:00Z', ['Alpha', 'Beta', "O'Neil"]],
    ['Last_Contacted__c < 2000-01-01T00:00:00.000+0000', []],
    ["Interests__c INCLUDES ('Events')", ['Alpha', 'Beta']],
    ["Interests__c INCLUDES ('events;offers')", ['Alpha']],
    ["Interests__c INCLUDES ('Offers', 'Webinars')", ['Alpha', "O'Neil"]],
    ["Interests__c EXCLUDES ('Events')", ['Gamma', "O'Neil"]],
    ["LastName = 'Alpha' OR LastName = 'Beta'", ['Alpha', 'Beta']],
    ["NOT LastName = 'Alpha'", ['Beta', 'Gamma', "O'Neil"]],
    ["NOT (LastName = 'Alpha' OR LastName = 'Beta')", ['Gamma', "O'Neil"]],
    ['(Score__c > 0 OR Score__c = null) AND NOT (Visits__c = 1)', ['Beta', 'Gamma']],
    ["((LastName LIKE 'A%' OR LastName LIKE 'B%') AND Email != null) OR (Score__c < 0 AND HasOptedOutOfEmail = true)", ['Alpha', "O'Neil"]],
  ];
  it.each(cases)('%s', async (where, expected) => {
    const soql = `SELECT LastName FROM Contact WHERE Department = 'Filter-Table' AND (${where})`;
    const rows = (await sandbox.conn.query<{ LastName: string }>(soql)).records;
    expect(rows.map((r) => r.LastName).sort()).toEqual(expected);
  });

  it('counts the same rows with COUNT()', async () => {
    expect((await sandbox.conn.query("SELECT COUNT() FROM Contact WHERE Department = 'Filter-Table'")).totalSize).toBe(ALL.length);
    expect((await sandbox.conn.query("SELECT COUNT() FROM Contact WHERE Department = 'Filter-Table' AND Email = null")).totalSize).toBe(1);
  });

  it('refuses AND and OR mixed at one level, as Salesforce does', async () => {
    await expect(sandbox.conn.query("SELECT Id FROM Contact WHERE Department = 'Filter-Table' AND LastName = 'Alpha' OR LastName = 'Beta'")).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: expect.stringContaining("unexpected token: 'OR'"),
    });
  });
});
