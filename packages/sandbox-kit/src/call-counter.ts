import type { RequestHandler } from 'express';

/**
 * Counts API calls per "METHOD /route" so tests and benchmarks can assert how
 * many calls the product made (a figure the real APIs bill or rate-limit),
 * and the answers per HTTP status (the 429s a client earned).
 */
export class CallCounter {
  private counts = new Map<string, number>();
  private statuses = new Map<string, number>();
  total = 0;

  middleware(normalise: (path: string) => string = defaultNormalise): RequestHandler {
    return (req, res, next) => {
      const key = `${req.method} ${normalise(req.path)}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      this.total += 1;
      res.on('finish', () => {
        const status = String(res.statusCode);
        this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
      });
      next();
    };
  }

  snapshot(): { total: number; byRoute: Record<string, number>; byStatus: Record<string, number> } {
    return { total: this.total, byRoute: Object.fromEntries([...this.counts].sort()), byStatus: Object.fromEntries([...this.statuses].sort()) };
  }

  reset(): void {
    this.counts.clear();
    this.statuses.clear();
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
