import express, { type Request, type Response, type Router } from 'express';
import { recordError, RecordFailure, SalesforceError, type RecordError } from '../errors.ts';
import { normaliseId } from '../org/ids.ts';
import { findObject, type ObjectDef } from '../org/metadata.ts';
import type { Org } from '../org/org.ts';
import { prepareCreate, prepareDelete, prepareUpdate, type PreparedWrite } from '../org/writes.ts';
import { jsonBody } from './body.ts';
import { ctx, restTransaction } from './context.ts';
import { objectFrom, selectFields } from './sobjects.ts';
import { renderRecord } from './render.ts';

/**
 * sObject Collections (`/composite/sobjects`): create, update, delete and
 * retrieve up to 200 records per call; always 200 with one result per record
 * unless the request itself is bad. With `allOrNone`, any failure rolls the
 * whole call back and the other records report ALL_OR_NONE_OPERATION_ROLLED_BACK.
 */
const MAX_RECORDS = 200;

interface SaveResult {
  id?: string;
  success: boolean;
  errors: RecordError[];
}

const ROLLED_BACK = recordError(
  'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  'Record rolled back because not all records were valid and the request was using AllOrNone header',
);

function tooMany(): SalesforceError {
  return new SalesforceError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`);
}

interface Item {
  /** Id reported in the result (update/delete know it up front). */
  id?: string;
  prepare: () => PreparedWrite;
}

/**
 * Runs items one by one (each sees the previous ones' effects) or, for
 * allOrNone, checks all before applying any. Request-level errors
 * (SalesforceError) propagate and fail the whole call.
 */
function runItems(items: Item[], allOrNone: boolean): SaveResult[] {
  if (!allOrNone) {
    return items.map((item) => {
      try {
        const row = item.prepare().apply();
        return { id: row.Id, success: true, errors: [] };
      } catch (error) {
        if (error instanceof RecordFailure) return { ...(item.id ? { id: item.id } : {}), success: false, errors: error.errors };
        throw error;
      }
    });
  }
  const prepared = items.map((item) => {
    try {
      return { write: item.prepare() };
    } catch (error) {
      if (error instanceof RecordFailure) return { failure: error };
      throw error;
    }
  });
  if (prepared.some((p) => p.failure)) {
    return prepared.map((p, i) => ({
      ...(items[i]!.id ? { id: items[i]!.id } : {}),
      success: false,
      errors: p.failure ? p.failure.errors : [ROLLED_BACK],
    }));
  }
  return prepared.map((p) => {
    const row = p.write!.apply();
    return { id: row.Id, success: true, errors: [] };
  });
}

function recordsOf(body: unknown): { records: Record<string, unknown>[]; allOrNone: boolean } {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Array.isArray((body as { records?: unknown }).records)) {
    throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'Cannot deserialize instance of sObject collection request: expected {"allOrNone": boolean, "records": [...]}');
  }
  const { records, allOrNone } = body as { records: unknown[]; allOrNone?: unknown };
  if (records.length > MAX_RECORDS) throw tooMany();
  if (allOrNone !== undefined && typeof allOrNone !== 'boolean') {
    throw new SalesforceError(400, 'JSON_PARSER_ERROR', `Cannot deserialize instance of boolean from ${typeof allOrNone === 'string' ? 'VALUE_STRING' : 'START_OBJECT'} value ${String(allOrNone)} or request may be missing a required field`);
  }
  for (const record of records) {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'Cannot deserialize instance of sObject from a value that is not an object');
    }
  }
  return { records: records as Record<string, unknown>[], allOrNone: allOrNone === true };
}

function typeOf(record: Record<string, unknown>): ObjectDef {
  const type = (record.attributes as { type?: unknown } | undefined)?.type;
  const def = typeof type === 'string' ? findObject(type) : undefined;
  if (!def) {
    throw new SalesforceError(
      400,
      'INVALID_TYPE',
      typeof type === 'string' ? `sObject type '${type}' is not supported.` : 'Must specify a type of sObject in attributes',
    );
  }
  return def;
}

function prepareDeleteAny(org: Org, rawId: string, userId: string): PreparedWrite {
  const id = normaliseId(rawId);
  const def = id ? [findObject('Contact')!, findObject('Lead')!, findObject('Case')!].find((d) => d.keyPrefix === id.slice(0, 3)) : undefined;
  if (!def) throw new RecordFailure([recordError('MALFORMED_ID', `malformed id ${rawId}`)]);
  return prepareDelete(org, def, rawId, userId);
}

export function collectionsRouter(): Router {
  const router = express.Router();

  router.post('/composite/sobjects', jsonBody, (req: Request, res: Response) => {
    const { org, user } = ctx(res);
    const { records, allOrNone } = recordsOf(req.body);
    const items = records.map((record): Item => {
      const def = typeOf(record);
      return { prepare: () => prepareCreate(org, def, record, user.id) };
    });
    res.json(restTransaction(req, res, () => runItems(items, allOrNone)));
  });

  router.patch('/composite/sobjects', jsonBody, (req: Request, res: Response) => {
    const { org, user } = ctx(res);
    const { records, allOrNone } = recordsOf(req.body);
    const items = records.map((record): Item => {
      const def = typeOf(record);
      const rawId = typeof record.id === 'string' ? record.id : typeof record.Id === 'string' ? record.Id : undefined;
      if (rawId === undefined) {
        return {
          prepare: () => {
            throw new RecordFailure([recordError('MISSING_ARGUMENT', 'Id not specified in an update call')]);
          },
        };
      }
      const { id: _id, Id: _Id, ...fields } = record;
      return { id: rawId, prepare: () => prepareUpdate(org, def, rawId, fields, user.id) };
    });
    res.json(restTransaction(req, res, () => runItems(items, allOrNone)));
  });

  router.delete('/composite/sobjects', (req: Request, res: Response) => {
    const { org, user } = ctx(res);
    const raw = typeof req.query.ids === 'string' ? req.query.ids : '';
    const ids = raw.split(',').map((s) => s.trim()).filter(Boolean);
    if (ids.length === 0) throw new SalesforceError(400, 'MISSING_ARGUMENT', 'ids parameter is required');
    if (ids.length > MAX_RECORDS) throw tooMany();
    const allOrNone = String(req.query.allOrNone).toLowerCase() === 'true';
    res.json(restTransaction(req, res, () => runItems(ids.map((id) => ({ id, prepare: () => prepareDeleteAny(org, id, user.id) })), allOrNone)));
  });

  const retrieve = (def: ObjectDef, ids: string[], fieldsRaw: unknown, res: Response) => {
    const { org, version } = ctx(res);
    if (ids.length > 2000) throw tooMany();
    const fields = selectFields(def, fieldsRaw);
    res.json(
      ids.map((raw) => {
        const id = normaliseId(raw);
        const row = id ? org.tables[def.name].get(id) : undefined;
        return row && !row.IsDeleted ? renderRecord(def, row, fields, version) : null;
      }),
    );
  };

  router.get('/composite/sobjects/:type', (req, res) => {
    const def = objectFrom(req);
    const ids = String(req.query.ids ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (typeof req.query.fields !== 'string' || req.query.fields === '') {
      throw new SalesforceError(400, 'MISSING_ARGUMENT', 'fields parameter is required');
    }
    retrieve(def, ids, req.query.fields, res);
  });

  // jsforce's retrieve([...]) posts `{ids, fields}` here (for URLs too long for GET).
  router.post('/composite/sobjects/:type', jsonBody, (req, res) => {
    const def = objectFrom(req);
    const body = (req.body ?? {}) as { ids?: unknown; fields?: unknown };
    if (!Array.isArray(body.ids) || !Array.isArray(body.fields)) {
      throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'Cannot deserialize request: expected {"ids": [...], "fields": [...]}');
    }
    retrieve(def, body.ids.map(String), body.fields.map(String).join(','), res);
  });

  return router;
}
