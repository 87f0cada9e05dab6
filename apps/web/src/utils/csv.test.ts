import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.ts';

const cellsOf = (csv: string) => Papa.parse<string[]>(csv.trimEnd(), { newline: '\r\n' }).data;

describe('toCsv', () => {
  it('quotes separators, quotes and newlines', () => {
    expect(toCsv([['a', 'b,c', 'say "hi"', 'x\ny', null, 3]])).toBe('a,"b,c","say ""hi""","x\ny",,3\r\n');
  });

  it('neutralises spreadsheet formulas', () => {
    expect(cellsOf(toCsv([['=HYPERLINK("x")', '+1', '-2', '@a', 'plain']]))).toEqual([[`'=HYPERLINK("x")`, "'+1", "'-2", "'@a", 'plain']]);
  });
});
