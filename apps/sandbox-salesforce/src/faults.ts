import type { Response } from 'express';
import type { Fault } from '@contact-sync/sandbox-kit';
import { unknownException } from './rest/router.ts';

/**
 * How injected faults look on the wire, in Salesforce's own terms:
 * - 500 → `UNKNOWN_EXCEPTION` with an ErrorId, as Salesforce sends;
 * - 503 → `SERVER_UNAVAILABLE`;
 * - 502 → an HTML gateway page (what a proxy in front of Salesforce returns);
 * - 429 → Salesforce's REST API has no 429: concurrency and rate limits
 *   come back as 403 `REQUEST_LIMIT_EXCEEDED`, so that is what is sent.
 * OAuth endpoints answer in the OAuth error model instead.
 */
export function renderFault(res: Response, status: number, _fault: Fault): void {
  const path = res.req.path;
  if (path.startsWith('/services/oauth2/')) {
    res.status(status === 429 ? 400 : status).json({ error: 'unknown_error', error_description: 'retry your request' });
    return;
  }
  switch (status) {
    case 429:
      res.status(403).json([{ message: 'ConcurrentPerOrgLongTxn Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
      return;
    case 502:
      res.status(502).type('text/html').send('<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>');
      return;
    case 503:
      res.status(503).json([
        {
          message: 'The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later.',
          errorCode: 'SERVER_UNAVAILABLE',
        },
      ]);
      return;
    default:
      res.status(status).json(unknownException());
  }
}
