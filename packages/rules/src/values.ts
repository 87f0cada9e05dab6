/**
 * How the rules read a value coming from either side:
 * - `undefined`: the value is absent (not queried, not in the webhook): nothing changes;
 * - `null`, `''` or whitespace only: the value was emptied;
 * - anything else: a value.
 */
export function isAbsent(value: unknown): value is undefined {
  return value === undefined;
}

export function isEmptied(value: unknown): boolean {
  return value === null || (typeof value === 'string' && value.trim() === '');
}
