import { composeQuery, parseQuery } from '@jetstreamapp/soql-parser-js';
import { describe, expect, it } from 'vitest';
import { SalesforceError } from '../errors.ts';
import { compileQuery, likeToRegExp } from './compile.ts';
import { parseSoql } from './parser.ts';

describe('parseSoql: valid queries', () => {
  const valid: [string, unknown][] = [
    ['SELECT Id FROM Contact', { fields: [{ name: 'Id' }], object: { name: 'Contact' }, orderBy: [], count: false }],
    ['select id, lastname from contact', { fields: [{ name: 'id' }, { name: 'lastname' }], object: { name: 'contact' } }],
    ['SELECT COUNT() FROM Lead', { fields: [], count: true }],
    ["SELECT Id FROM Contact WHERE Email = 'a@b.c'", { where: { kind: 'compare', op: '=', value: { kind: 'string', value: 'a@b.c' } } }],
    ["SELECT Id FROM Contact WHERE Name = 'O\\'Brien'", { where: { value: { kind: 'string', value: "O'Brien" } } }],
    ['SELECT Id FROM Contact WHERE Email <> null', { where: { op: '!=', value: { kind: 'null' } } }],
    ['SELECT Id FROM Contact WHERE Score__c >= -1.5', { where: { op: '>=', value: { kind: 'number', value: -1.5 } } }],
    ['SELECT Id FROM Contact WHERE HasOptedOutOfEmail = TRUE', { where: { value: { kind: 'boolean', value: true } } }],
    ['SELECT Id FROM Contact WHERE Birthdate < 2000-01-31', { where: { op: '<', value: { kind: 'date', value: '2000-01-31' } } }],
    ['SELECT Id FROM Contact WHERE SystemModstamp > 2024-01-01T00:00:00Z', { where: { value: { kind: 'datetime', value: '2024-01-01T00:00:00Z' } } }],
    [
      'SELECT Id FROM Contact WHERE SystemModstamp > 2024-01-01T00:00:00.000+0000',
      { where: { value: { kind: 'datetime', value: '2024-01-01T00:00:00.000+0000' } } },
    ],
    ['SELECT Id FROM Contact WHERE CreatedDate = LAST_N_DAYS:7', { where: { value: { kind: 'dateLiteral', name: 'LAST_N_DAYS', n: 7 } } }],
    ["SELECT Id FROM Contact WHERE LastName IN ('a', 'b')", { where: { kind: 'in', negated: false, values: [{ value: 'a' }, { value: 'b' }] } }],
    ["SELECT Id FROM Contact WHERE LastName NOT IN ('a')", { where: { kind: 'in', negated: true } }],
    ["SELECT Id FROM Contact WHERE LastName LIKE 'Sm%'", { where: { kind: 'like', pattern: { value: 'Sm%' } } }],
    ["SELECT Id FROM Contact WHERE NOT LastName = 'x'", { where: { kind: 'not', item: { kind: 'compare' } } }],
    ["SELECT Id FROM Contact WHERE a = 1 AND b = 2 AND c = 3", { where: { kind: 'and', items: [{}, {}, {}] } }],
    [
      "SELECT Id FROM Contact WHERE SystemModstamp > 2024-01-01T00:00:00Z OR (SystemModstamp = 2024-01-01T00:00:00Z AND Id > '003000000000001AAA')",
      { where: { kind: 'or', items: [{ kind: 'compare' }, { kind: 'and' }] } },
    ],
    [
      'SELECT Id FROM Contact ORDER BY LastName DESC NULLS FIRST, Id LIMIT 10 OFFSET 20',
      {
        orderBy: [
          { field: { name: 'LastName' }, descending: true, nullsLast: false },
          { field: { name: 'Id' }, descending: false, nullsLast: false },
        ],
        limit: 10,
        offset: 20,
      },
    ],
    ['SELECT Id FROM Contact ORDER BY Email DESC', { orderBy: [{ descending: true, nullsLast: true }] }],
    ['SELECT FIELDS(ALL) FROM Contact LIMIT 200', { fields: [{ fieldsFunction: 'ALL' }], limit: 200 }],
    ["SELECT Id FROM Contact WHERE Interests__c INCLUDES ('Events;Offers', 'Webinars')", { where: { kind: 'includes', excludes: false, values: [{ value: 'Events;Offers' }, {}] } }],
    ["SELECT Id FROM Contact WHERE Interests__c EXCLUDES ('Events')", { where: { kind: 'includes', excludes: true } }],
    ['SELECT Id FROM Contact WHERE CreatedDate = N_DAYS_AGO:3 AND Birthdate = THIS_FISCAL_YEAR', { where: { items: [{ value: { kind: 'dateLiteral', name: 'N_DAYS_AGO', n: 3 } }, { value: { name: 'THIS_FISCAL_YEAR' } }] } }],
    // LIKE keeps `\\`, `\%` and `\_` escaped for its pattern; elsewhere `\\` is one backslash.
    ["SELECT Id FROM Contact WHERE Title LIKE '%\\\\%\\%\\_' AND Title != 'a\\\\b'", { where: { items: [{ pattern: { value: '%\\\\%\\%\\_' } }, { value: { value: 'a\\b' } }] } }],
    [
      "SELECT Id FROM Contact WHERE ((a = 1 OR b = 2) AND (NOT (c = 3 OR d = 4))) OR e = 5",
      {
        where: {
          kind: 'or',
          items: [
            { kind: 'and', items: [{ kind: 'or', items: [{ field: { name: 'a', pos: 31 } }, { field: { name: 'b' } }] }, { kind: 'not', item: { kind: 'or', items: [{}, {}] } }] },
            { kind: 'compare', field: { name: 'e', pos: 78 }, value: { value: 5, pos: 82 } },
          ],
        },
      },
    ],
    ["SELECT Id FROM Contact WHERE (NOT a = 1) OR NOT (b = 'x')", { where: { kind: 'or', items: [{ kind: 'not', item: { field: { name: 'a' } } }, { kind: 'not', item: { value: { value: 'x' } } }] } }],
    // A field named like a word inside a string: positions skip string literals.
    ["SELECT Id FROM Contact WHERE Title = 'Email' AND Email = null", { where: { items: [{ value: { pos: 37 } }, { field: { name: 'Email', pos: 49 } }] } }],
  ];
  it.each(valid)('%s', (soql, expected) => {
    expect(parseSoql(soql)).toMatchObject(expected as object);
  });
});

