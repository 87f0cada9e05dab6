import express, { type Request, type Response, type Router } from 'express';
import { errors, SalesforceError } from '../errors.ts';
import type { SandboxState } from '../state.ts';
import { compileQuery } from '../soql/compile.ts';
import type { Cursor } from '../soql/cursors.ts';
import { executeQuery } from '../soql/execute.ts';
import { parseSoql } from '../soql/parser.ts';
import { ctx } from './context.ts';
import { renderRecord } from './render.ts';

/**
 * `GET query?q=`, `GET queryAll?q=` and their `nextRecordsUrl`s
 * (`query/{locator}`, `queryAll/{locator}`). Pages hold the batch size from
 * `Sforce-Query-Options: batchSize=N` (200..2000, default 2000).
 *
 * As Salesforce documents ("QueryAll More Results"), a queryAll response's
 * nextRecordsUrl also says `/query/{locator}`, and both `/query/{locator}` and
 * `/queryAll/{locator}` continue it with deleted rows; the locator carries
 * its scan mode. jsforce 3.10.16 follows `/query/{locator}` either way.
 */
const DEFAULT_BATCH = 2000;

export function batchSize(header: string | undefined): number {
  const m = header ? /batchSize\s*=\s*(\d+)/i.exec(header) : null;
  if (!m) return DEFAULT_BATCH;
  return Math.min(2000, Math.max(200, Number(m[1])));
}

function page(state: SandboxState, cursor: Cursor, offset: number, version: string) {
  const end = Math.min(cursor.rows.length, offset + cursor.batchSize);
  const now = Date.now();
  const records = cursor.rows.slice(offset, end).map((row) => renderRecord(cursor.query.def, row, cursor.query.fields, version, now));
  const done = end >= cursor.rows.length;
  if (done) state.cursors.close(cursor.id);
  return {
    totalSize: cursor.rows.length,
    done,
    ...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${cursor.id}-${end}` }),
    records,
  };
}

export function queryRouter(state: SandboxState): Router {
  const router = express.Router();

  const run = (scanAll: boolean) => (req: Request, res: Response) => {
    const { org, user, version } = ctx(res);
    const q = req.query.q;
    if (typeof q !== 'string' || q.trim() === '') {
      throw new SalesforceError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    }
    const compiled = compileQuery(parseSoql(q), q);
    const result = executeQuery(compiled, org.tables[compiled.def.name], scanAll);
    if (compiled.count) {
      res.json({ totalSize: result.totalSize, done: true, records: [] });
      return;
    }
    const cursor = state.cursors.open({
      query: compiled,
      rows: result.rows,
      batchSize: batchSize(req.get('sforce-query-options')),
      scanAll,
      userId: user.id,
    });
    res.json(page(state, cursor, 0, version));
  };

  const more = (req: Request, res: Response) => {
    const { user, version } = ctx(res);
    const found = state.cursors.resolve(String(req.params.locator), user.id);
    if (!found) throw errors.invalidQueryLocator();
    res.json(page(state, found.cursor, found.offset, version));
  };

  router.get('/query', run(false));
  router.get('/queryAll', run(true));
  router.get('/query/:locator', more);
  router.get('/queryAll/:locator', more);
  return router;
}
