import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import type { Level, Logger } from 'pino';
import { redactUrl } from '../logger.ts';

declare module 'http' {
  interface IncomingMessage {
    /** This request's number in this process (in every line logged for it). */
    id: number;
    /** The BFF's logger bound to this request (`req: { id, method, url }`), made on first use. */
    log: Logger;
  }
}

const bound = Symbol('the request logger');
const failure = Symbol('the error that failed the request');

/** The error a 5xx answer stands for, logged with the request's "request errored" line (the error handler notes it). */
export function noteRequestError(res: Response, error: unknown): void {
  (res as Response & { [failure]?: unknown })[failure] = error;
}

/** The level of a request's line: 5xx errors, 4xx information, the rest debug. */
function levelOf(statusCode: number): Level {
  return statusCode >= 500 ? 'error' : statusCode >= 400 ? 'info' : 'debug';
}

/**
 * One line per request when it ends (`req`, `res.statusCode`, `responseTime`)
 * and `req.log` for what a handler logs about the request. What pino-http did,
 * without its cost on every request whether or not anything is logged (a
 * child logger with the request serialized and redacted: about an eighth of
 * the BFF's CPU per cached list answer under load). `req.log` is a getter of
 * the app's request prototype that makes the bound logger when something is
 * logged, and a line below the configured level costs a comparison. The URL
 * is logged with its OAuth parameters redacted (`redactUrl`); the logger's
 * own redaction applies to every line. A 5xx line has the error behind it
 * (`err`, as pino-http logged it) when the error handler answered it.
 */
export function requestLog(app: Express, logger: Logger): RequestHandler {
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: Request & { [bound]?: Logger }) {
      return (this[bound] ??= logger.child({ req: { id: this.id, method: this.method, url: redactUrl(this.originalUrl) } }));
    },
  });
  let lastId = 0;
  return (req: Request, res: Response, next: NextFunction) => {
    lastId = (lastId + 1) % Number.MAX_SAFE_INTEGER;
    req.id = lastId;
    const startedAt = Date.now();
    // Every response closes, sent whole ('finish' came first) or not.
    res.once('close', () => {
      const level = levelOf(res.statusCode);
      if (!logger.isLevelEnabled(level)) return;
      // pino-http's messages: a 5xx "errored" whether or not it was sent whole.
      const errored = res.statusCode >= 500;
      const message = errored ? 'request errored' : res.writableFinished ? 'request completed' : 'request aborted';
      const error = errored ? (res as Response & { [failure]?: unknown })[failure] : undefined;
      req.log[level]({ res: { statusCode: res.statusCode }, responseTime: Date.now() - startedAt, ...(error === undefined ? {} : { err: error }) }, message);
    });
    next();
  };
}