describe('parseSoql: malformed queries', () => {
  const malformed: [string, string][] = [
    ['SELECT FROM Contact', "unexpected token: 'FROM'"],
    // The library reads `Id FORM` as a field and its alias, so the query breaks at 'Contact'.
    ['SELECT Id FORM Contact', "\nSELECT Id FORM Contact\n               ^\nERROR at Row:1:Column:16\nunexpected token: 'Contact'"],
    ['SELECT Id, FROM Contact', "unexpected token: 'FROM'"],
    ['SELECT Id FROM', "unexpected token: '<EOF>'"],
    ['SELECT Id FROM Contact WHERE', "unexpected token: '<EOF>'"],
    ["SELECT Id FROM Contact WHERE LastName = 'x' AND FirstName = 'y' OR Email = null", "ERROR at Row:1:Column:65\nunexpected token: 'OR'"],
    ["SELECT Id FROM Contact WHERE (a = 'x' OR (b = 1 AND c = 2 OR d = 3))", "ERROR at Row:1:Column:59\nunexpected token: 'OR'"],
    ["SELECT Id FROM Contact WHERE LastName = 'unterminated", "ERROR at Row:1:Column:41\nline 1:40 mismatched character '<EOF>' expecting '''"],
    ["SELECT Id FROM Contact WHERE LastName = 'a\\qb'", "Illegal character sequence '\\q' in string literal."],
    // What the library parses but the sandbox does not execute.
    ['SELECT Id, Name n FROM Contact', "ERROR at Row:1:Column:17\nunexpected token: 'n'"],
    ['SELECT Id, COUNT() FROM Contact', "unexpected token: 'COUNT'"],
    ['SELECT LastName, COUNT(Id) FROM Contact GROUP BY LastName', "unexpected token: 'COUNT'"],
    ['SELECT COUNT() FROM Contact GROUP BY LastName', "unexpected token: 'GROUP'"],
    ['SELECT Id, (SELECT Id FROM Cases) FROM Contact', "unexpected token: 'SELECT'"],
    ['SELECT Id FROM Contact WHERE Id IN (SELECT ContactId FROM Case)', "ERROR at Row:1:Column:37\nunexpected token: 'SELECT'"],
    ['SELECT toLabel(Status) FROM Lead', "unexpected token: 'toLabel'"],
    ['SELECT Id FROM Contact WHERE CALENDAR_YEAR(CreatedDate) = 2024', "unexpected token: 'CALENDAR_YEAR'"],
    ['SELECT Id FROM Contact WHERE Score__c = USD5000', "unexpected token: 'USD5000'"],
    ['SELECT Id FROM Contact WITH SECURITY_ENFORCED', "unexpected token: 'WITH'"],
    ['SELECT Id FROM Contact ORDER BY Id FOR VIEW', "unexpected token: 'FOR'"],
    ["SELECT Id FROM Contact WHERE (LastName = 'x'", "unexpected token: '<EOF>'"],
    ['SELECT Id FROM Contact LIMIT ten', "unexpected token: 'ten'"],
    ['SELECT Id FROM Contact LIMIT 1.5', "unexpected token: '1.5'"],
    ["SELECT Id FROM Contact WHERE LastName IN ()", "unexpected token: '('"],
    ['SELECT Id FROM Contact WHERE LastName = Smith', "unexpected token: 'Smith'"],
    ['SELECT Id FROM Contact ORDER BY', "unexpected token: '<EOF>'"],
    ['SELECT Id FROM Contact ORDER BY Id NULLS MIDDLE', "unexpected token: 'MIDDLE'"],
    ['SELECT Id FROM Contact WHERE Id = ?', 'no viable alternative'],
    ['SELECT Id FROM Contact extra', "unexpected token: 'extra'"],
    ['SELECT FIELDS(SOME) FROM Contact', "unexpected token: 'SOME'"],
  ];
  it.each(malformed)('%s', (soql, message) => {
    let caught: unknown;
    try {
      parseSoql(soql);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SalesforceError);
    expect(caught).toMatchObject({ status: 400, errorCode: 'MALFORMED_QUERY' });
    expect((caught as Error).message).toContain(message);
  });
});

