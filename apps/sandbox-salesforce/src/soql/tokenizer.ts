/**
 * SOQL lexer. Keywords and identifiers are case-insensitive; string literals
 * use single quotes with backslash escapes; date and date-time literals are
 * unquoted (`2024-01-01`, `2024-01-01T00:00:00Z`, `...T00:00:00.000+0000`).
 */
export type TokenKind = 'ident' | 'string' | 'number' | 'date' | 'datetime' | 'op' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Decoded value for strings; the literal text otherwise. */
  value: string;
  /** 0-based offset in the query, for Salesforce's `Row:Column` messages. */
  pos: number;
}

export class SoqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
    this.name = 'SoqlSyntaxError';
  }
}

const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2})/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const NUMBER_RE = /^-?\d+(?:\.\d+)?/;
const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*(?::\d+)?/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\', _: '\\_', '%': '\\%' };

export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const c = soql[i]!;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const rest = soql.slice(i);
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= soql.length) throw new SoqlSyntaxError('line 1:' + i + " mismatched character '<EOF>' expecting '''", i);
        const ch = soql[j]!;
        if (ch === '\\') {
          const next = soql[j + 1];
          const decoded = next === undefined ? undefined : ESCAPES[next];
          if (decoded === undefined) throw new SoqlSyntaxError(`Invalid string literal '${soql.slice(i, j + 2)}'. Illegal character sequence '\\${next ?? ''}' in string literal.`, i);
          value += decoded;
          j += 2;
          continue;
        }
        if (ch === "'") break;
        value += ch;
        j += 1;
      }
      tokens.push({ kind: 'string', text: soql.slice(i, j + 1), value, pos: i });
      i = j + 1;
      continue;
    }
    const dt = DATETIME_RE.exec(rest);
    if (dt) {
      tokens.push({ kind: 'datetime', text: dt[0], value: dt[0], pos: i });
      i += dt[0].length;
      continue;
    }
    const d = DATE_RE.exec(rest);
    if (d) {
      tokens.push({ kind: 'date', text: d[0], value: d[0], pos: i });
      i += d[0].length;
      continue;
    }
    const n = NUMBER_RE.exec(rest);
    if (n && (c !== '-' || /^-\d/.test(rest))) {
      tokens.push({ kind: 'number', text: n[0], value: n[0], pos: i });
      i += n[0].length;
      continue;
    }
    const id = IDENT_RE.exec(rest);
    if (id) {
      tokens.push({ kind: 'ident', text: id[0], value: id[0], pos: i });
      i += id[0].length;
      continue;
    }
    const op = /^(?:<=|>=|!=|<>|=|<|>)/.exec(rest);
    if (op) {
      tokens.push({ kind: 'op', text: op[0], value: op[0] === '<>' ? '!=' : op[0], pos: i });
      i += op[0].length;
      continue;
    }
    if (c === ',' || c === '(' || c === ')') {
      tokens.push({ kind: 'punct', text: c, value: c, pos: i });
      i += 1;
      continue;
    }
    throw new SoqlSyntaxError(`line 1:${i} no viable alternative at character '${c}'`, i);
  }
  tokens.push({ kind: 'eof', text: '<EOF>', value: '', pos: soql.length });
  return tokens;
}
