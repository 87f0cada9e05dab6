import {
  isNegationCondition,
  isValueFunctionCondition,
  isValueQueryCondition,
  isWhereClauseWithRightCondition,
  parseQuery,
  type FieldType,
  type LiteralType,
  type OrderByClause,
  type Query,
  type WhereClause,
} from '@jetstreamapp/soql-parser-js';
import { SalesforceError } from '../errors.ts';
import type { ComparisonOp, Condition, FieldRef, Literal, OrderItem, SelectQuery } from './ast.ts';
import { queryError } from './messages.ts';
import { TextPositions } from './positions.ts';

/**
 * SOQL text → the sandbox's query. `@jetstreamapp/soql-parser-js` parses (the
 * library the product composes its SOQL with); this maps its tree onto
 * `ast.ts` and refuses, with Salesforce's MALFORMED_QUERY, what the library
 * accepts but the sandbox does not execute (aggregates, aliases, semi-joins,
 * GROUP BY...) or Salesforce itself refuses (AND and OR mixed at one level
 * without parentheses). Every error is a `SalesforceError`.
 */
export function parseSoql(soql: string): SelectQuery {
  // Salesforce's hard limit, which also bounds what a query costs the library to parse.
  if (soql.length > MAX_SOQL_LENGTH) throw new SalesforceError(400, 'MALFORMED_QUERY', `SOQL statements can not be longer than ${MAX_SOQL_LENGTH} characters`);
  let parsed: Query;
  try {
    parsed = parseQuery(soql);
  } catch (error) {
    throw syntaxError(soql, error);
  }
  return new QueryMapper(soql, parsed).map();
}

