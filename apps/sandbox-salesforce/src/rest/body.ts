import express, { type NextFunction, type Request, type Response } from 'express';
import { errors } from '../errors.ts';

/**
 * JSON bodies for write routes. Salesforce parses the body whatever the
 * content type says and reports bad JSON as 400 JSON_PARSER_ERROR.
 */
const parse = express.json({ type: () => true, limit: '10mb', strict: false });

export function jsonBody(req: Request, res: Response, next: NextFunction): void {
  parse(req, res, (error?: unknown) => {
    if (error) {
      const detail = error instanceof Error ? error.message : 'invalid JSON';
      next(errors.jsonParser(`Unexpected character: ${detail} at [line:1, column:1]`));
      return;
    }
    next();
  });
}