describe('parseSoql: what the library composes', () => {
  // The product composes its SOQL with the same library (composeQuery): the text it writes must read back the same.
  const withoutPositions = (query: unknown) => JSON.stringify(query, (key, value: unknown) => (key === 'pos' ? undefined : value));
  it.each([
    'SELECT Id FROM Contact WHERE ((a = 1 OR b = 2) AND (NOT (c = 3 OR d = 4))) OR e = null',
    "SELECT Id FROM Contact WHERE (NOT a = 1) OR NOT (b = 'x') ORDER BY Id DESC NULLS LAST LIMIT 5",
    "SELECT Id FROM Contact WHERE Title LIKE '%50\\%%' AND Title LIKE '%\\\\%' AND LastName = 'O\\'Brien'",
    "SELECT Id FROM Contact WHERE CreatedDate = LAST_N_DAYS:30 AND Birthdate > 2020-01-01 AND X__c NOT IN (1, 2) AND Z__c INCLUDES ('a;b', 'c')",
  ])('%s', (soql) => {
    expect(withoutPositions(parseSoql(composeQuery(parseQuery(soql))))).toBe(withoutPositions(parseSoql(soql)));
  });
});

describe('parseSoql: length', () => {
  it('refuses a query over 100,000 characters, as Salesforce does', () => {
    const soql = (n: number) => `SELECT Id FROM Contact WHERE LastName IN ('${'x'.repeat(n - 45)}')`;
    expect(soql(100_000)).toHaveLength(100_000);
    expect(parseSoql(soql(100_000)).where).toMatchObject({ kind: 'in' });
    expect(() => parseSoql(soql(100_001))).toThrow(expect.objectContaining({ errorCode: 'MALFORMED_QUERY', message: 'SOQL statements can not be longer than 100000 characters' }));
  });
});

