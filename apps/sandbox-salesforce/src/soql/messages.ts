import { SalesforceError } from '../errors.ts';

/**
 * Salesforce quotes the query and points at the offending column:
 * "\nSELECT Id FORM Contact\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FORM'"
 */
export function queryError(errorCode: string, soql: string, pos: number, detail: string): SalesforceError {
  const before = soql.slice(0, pos);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const column = pos - lineStart + 1;
  const line = soql.split('\n')[row - 1] ?? '';
  const caret = ' '.repeat(Math.max(0, column - 1)) + '^';
  return new SalesforceError(400, errorCode, `\n${line}\n${caret}\nERROR at Row:${row}:Column:${column}\n${detail}`);
}
