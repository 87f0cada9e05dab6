/**
 * Salesforce record ids: 3-char key prefix, 2-char pod, a reserved `0`, 9
 * base-62 characters (15 chars, case-sensitive), plus a 3-char suffix that
 * encodes the case of the first 15 so the 18-char form is case-insensitive.
 *
 * The base-62 alphabet is in ASCII order, so ids minted later sort later as
 * plain strings — `ORDER BY Id` and `Id > 'x'` agree with creation order.
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const POD = '8d';

export const KEY_PREFIX = {
  Contact: '003',
  Lead: '00Q',
  Case: '500',
  User: '005',
  Organization: '00D',
  Account: '001',
} as const;

export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

export function toBase62(value: number, width: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < width; i += 1) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

/** 18-char id for the n-th record of a key prefix. */
export function makeId(prefix: string, sequence: number): string {
  const id15 = `${prefix}${POD}0${toBase62(sequence, 9)}`;
  return id15 + caseSafeSuffix(id15);
}

/** The 18-char form of a 15- or 18-char id, or undefined when it is not an id. */
export function normaliseId(value: string): string | undefined {
  if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(value)) return undefined;
  const id15 = value.slice(0, 15);
  const suffix = caseSafeSuffix(id15);
  if (value.length === 18 && value.slice(15).toUpperCase() !== suffix) return undefined;
  return id15 + suffix;
}

/**
 * How many records of each key prefix one org may mint: Salesforce record Ids are unique across
 * orgs, so each org of the sandbox mints from a range of its own. Two integrations of one Brevo
 * account link contacts by `ext_id` = the Salesforce Id: orgs sharing Ids would merge their contacts.
 */
const ORG_ID_SPAN = 1_000_000_000;

/** Where the record sequences of the sandbox's `index`-th org start (the demo org's: 1,000). */
export function orgSequenceStart(index: number): number {
  return 1_000 + index * ORG_ID_SPAN;
}

/** Mints sequential ids per key prefix; a fresh minter restarts the sequences (reset). */
export class IdMinter {
  private sequences = new Map<string, number>();

  constructor(private readonly start = 1_000) {}

  next(prefix: string): string {
    const n = this.sequences.get(prefix) ?? this.start;
    this.sequences.set(prefix, n + 1);
    return makeId(prefix, n);
  }

  /** Reserves `count` consecutive ids at once (the bulk generator). */
  reserve(prefix: string, count: number): number {
    const n = this.sequences.get(prefix) ?? this.start;
    this.sequences.set(prefix, n + count);
    return n;
  }
}
