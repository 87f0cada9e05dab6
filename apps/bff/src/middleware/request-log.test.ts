import express from 'express';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logger.ts';
import { errorHandler } from './error-handler.ts';
import { requestLog } from './request-log.ts';

function appLogging(level: string) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger(level, sink);
  const app = express();
  app.use(requestLog(app, logger));
  app.get('/ok', (_req, res) => void res.json({ ok: true }));
  app.get('/refused', (req, res) => {
    req.log.info({ headers: { authorization: 'Bearer secret-token' } }, 'refused here');
    res.status(401).end();
  });
  app.get('/broken', (_req, res) => void res.status(500).end());
  return { app, logger, lines };
}

describe('request log', () => {
  it('logs each request when it ends, at the level of its status, with OAuth parameters and credentials redacted', async () => {
    const { app, lines } = appLogging('debug');
    await request(app).get('/ok?code=the-code&state=the-state&page=2');
    await request(app).get('/refused');
    await request(app).get('/broken');

    const completed = lines.filter((line) => line.res !== undefined);
    expect(completed.map((line) => [line.msg, line.level, (line.req as { url: string }).url, (line.res as { statusCode: number }).statusCode])).toEqual([
      ['request completed', pino.levels.values.debug, '/ok?code=%5Bredacted%5D&state=%5Bredacted%5D&page=2', 200],
      ['request completed', pino.levels.values.info, '/refused', 401],
      // As pino-http said it.
      ['request errored', pino.levels.values.error, '/broken', 500],
    ]);
    expect(completed.every((line) => typeof line.responseTime === 'number')).toBe(true);
    const handlers = lines.find((line) => line.msg === 'refused here')!;
    expect(handlers.headers).toEqual({ authorization: '[redacted]' });
    // The handler's line and the request's line name the same request.
    expect((handlers.req as { id: number }).id).toBe((completed[1]!.req as { id: number }).id);
    expect(new Set(completed.map((line) => (line.req as { id: number }).id)).size).toBe(3);
  });

  it('redacts credentials at any depth, in the request log and in any line', async () => {
    const { app, logger, lines } = appLogging('debug');
    app.get('/credentials', (req, res) => {
      req.log.info(
        {
          authorization: 'Bearer top-token',
          cookie: 'sid=top-cookie',
          headers: { authorization: 'Bearer nested-token', cookie: 'sid=nested-cookie' },
          upstream: { request: { headers: { Authorization: 'Bearer deep-token', 'api-key': 'xkeysib-deep' } } },
        },
        'credentials',
      );
      res.status(204).end();
    });
    await request(app).get('/credentials');
    logger.warn({ authorization: 'Basic dG9wOnNlY3JldA==', cookie: 'sid=plain', apiKey: 'xkeysib-top', brevo: { apiKey: 'xkeysib-nested', account: { apiKey: 'xkeysib-deeper' } } }, 'outside a request');
    logger.child({ integration: { salesforce: { tokens: { refreshToken: 'bound-refresh' } } } }).info('with bindings');

    const written = JSON.stringify(lines);
    for (const secret of ['top-token', 'top-cookie', 'nested-token', 'nested-cookie', 'deep-token', 'xkeysib-deep', 'dG9wOnNlY3JldA==', 'sid=plain', 'xkeysib-top', 'xkeysib-nested', 'xkeysib-deeper', 'bound-refresh']) {
      expect(written).not.toContain(secret);
    }
    expect(lines.find((line) => line.msg === 'credentials')).toMatchObject({
      authorization: '[redacted]',
      cookie: '[redacted]',
      headers: { authorization: '[redacted]', cookie: '[redacted]' },
      upstream: { request: { headers: { Authorization: '[redacted]', 'api-key': '[redacted]' } } },
    });
    expect(lines.find((line) => line.msg === 'outside a request')).toMatchObject({
      authorization: '[redacted]',
      cookie: '[redacted]',
      apiKey: '[redacted]',
      brevo: { apiKey: '[redacted]', account: { apiKey: '[redacted]' } },
    });
    expect(lines.find((line) => line.msg === 'with bindings')).toMatchObject({ integration: { salesforce: { tokens: { refreshToken: '[redacted]' } } } });
  });

  it('logs the error behind a 5xx answer with its request, redacted', async () => {
    const { app, lines } = appLogging('info');
    app.get('/fails', () => {
      throw Object.assign(new Error('upstream refused'), { request: { options: { headers: { authorization: 'Bearer leaked-in-error' } } } });
    });
    app.use(errorHandler);
    await request(app).get('/fails').expect(500);

    const errored = lines.find((line) => line.msg === 'request errored')!;
    expect(errored).toMatchObject({
      res: { statusCode: 500 },
      err: { type: 'Error', message: 'upstream refused', request: { options: { headers: { authorization: '[redacted]' } } } },
    });
    expect((errored.err as { stack: string }).stack).toContain('upstream refused');
    expect(JSON.stringify(lines)).not.toContain('leaked-in-error');
  });

  it('costs no bound logger for a request nothing is logged about', async () => {
    const { app, logger, lines } = appLogging('info');
    const child = vi.spyOn(logger, 'child');
    for (let i = 0; i < 5; i += 1) await request(app).get('/ok');
    expect(child).not.toHaveBeenCalled();
    expect(lines).toEqual([]);

    await request(app).get('/refused');
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines.map((line) => line.msg)).toEqual(['refused here', 'request completed']);
  });
});
