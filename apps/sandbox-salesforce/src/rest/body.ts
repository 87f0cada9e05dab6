import express, { type NextFunction, type Request, type Response } from 'express';
import { errors } from '../errors.ts';

/**
 * JSON bodies for write routes. Salesforce parses the body whatever the
 * content type says and reports bad JSON as 400 JSON_PARSER_ERROR in its
 * (Jackson) wording, pointing at the line and column.
 */
const parse = express.json({ type: () => true, limit: '10mb', strict: false });

/** Offset of the first syntax error in `raw` (V8's own messages do not always carry one). */
export function jsonErrorOffset(raw: string): number {
  let i = 0;
  const ws = () => {
    while (i < raw.length && ' \t\r\n'.includes(raw[i]!)) i += 1;
  };
  const fail = (): never => {
    throw i;
  };
  const value = (): void => {
    ws();
    const c = raw[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i += 1;
      ws();
      if (raw[i] === close) {
        i += 1;
        return;
      }
      for (;;) {
        if (close === '}') {
          ws();
          if (raw[i] !== '"') fail();
          string();
          ws();
          if (raw[i] !== ':') fail();
          i += 1;
        }
        value();
        ws();
        if (raw[i] === ',') {
          i += 1;
          continue;
        }
        if (raw[i] === close) {
          i += 1;
          return;
        }
        fail();
      }
    }
    if (c === '"') return string();
    const literal = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(raw.slice(i));
    if (!literal) fail();
    i += literal![0].length;
  };
  const string = () => {
    i += 1;
    while (i < raw.length && raw[i] !== '"') i += raw[i] === '\\' ? 2 : 1;
    if (i >= raw.length) fail();
    i += 1;
  };
  try {
    value();
    ws();
    if (i < raw.length) fail();
  } catch (offset) {
    return offset as number;
  }
  return raw.length;
}

export function jsonParserMessage(raw: string): string {
  const pos = jsonErrorOffset(raw);
  const before = raw.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - (before.lastIndexOf('\n') + 1) + 1;
  const where = `\n at [line:${line}, column:${column}]`;
  if (pos >= raw.length) return `Unexpected end-of-input: expected close marker for Object${where}`;
  const ch = raw[pos]!;
  return `Unexpected character ('${ch}' (code ${ch.charCodeAt(0)})): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')${where}`;
}

export function jsonBody(req: Request, res: Response, next: NextFunction): void {
  parse(req, res, (error?: unknown) => {
    if (error) {
      const { status, body } = error as { status?: number; body?: unknown };
      if (status === 413) return next(error);
      next(errors.jsonParser(jsonParserMessage(typeof body === 'string' ? body : '')));
      return;
    }
    next();
  });
}
