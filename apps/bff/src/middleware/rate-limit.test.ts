import express, { type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.ts';
import { errorHandler } from './error-handler.ts';
import { createAccountRateLimit } from './rate-limit.ts';

/** An app whose caller is the account named by the `x-account` header (host authentication stands in). */
function limitedApp(limit: RequestHandler) {
  const app = express();
  app.use((req, res, next) => {
    res.locals.auth = { accountId: req.get('x-account') };
    next();
  });
  app.get('/limited', limit, (_req, res) => void res.json({ ok: true }));
  app.use(errorHandler);
  return app;
}

async function answers(app: express.Express, accounts: string[]) {
  const seen = [];
  for (const account of accounts) {
    const response = await request(app).get('/limited').set('x-account', account);
    seen.push({
      status: response.status,
      code: (response.body as { error?: { code: string } }).error?.code,
      rateLimit: response.headers['ratelimit'],
      policy: response.headers['ratelimit-policy'],
      retryAfter: response.headers['retry-after'],
    });
  }
  return seen;
}

describe('account rate limit', () => {
  it('counts and answers as express-rate-limit did (draft-8 headers, Retry-After, the same partition key)', async () => {
    const before = rateLimit({
      windowMs: 60_000,
      limit: 2,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: (_req, res) => `account:${(res.locals.auth as { accountId: string }).accountId}`,
      handler: (_req, _res, next) => next(new ApiError('rate_limited')),
    });
    const sequence = ['acc_a', 'acc_a', 'acc_b', 'acc_a', 'acc_a', 'acc_b'];
    const expected = await answers(limitedApp(before), sequence);
    expect(expected.map((answer) => answer.status)).toEqual([200, 200, 200, 429, 429, 200]);
    expect(await answers(limitedApp(createAccountRateLimit(2)), sequence)).toEqual(expected);
  });

  it('opens a new window a minute after an account’s first request, and decides at once', async () => {
    let now = 1_000_000;
    const limit = createAccountRateLimit(1, () => now);
    const app = limitedApp(limit);
    expect((await answers(app, ['acc_a', 'acc_a'])).map((answer) => [answer.status, answer.rateLimit, answer.retryAfter])).toEqual([
      [200, '"1-in-1min"; r=0; t=60', undefined],
      [429, '"1-in-1min"; r=0; t=60', '60'],
    ]);
    now += 59_000;
    expect((await answers(app, ['acc_a']))[0]).toMatchObject({ status: 429, rateLimit: '"1-in-1min"; r=0; t=1', retryAfter: '1' });
    now += 1_000;
    expect((await answers(app, ['acc_a']))[0]).toMatchObject({ status: 200, rateLimit: '"1-in-1min"; r=0; t=60' });

    // No await between the request and its decision: next is called before the middleware returns.
    let decided = false;
    const res = { locals: { auth: { accountId: 'acc_sync' } }, setHeader: () => undefined };
    limit({} as express.Request, res as unknown as express.Response, () => {
      decided = true;
    });
    expect(decided).toBe(true);
  });
});
