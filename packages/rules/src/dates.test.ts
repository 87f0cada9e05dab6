import { describe, expect, it } from 'vitest';
import { parseBrevoDate, parseSalesforceDatetime, toBrevoDate, toSalesforceDatetime } from './dates.ts';

describe('parseBrevoDate (R7)', () => {
  it.each([
    ['1990-09-25', '1990-09-25'],
    ['2024-02-29', '2024-02-29'], // leap year
    ['2000-02-29', '2000-02-29'], // divisible by 400
    ['1700-01-01', '1700-01-01'],
    ['4000-12-31', '4000-12-31'],
    ['1990-02-30', null],
    ['2023-02-29', null],
    ['1900-02-29', null], // divisible by 100, not 400
    ['1990-04-31', null],
    ['1990-13-01', null],
    ['1990-00-10', null],
    ['25/09/1990', null],
    ['1990-9-25', null],
    ['1990-09-25T00:00:00Z', null],
    [' 1990-09-25', null],
    ['1699-12-31', null],
    ['4001-01-01', null],
    ['', null],
    [null, null],
    [undefined, null],
    [19900925, null],
  ])('%j → %j', (value, expected) => {
    expect(parseBrevoDate(value)).toBe(expected);
  });
});

describe('toBrevoDate (R5/R7)', () => {
  it.each([
    ['1990-09-25', '1990-09-25'],
    ['2024-03-10T12:00:00.000+0000', '2024-03-10'],
    // Late evening in São Paulo is already the next day in UTC.
    ['2024-03-10T23:30:00.000-0300', '2024-03-11'],
    // Just after midnight in Rome is still the previous day (and year) in UTC.
    ['2024-01-01T00:30:00+01:00', '2023-12-31'],
    ['2024-02-28T23:59:59.999-00:01', '2024-02-29'],
    ['2024-03-10T23:30:00Z', '2024-03-10'],
    ['2024-03-10T25:00:00Z', null],
    ['2024-02-30T10:00:00Z', null],
    ['2024-03-10 10:00:00', null],
    ['not a date', null],
    ['', null],
    [null, null],
  ])('%j → %j', (value, expected) => {
    expect(toBrevoDate(value)).toBe(expected);
  });

  it('takes the UTC date part of a Date', () => {
    expect(toBrevoDate(new Date('2024-06-30T22:15:00-05:00'))).toBe('2024-07-01');
    expect(toBrevoDate(new Date('invalid'))).toBeNull();
  });

  it('parses Salesforce datetimes as instants', () => {
    expect(parseSalesforceDatetime('2024-03-10T23:30:00.123-0300')?.toISOString()).toBe('2024-03-11T02:30:00.123Z');
  });

  it('writes a Brevo date to a datetime field as midnight UTC', () => {
    expect(toSalesforceDatetime('1990-09-25')).toBe('1990-09-25T00:00:00.000Z');
  });
});
