/** Small helpers to build the SOQL the sync sends (values quoted, field names checked). */

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*(?:__c)?$/;
const SALESFORCE_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

export function assertFieldName(name: string): string {
  if (!FIELD_NAME.test(name)) throw new Error(`not a Salesforce field name: ${JSON.stringify(name)}`);
  return name;
}

export function quoteSoql(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function assertSalesforceId(id: string): string {
  if (!SALESFORCE_ID.test(id)) throw new Error(`not a Salesforce Id: ${JSON.stringify(id)}`);
  return id;
}

/**
 * Salesforce answers `2024-05-01T10:00:00.000+0000`; SOQL wants an unquoted
 * dateTime literal. Normalised to UTC with milliseconds so the watermark
 * compares exactly.
 */
export function toSoqlDateTime(value: string): string {
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(ms)) throw new Error(`not a dateTime: ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}

/** Unique field list with `Id`, `SystemModstamp` and `IsDeleted` first. */
export function selectFields(fields: readonly string[]): string[] {
  return [...new Set(['Id', 'SystemModstamp', 'IsDeleted', ...fields.map(assertFieldName)])];
}

/**
 * The incremental query: every record after the `(SystemModstamp, Id)`
 * watermark, in watermark order, so a page boundary is always a valid resume point.
 * `matching`: only the records that also meet this condition (a record filter, composed by the
 * rules package's `compileRecordFilter`: never text from a request).
 */
export function watermarkQuery(object: string, fields: readonly string[], after: { ts: string; id: string } | null, matching?: string): string {
  const select = `SELECT ${selectFields(fields).join(', ')} FROM ${assertFieldName(object)}`;
  const order = ' ORDER BY SystemModstamp ASC, Id ASC';
  let range: string | null = null;
  if (after) {
    const ts = toSoqlDateTime(after.ts);
    range = `SystemModstamp > ${ts} OR (SystemModstamp = ${ts} AND Id > ${quoteSoql(assertSalesforceId(after.id))})`;
  }
  if (!matching) return range ? `${select} WHERE ${range}${order}` : select + order;
  return `${select} WHERE (${matching})${range ? ` AND (${range})` : ''}${order}`;
}
