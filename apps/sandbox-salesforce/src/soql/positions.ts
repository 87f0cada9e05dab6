/**
 * Where things are in the query text, for Salesforce's `Row:Column` carets.
 * The SOQL library's syntax tree has no positions, so the parser finds each
 * field, value and operator it maps in the text, in the order they are
 * written; words inside string literals never match.
 */
const STRING_LITERAL = /'(?:[^'\\]|\\[\s\S])*'/g;
const NAME_CHAR = /[\w.]/;

export class TextPositions {
  private cursor = 0;
  private readonly strings: { start: number; end: number }[] = [];
  private readonly lower: string;

  constructor(private readonly soql: string) {
    // Case-insensitive search, unless lower-casing moves offsets (a few Unicode letters grow).
    const lower = soql.toLowerCase();
    this.lower = lower.length === soql.length ? lower : soql;
    for (const m of soql.matchAll(STRING_LITERAL)) this.strings.push({ start: m.index, end: m.index + m[0].length });
  }

  /** Offset of the next `text` (a word, a literal's source) after the previous one found; the query's end when it is not there. */
  next(text: string): number {
    const at = this.find(text, this.cursor, true)[0];
    if (at === undefined) return this.soql.length;
    this.cursor = at + text.length;
    return at;
  }

  /** Offset of `text` when it occurs once in the whole query, else undefined (a caret must never point at the wrong place). */
  only(text: string): number | undefined {
    const found = this.find(text, 0, false);
    return found.length === 1 ? found[0] : undefined;
  }

  private find(text: string, from: number, first: boolean): number[] {
    const found: number[] = [];
    if (text.startsWith("'")) {
      for (let i = this.firstStringFrom(from); i < this.strings.length; i += 1) {
        const s = this.strings[i]!;
        if (s.end - s.start !== text.length || !this.soql.startsWith(text, s.start)) continue;
        found.push(s.start);
        if (first) break;
      }
      return found;
    }
    const needle = text.toLowerCase();
    for (let at = this.lower.indexOf(needle, from); at !== -1; at = this.lower.indexOf(needle, at + 1)) {
      if (!this.isWordAt(at, needle.length) || this.inString(at)) continue;
      found.push(at);
      if (first) break;
    }
    return found;
  }

  /** Index of the first string literal starting at or after `from` (binary search: an `IN` list may hold thousands). */
  private firstStringFrom(from: number): number {
    let lo = 0;
    let hi = this.strings.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.strings[mid]!.start < from) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private inString(at: number): boolean {
    const before = this.strings[this.firstStringFrom(at + 1) - 1];
    return before !== undefined && at < before.end;
  }

  /** Not part of a longer name: `Id` is not found in `AccountId` nor in `Account.Id`. */
  private isWordAt(at: number, length: number): boolean {
    return !NAME_CHAR.test(this.soql[at - 1] ?? ' ') && !NAME_CHAR.test(this.soql[at + length] ?? ' ');
  }
}
