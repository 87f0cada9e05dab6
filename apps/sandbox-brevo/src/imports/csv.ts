/**
 * Parses an import file body. Brevo's format: first line holds attribute
 * names (EMAIL, SMS, EXT_ID, FIRSTNAME…), fields separated by semicolons
 * ("Use semicolon to separate multiple attributes"), RFC 4180 quoting.
 * A header without semicolons but with commas is read as comma-separated.
 */
export function parseCsv(text: string): Record<string, string>[] {
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  const delimiter = !firstLine.includes(';') && firstLine.includes(',') ? ',' : ';';
  const records = parseRecords(text, delimiter);
  const header = records.shift()?.map((name) => name.trim().toUpperCase()) ?? [];
  return records
    .filter((record) => record.some((field) => field.trim() !== ''))
    .map((record) => Object.fromEntries(header.map((name, i) => [name, (record[i] ?? '').trim()])));
}

function parseRecords(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === delimiter) {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** A rejected-rows report as Brevo links it from the process (one CSV per problem kind). */
export function toCsv(rows: { row: number; email?: string; value: string; reason: string }[]): string {
  const escape = (value: string) => (/[;"\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return ['ROW;EMAIL;VALUE;REASON', ...rows.map((r) => [String(r.row), r.email ?? '', r.value, r.reason].map(escape).join(';'))].join('\n') + '\n';
}