const MAX_SOQL_LENGTH = 100_000;
const COMPARISONS: Record<string, ComparisonOp> = { '=': '=', '!=': '!=', '<>': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
/** Backslash escapes of SOQL string literals; `\%` and `\_` stay escaped (they only mean something to LIKE). */
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\', _: '\\_', '%': '\\%' };

/** The library's lexing and parsing errors, in Salesforce's words. */
function syntaxError(soql: string, error: unknown): SalesforceError {
  const message = error instanceof Error ? error.message : String(error);
  // Lexing: "unexpected character: ->'<- at offset: 40, skipped 1 characters. (1:41)"
  const lexed = /unexpected character: ->([\s\S])<- at offset: (\d+)/.exec(message);
  if (lexed) {
    const [, char, offset] = lexed;
    const pos = Number(offset);
    if (char === "'") return queryError('MALFORMED_QUERY', soql, pos, `line 1:${pos} mismatched character '<EOF>' expecting '''`);
    return queryError('MALFORMED_QUERY', soql, pos, `line 1:${pos} no viable alternative at character '${char}'`);
  }
  // Parsing: "... but found --> 'Contact' <--" or "... but found: 'FROM'"; '' is the end of the query.
  const found = /but found(?: -->|:) '([\s\S]*?)'(?: <--)?$/.exec(message)?.[1];
  if (found === undefined) return new SalesforceError(400, 'MALFORMED_QUERY', message);
  if (found === '') return queryError('MALFORMED_QUERY', soql, soql.length, "unexpected token: '<EOF>'");
  const pos = new TextPositions(soql).only(found);
  const detail = `unexpected token: '${found}'`;
  return pos === undefined ? new SalesforceError(400, 'MALFORMED_QUERY', detail) : queryError('MALFORMED_QUERY', soql, pos, detail);
}

/** A WHERE clause as written: the library keeps it as a flat chain with parenthesis counts. */
type Piece =
  | { kind: 'open' }
  | { kind: 'close' }
  | { kind: 'not' }
  | { kind: 'logic'; op: 'AND' | 'OR'; pos: number }
  | { kind: 'condition'; condition: Condition };

class QueryMapper {
  private readonly positions: TextPositions;

  constructor(
    private readonly soql: string,
    private readonly parsed: Query,
  ) {
    this.positions = new TextPositions(soql);
  }

  map(): SelectQuery {
    const { parsed } = this;
    this.positions.next('SELECT');
    const items = parsed.fields ?? [];
    const selected = items.map((field) => this.selectItem(field, items.length === 1));
    const count = selected[0] === 'count';
    const object = this.fieldRef(parsed.sObject ?? '');
    if (parsed.sObjectAlias) throw this.unexpected(parsed.sObjectAlias);
    this.refuseUnsupportedClauses();
    const query: SelectQuery = { fields: selected.filter((f) => f !== 'count'), count, object, orderBy: [] };
    if (parsed.where) query.where = new ConditionReader(this.pieces(parsed.where), this.soql).read();
    const orderBy = parsed.orderBy === undefined ? [] : Array.isArray(parsed.orderBy) ? parsed.orderBy : [parsed.orderBy];
    query.orderBy = orderBy.map((item) => this.orderItem(item));
    if (parsed.limit !== undefined) query.limit = parsed.limit;
    if (parsed.offset !== undefined) query.offset = parsed.offset;
    return query;
  }

  private selectItem(field: FieldType, alone: boolean): FieldRef | 'count' {
    switch (field.type) {
      case 'Field':
        if (field.alias) throw this.unexpected(field.alias);
        return this.fieldRef(field.field);
      case 'FieldRelationship':
        return this.fieldRef(field.rawValue ?? [...field.relationships, field.field].join('.'));
      case 'FieldFunctionExpression': {
        const name = field.functionName.toUpperCase();
        const [param, ...rest] = field.parameters;
        if (name === 'COUNT' && param === undefined && !field.alias && alone) return 'count';
        const which = typeof param === 'string' ? param.toUpperCase() : undefined;
        if (name === 'FIELDS' && rest.length === 0 && (which === 'ALL' || which === 'STANDARD' || which === 'CUSTOM')) {
          return { name: `FIELDS(${which})`, pos: this.positions.next('FIELDS'), fieldsFunction: which };
        }
        throw this.unexpected(field.functionName);
      }
      default:
        // Sub-queries and TYPEOF: the sandbox has no relationships to follow.
        throw this.unexpected(field.type === 'FieldTypeof' ? 'TYPEOF' : 'SELECT');
    }
  }

  /** Clauses the library parses that the sandbox does not execute, refused at their keyword. */
  private refuseUnsupportedClauses(): void {
    const p = this.parsed;
    if (p.usingScope) throw this.unexpected('USING');
    if (p.withDataCategory || p.withSecurityEnforced || p.withAccessLevel) throw this.unexpected('WITH');
    if (p.groupBy) throw this.unexpected('GROUP');
    if (p.having) throw this.unexpected('HAVING');
    if (p.for) throw this.unexpected('FOR');
    if (p.update) throw this.unexpected('UPDATE');
  }

  private orderItem(item: OrderByClause): OrderItem {
    if (!('field' in item)) throw this.unexpected(item.fn.functionName ?? 'ORDER');
    const field = this.fieldRef(item.field);
    const descending = item.order?.toUpperCase() === 'DESC';
    // Salesforce's defaults: ascending puts nulls first, descending puts them last.
    const nullsLast = item.nulls === undefined ? descending : item.nulls.toUpperCase() === 'LAST';
    return { field, descending, nullsLast };
  }

  /** The WHERE chain flattened back into what was written, each condition mapped. */
  private pieces(clause: WhereClause): Piece[] {
    const pieces: Piece[] = [];
    for (let current: WhereClause | undefined = clause; current; ) {
      const opens = (n = 0) => pieces.push(...Array.from({ length: n }, () => ({ kind: 'open' as const })));
      if ('operator' in current && current.operator === 'NOT') {
        // `NOT x` (left null) or `(NOT x` (left counts the parentheses before NOT).
        if (current.left && isNegationCondition(current.left)) opens(current.left.openParen);
        this.positions.next('NOT');
        pieces.push({ kind: 'not' });
        current = current.right;
        continue;
      }
      const left = current.left!;
      opens('openParen' in left ? left.openParen : 0);
      pieces.push({ kind: 'condition', condition: this.condition(left) });
      const closes = 'closeParen' in left ? (left.closeParen ?? 0) : 0;
      pieces.push(...Array.from({ length: closes }, () => ({ kind: 'close' as const })));
      if (!isWhereClauseWithRightCondition(current)) break;
      const op = current.operator.toUpperCase() as 'AND' | 'OR';
      pieces.push({ kind: 'logic', op, pos: this.positions.next(op) });
      current = current.right;
    }
    return pieces;
  }

  private condition(source: NonNullable<WhereClause['left']>): Condition {
    if (isValueQueryCondition(source)) throw this.unexpected('SELECT');
    if (isValueFunctionCondition(source)) throw this.unexpected(source.fn.functionName ?? '(');
    if (isNegationCondition(source) || !('field' in source)) throw this.unexpected('(');
    const field = this.fieldRef(source.field);
    const raw = Array.isArray(source.value) ? source.value : [source.value];
    const types: (LiteralType | undefined)[] = Array.isArray(source.literalType) ? source.literalType : raw.map(() => source.literalType as LiteralType | undefined);
    const ns = 'dateLiteralVariable' in source ? [source.dateLiteralVariable].flat() : [];
    const operator = source.operator.toUpperCase();
    const isLike = operator === 'LIKE';
    const values = raw.map((text, i) => this.literal(text, types[i], ns[i], isLike));
    const comparison = COMPARISONS[operator];
    if (comparison) return { kind: 'compare', field, op: comparison, value: values[0]! };
    switch (operator) {
      case 'LIKE':
        return { kind: 'like', field, pattern: values[0]! };
      case 'IN':
      case 'NOT IN':
        return { kind: 'in', field, negated: operator === 'NOT IN', values };
      case 'INCLUDES':
      case 'EXCLUDES':
        return { kind: 'includes', field, excludes: operator === 'EXCLUDES', values };
      default:
        throw this.unexpected(source.operator);
    }
  }

  private literal(text: string, type: LiteralType | undefined, n: number | undefined, like: boolean): Literal {
    const pos = this.positions.next(text);
    switch (type) {
      case 'STRING':
        return { kind: 'string', value: this.decodeString(text, pos, like), pos };
      case 'INTEGER':
      case 'DECIMAL':
        return { kind: 'number', value: Number(text), pos };
      case 'BOOLEAN':
        return { kind: 'boolean', value: text.toUpperCase() === 'TRUE', pos };
      case 'NULL':
        return { kind: 'null', pos };
      case 'DATE':
        return { kind: 'date', value: text, pos };
      case 'DATETIME':
        return { kind: 'datetime', value: text, pos };
      case 'DATE_LITERAL':
        return { kind: 'dateLiteral', name: text.toUpperCase(), pos };
      case 'DATE_N_LITERAL':
        return { kind: 'dateLiteral', name: text.split(':')[0]!.toUpperCase(), n: n ?? Number(text.split(':')[1]), pos };
      default:
        // Currency-prefixed numbers (USD5000) and the rest: the sandbox's org has one currency.
        throw this.unexpectedAt(text, pos);
    }
  }

  /**
   * `'O\'Brien'` → `O'Brien`. In a LIKE pattern `\\` stays escaped too, so that
   * `'%\\%'` (a backslash, then any run) stays apart from `'%\%'` (a percent sign).
   */
  private decodeString(text: string, pos: number, like: boolean): string {
    let value = '';
    for (let i = 1; i < text.length - 1; i += 1) {
      const c = text[i]!;
      if (c !== '\\') {
        value += c;
        continue;
      }
      const next = text[i + 1]!;
      const decoded = like && next === '\\' ? '\\\\' : ESCAPES[next];
      if (decoded === undefined) {
        throw queryError('MALFORMED_QUERY', this.soql, pos, `Invalid string literal '${text.slice(0, i + 2)}'. Illegal character sequence '\\${next}' in string literal.`);
      }
      value += decoded;
      i += 1;
    }
    return value;
  }

  private fieldRef(name: string): FieldRef {
    return { name, pos: this.positions.next(name) };
  }

  private unexpected(token: string): SalesforceError {
    return this.unexpectedAt(token, this.positions.next(token));
  }

  private unexpectedAt(token: string, pos: number): SalesforceError {
    return queryError('MALFORMED_QUERY', this.soql, pos, `unexpected token: '${token}'`);
  }
}

/**
 * Builds the condition tree from the pieces: NOT binds to what follows it, and
 * like Salesforce it refuses AND and OR mixed at one level without parentheses.
 * The library has already checked the parentheses balance.
 */
class ConditionReader {
  private i = 0;

  constructor(
    private readonly pieces: Piece[],
    private readonly soql: string,
  ) {}

  read(): Condition {
    const first = this.unary();
    const logic = this.peek();
    if (logic?.kind !== 'logic') return first;
    const items = [first];
    while (this.peek()?.kind === 'logic') {
      const next = this.pieces[this.i++] as Extract<Piece, { kind: 'logic' }>;
      if (next.op !== logic.op) throw queryError('MALFORMED_QUERY', this.soql, next.pos, `unexpected token: '${next.op}'`);
      items.push(this.unary());
    }
    return logic.op === 'AND' ? { kind: 'and', items } : { kind: 'or', items };
  }

  private unary(): Condition {
    const piece = this.pieces[this.i++]!;
    if (piece.kind === 'not') return { kind: 'not', item: this.unary() };
    if (piece.kind === 'open') {
      const inner = this.read();
      this.i += 1; // its ')'
      return inner;
    }
    return (piece as Extract<Piece, { kind: 'condition' }>).condition;
  }

  private peek(): Piece | undefined {
    const piece = this.pieces[this.i];
    return piece?.kind === 'close' ? undefined : piece;
  }
}
