import type { Request } from 'express';
import { invalid, outOfRange } from './errors.ts';
import { isPlainObject } from './contacts/normalize.ts';

/** Reads `limit` / `offset` the way Brevo pages: defaults per endpoint, a hard maximum. */
export function paging(req: Request, defaults: { limit: number; max: number }): { limit: number; offset: number } {
  const limit = intParam(req.query.limit, 'limit') ?? defaults.limit;
  const offset = intParam(req.query.offset, 'offset') ?? 0;
  if (limit < 0 || offset < 0) throw invalid('limit and offset should be positive integers');
  if (limit > defaults.max) throw outOfRange(`Limit exceeds max value: ${defaults.max}`);
  return { limit, offset };
}

export function intParam(value: unknown, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) throw invalid(`${name} should be type integer`);
  return Number(value);
}

export function sortParam(value: unknown): 'asc' | 'desc' {
  if (value === undefined || value === '') return 'desc';
  if (value === 'asc' || value === 'desc') return value;
  throw invalid('sort should be one of asc, desc');
}

/** Query arrays arrive as `a=1&a=2` (the SDK's "repeat" style) or `a=1,2`. */
export function intListParam(value: unknown, name: string): number[] | undefined {
  if (value === undefined || value === '') return undefined;
  const raw = (Array.isArray(value) ? value : [value]).flatMap((item) => String(item).split(','));
  if (!raw.every((item) => /^\d+$/.test(item.trim()))) throw invalid(`${name} should be an array of integers`);
  return raw.map((item) => Number(item.trim()));
}

/** A path id that must be a positive integer. */
export function pathId(value: unknown, what: string): number {
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw invalid(`${what} should be type integer`);
  return Number(value);
}

/** The JSON body as an object; Brevo refuses anything else. */
export function bodyObject(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (body === undefined) return {};
  if (!isPlainObject(body)) throw invalid('Request body should be a JSON object');
  return body;
}
