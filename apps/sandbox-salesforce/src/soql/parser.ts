import type { ComparisonOp, Condition, FieldRef, Literal, OrderItem, SelectQuery } from './ast.ts';
import { SoqlSyntaxError, tokenize, type Token } from './tokenizer.ts';

/**
 * Recursive-descent parser for the SOQL subset the sync uses. Like Salesforce,
 * it refuses AND and OR mixed at one level without parentheses.
 */
const RESERVED = new Set(['SELECT', 'FROM', 'WHERE', 'ORDER', 'BY', 'LIMIT', 'OFFSET', 'AND', 'OR', 'NOT', 'IN', 'LIKE', 'ASC', 'DESC', 'NULLS', 'FIRST', 'LAST', 'NULL', 'TRUE', 'FALSE', 'GROUP', 'HAVING']);
const DATE_LITERALS = new Set(['TODAY', 'YESTERDAY', 'TOMORROW', 'LAST_N_DAYS', 'NEXT_N_DAYS']);

export function parseSoql(soql: string): SelectQuery {
  return new Parser(tokenize(soql)).parseQuery();
}

class Parser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  parseQuery(): SelectQuery {
    this.expectKeyword('SELECT');
    let count = false;
    const fields: FieldRef[] = [];
    if (this.isKeyword('COUNT') && this.peek(1).text === '(') {
      this.next();
      this.expectPunct('(');
      this.expectPunct(')');
      count = true;
    } else {
      do fields.push(this.selectItem());
      while (this.acceptPunct(','));
    }
    this.expectKeyword('FROM');
    const object = this.fieldRef();
    const query: SelectQuery = { fields, count, object, orderBy: [] };
    if (this.acceptKeyword('WHERE')) query.where = this.condition();
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      do query.orderBy.push(this.orderItem());
      while (this.acceptPunct(','));
    }
    if (this.acceptKeyword('LIMIT')) query.limit = this.integer();
    if (this.acceptKeyword('OFFSET')) query.offset = this.integer();
    const last = this.peek();
    if (last.kind !== 'eof') throw this.unexpected(last);
    return query;
  }

  private selectItem(): FieldRef {
    if (this.isKeyword('FIELDS') && this.peek(1).text === '(') {
      const start = this.next();
      this.expectPunct('(');
      const which = this.next();
      const upper = which.text.toUpperCase();
      if (upper !== 'ALL' && upper !== 'STANDARD' && upper !== 'CUSTOM') throw this.unexpected(which);
      this.expectPunct(')');
      return { name: `FIELDS(${upper})`, pos: start.pos, fieldsFunction: upper };
    }
    return this.fieldRef();
  }

  private orderItem(): OrderItem {
    const field = this.fieldRef();
    let descending = false;
    if (this.acceptKeyword('DESC')) descending = true;
    else this.acceptKeyword('ASC');
    // Salesforce's defaults: ascending puts nulls first, descending puts them last.
    let nullsLast = descending;
    if (this.acceptKeyword('NULLS')) {
      if (this.acceptKeyword('LAST')) nullsLast = true;
      else {
        this.expectKeyword('FIRST');
        nullsLast = false;
      }
    }
    return { field, descending, nullsLast };
  }

  private condition(): Condition {
    const first = this.unary();
    const op = this.isKeyword('AND') ? 'AND' : this.isKeyword('OR') ? 'OR' : undefined;
    if (!op) return first;
    const items = [first];
    while (this.acceptKeyword(op)) {
      items.push(this.unary());
      const other = op === 'AND' ? 'OR' : 'AND';
      if (this.isKeyword(other)) throw this.unexpected(this.peek());
    }
    return op === 'AND' ? { kind: 'and', items } : { kind: 'or', items };
  }

  private unary(): Condition {
    if (this.acceptKeyword('NOT')) return { kind: 'not', item: this.unary() };
    if (this.acceptPunct('(')) {
      const inner = this.condition();
      this.expectPunct(')');
      return inner;
    }
    return this.simple();
  }

  private simple(): Condition {
    const field = this.fieldRef();
    const token = this.peek();
    if (token.kind === 'op') {
      this.next();
      return { kind: 'compare', field, op: token.value as ComparisonOp, value: this.literal() };
    }
    if (this.acceptKeyword('LIKE')) return { kind: 'like', field, pattern: this.literal() };
    if (this.isKeyword('INCLUDES') || this.isKeyword('EXCLUDES')) {
      const excludes = this.next().text.toUpperCase() === 'EXCLUDES';
      this.expectPunct('(');
      const values: Literal[] = [];
      do values.push(this.literal());
      while (this.acceptPunct(','));
      this.expectPunct(')');
      return { kind: 'includes', field, excludes, values };
    }
    const negated = this.acceptKeyword('NOT');
    if (this.acceptKeyword('IN')) {
      this.expectPunct('(');
      const values: Literal[] = [];
      do values.push(this.literal());
      while (this.acceptPunct(','));
      this.expectPunct(')');
      return { kind: 'in', field, negated, values };
    }
    throw this.unexpected(this.peek());
  }

  private literal(): Literal {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.value, pos: token.pos };
      case 'number':
        return { kind: 'number', value: Number(token.value), pos: token.pos };
      case 'date':
        return { kind: 'date', value: token.value, pos: token.pos };
      case 'datetime':
        return { kind: 'datetime', value: token.value, pos: token.pos };
      case 'ident': {
        const upper = token.text.toUpperCase();
        if (upper === 'NULL') return { kind: 'null', pos: token.pos };
        if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE', pos: token.pos };
        const [name, n] = upper.split(':');
        if (name && DATE_LITERALS.has(name) && (n === undefined) === !name.includes('_N_')) {
          return { kind: 'dateLiteral', name, ...(n !== undefined ? { n: Number(n) } : {}), pos: token.pos };
        }
        throw this.unexpected(token);
      }
      default:
        throw this.unexpected(token);
    }
  }

  private fieldRef(): FieldRef {
    const token = this.next();
    if (token.kind !== 'ident' || RESERVED.has(token.text.toUpperCase()) || token.text.includes(':')) throw this.unexpected(token);
    return { name: token.text, pos: token.pos };
  }

  private integer(): number {
    const token = this.next();
    if (token.kind !== 'number' || !/^\d+$/.test(token.text)) throw this.unexpected(token);
    return Number(token.text);
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (this.i < this.tokens.length - 1) this.i += 1;
    return token;
  }

  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === 'ident' && token.text.toUpperCase() === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.next();
    return true;
  }

  private expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) throw this.unexpected(this.peek());
  }

  private acceptPunct(p: string): boolean {
    const token = this.peek();
    if (token.kind !== 'punct' || token.text !== p) return false;
    this.next();
    return true;
  }

  private expectPunct(p: string): void {
    if (!this.acceptPunct(p)) throw this.unexpected(this.peek());
  }

  private unexpected(token: Token): SoqlSyntaxError {
    return new SoqlSyntaxError(`unexpected token: '${token.text}'`, token.pos);
  }
}
