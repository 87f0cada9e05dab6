import type { RequestHandler } from 'express';

/**
 * Counts API calls per "METHOD /route" so tests and benchmarks can assert how
 * many calls the product made (a figure the real APIs bill or rate-limit).
 */
export class CallCounter {
  private counts = new Map<string, number>();
  total = 0;

  middleware(normalise: (path: string) => string = defaultNormalise): RequestHandler {
    return (req, _res, next) => {
      const key = `${req.method} ${normalise(req.path)}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      this.total += 1;
      next();
    };
  }

  snapshot(): { total: number; byRoute: Record<string, number> } {
    return { total: this.total, byRoute: Object.fromEntries([...this.counts].sort()) };
  }

  reset(): void {
    this.counts.clear();
    this.total = 0;
  }
}

/** Collapses ids in paths so `/contacts/12` and `/contacts/13` count together. */
function defaultNormalise(path: string): string {
  return path
    .split('/')
    .map((segment) => (/^[0-9]+$|^[a-zA-Z0-9]{15,18}$|@/.test(segment) ? ':id' : segment))
    .join('/');
}
