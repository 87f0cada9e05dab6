/**
 * A write refused by a unique index (MongoDB's and devdb's duplicate key error: 11000, or 11001 from old servers), or a
 * bulk write whose every refusal is one. A bulk write's error carries its first refusal's code: one refused for another
 * reason as well is not a duplicate, and is not passed off as one.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  const writeErrors = writeErrorsOf(error);
  if (writeErrors.length > 0) return writeErrors.every((writeError) => isDuplicateKeyCode(writeError.code));
  return isDuplicateKeyCode((error as { code?: unknown } | null)?.code);
}

/** The positions of the documents an unordered bulk write refused (for an `isDuplicateKeyError`: the duplicates). */
export function refusedPositions(error: unknown): Set<number> {
  return new Set(writeErrorsOf(error).flatMap((writeError) => (typeof writeError.index === 'number' ? [writeError.index] : [])));
}

function writeErrorsOf(error: unknown): { code?: unknown; index?: unknown }[] {
  const writeErrors = (error as { writeErrors?: unknown } | null)?.writeErrors;
  return Array.isArray(writeErrors) ? (writeErrors as { code?: unknown; index?: unknown }[]) : [];
}

function isDuplicateKeyCode(code: unknown): boolean {
  return code === 11000 || code === 11001;
}