describe('compileQuery: binding to describe', () => {
  const compileError = (soql: string) => {
    try {
      compileQuery(parseSoql(soql), soql);
    } catch (error) {
      return error as SalesforceError;
    }
    throw new Error('compiled');
  };

  const invalid: [string, string, string][] = [
    ['SELECT Id, Foo FROM Contact', 'INVALID_FIELD', "\nSELECT Id, Foo FROM Contact\n           ^\nERROR at Row:1:Column:12\nNo such column 'Foo' on entity 'Contact'."],
    ['SELECT Id FROM Widget__c', 'INVALID_TYPE', "sObject type 'Widget__c' is not supported."],
    ['SELECT Id, Id FROM Contact', 'MALFORMED_QUERY', 'duplicate field selected: Id'],
    ["SELECT Id FROM Contact WHERE SystemModstamp > '2024-01-01T00:00:00Z'", 'INVALID_FIELD', 'must be of type dateTime and should not be enclosed in quotes'],
    ['SELECT Id FROM Contact WHERE Birthdate > 2024-01-01T00:00:00Z', 'INVALID_FIELD', 'must be of type date and should not be enclosed in quotes'],
    ['SELECT Id FROM Contact WHERE LastName = 5', 'INVALID_FIELD', 'must be of type string and should be enclosed in quotes'],
    ["SELECT Id FROM Contact WHERE Score__c = '5'", 'INVALID_FIELD', 'must be of type double'],
    ["SELECT Id FROM Contact WHERE Id = 'nope'", 'INVALID_QUERY_FILTER_OPERATOR', 'invalid ID field: nope'],
    ["SELECT Id FROM Contact WHERE Description = 'x'", 'INVALID_FIELD', "field 'Description' can not be filtered in a query call"],
    ['SELECT Id FROM Contact ORDER BY Description', 'INVALID_FIELD', "field 'Description' can not be sorted"],
    ['SELECT Id FROM Contact LIMIT 10 OFFSET 2001', 'NUMBER_OUTSIDE_VALID_RANGE', 'Maximum SOQL offset allowed is 2000'],
    ['SELECT Account.Name FROM Contact', 'INVALID_FIELD', "Didn't understand relationship 'Account'"],
    ['SELECT FIELDS(ALL) FROM Contact', 'MALFORMED_QUERY', 'The SOQL FIELDS function must have a LIMIT of at most 200'],
    ["SELECT Id FROM Contact WHERE LastName INCLUDES ('a')", 'INVALID_FIELD', 'INCLUDES/EXCLUDES operator only valid on multipicklist field'],
  ];
  it.each(invalid)('%s → %s', (soql, code, message) => {
    const error = compileError(soql);
    expect(error).toBeInstanceOf(SalesforceError);
    expect(error.errorCode).toBe(code);
    expect(error.status).toBe(400);
    expect(error.message).toContain(message);
  });

  it('derives the SystemModstamp lower bound from a watermark condition', () => {
    const soql =
      "SELECT Id FROM Contact WHERE SystemModstamp > 2024-01-01T00:00:00Z OR (SystemModstamp = 2024-01-01T00:00:00Z AND Id > '003000000000001AAA') ORDER BY SystemModstamp, Id LIMIT 5";
    const compiled = compileQuery(parseSoql(soql), soql);
    expect(compiled.modstampFrom).toBe(Date.UTC(2024, 0, 1));
    expect(compiled.compare).toBeUndefined();
    const unbounded = "SELECT Id FROM Contact WHERE SystemModstamp > 2024-01-01T00:00:00Z OR LastName = 'x'";
    expect(compileQuery(parseSoql(unbounded), unbounded).modstampFrom).toBeUndefined();
    const sorted = 'SELECT Id FROM Contact ORDER BY LastName';
    expect(compileQuery(parseSoql(sorted), sorted).compare).toBeDefined();
  });

  it('translates LIKE patterns', () => {
    expect(likeToRegExp('Sm%').test('smith')).toBe(true);
    expect(likeToRegExp('Sm_th').test('Smyth')).toBe(true);
    expect(likeToRegExp('Sm_th').test('Smth')).toBe(false);
    expect(likeToRegExp('100\\%').test('100%')).toBe(true);
    expect(likeToRegExp('100\\%').test('1000')).toBe(false);
    expect(likeToRegExp('a.b').test('axb')).toBe(false);
    // `\\` is a backslash (the parser keeps it escaped in LIKE patterns), so the `%` after it is a wildcard.
    expect(likeToRegExp('a\\\\%').test('a\\xyz')).toBe(true);
    expect(likeToRegExp('a\\\\%').test('a%')).toBe(false);
  });
});
