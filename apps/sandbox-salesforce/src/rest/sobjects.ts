import express, { type Request, type Response, type Router } from 'express';
import { errors, RecordFailure, SalesforceError } from '../errors.ts';
import { describeGlobalEntry, describeObject } from '../org/describe.ts';
import type { FieldDef, StoredRecord } from '../org/fields.ts';
import { normaliseId } from '../org/ids.ts';
import { findObject, OBJECTS, SOBJECT_NAMES, type ObjectDef } from '../org/metadata.ts';
import type { Org } from '../org/org.ts';
import { prepareCreate, prepareDelete, prepareUpdate } from '../org/writes.ts';
import { jsonBody } from './body.ts';
import { ctx, restTransaction } from './context.ts';
import { renderRecord } from './render.ts';

/** `sobjects`, `sobjects/{type}`, `.../describe`, and single-record CRUD. */
export function objectFrom(req: Request): ObjectDef {
  const def = findObject(String(req.params.type));
  if (!def) throw errors.notFound();
  return def;
}

export function selectFields(def: ObjectDef, raw: unknown): FieldDef[] {
  if (typeof raw !== 'string' || raw.trim() === '') return def.fields;
  return raw.split(',').map((name) => {
    const field = def.byLowerName.get(name.trim().toLowerCase());
    if (!field) throw errors.invalidField(`No such column '${name.trim()}' on entity '${def.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
    return field;
  });
}

/** The stored row for a URL id, or the single-record API's 404s. */
function rowFor(org: Org, def: ObjectDef, rawId: string): StoredRecord {
  const id = normaliseId(rawId);
  if (!id || id.slice(0, 3) !== def.keyPrefix) {
    throw new SalesforceError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${rawId}`);
  }
  const row = org.tables[def.name].get(id);
  if (!row) throw errors.notFound();
  if (row.IsDeleted) throw new SalesforceError(404, 'ENTITY_IS_DELETED', 'entity is deleted', []);
  return row;
}

/** A single-record write failure answers with that record's errors as the REST error array. */
function singleRecord<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof RecordFailure) throw new RecordFailureResponse(error);
    throw error;
  }
}

export class RecordFailureResponse extends SalesforceError {
  constructor(readonly failure: RecordFailure) {
    super(failure.status, failure.errors[0]!.statusCode, failure.message);
  }

  override toBody() {
    return this.failure.toBody();
  }
}

export function sobjectsRouter(): Router {
  const router = express.Router();

  router.get('/sobjects', (_req, res) => {
    const { version } = ctx(res);
    res.json({ encoding: 'UTF-8', maxBatchSize: 200, sobjects: SOBJECT_NAMES.map((n) => describeGlobalEntry(OBJECTS[n], version)) });
  });

  router.get('/sobjects/:type', (req, res) => {
    const def = objectFrom(req);
    res.json({ objectDescribe: describeGlobalEntry(def, ctx(res).version), recentItems: [] });
  });

  router.get('/sobjects/:type/describe', (req, res) => {
    const def = objectFrom(req);
    res.json(describeObject(def, ctx(res).version));
  });

  router.post('/sobjects/:type', jsonBody, (req: Request, res: Response) => {
    const def = objectFrom(req);
    const { org, user } = ctx(res);
    const row = singleRecord(() => restTransaction(req, res, () => prepareCreate(org, def, req.body, user.id).apply()));
    res.status(201).json({ id: row.Id, success: true, errors: [] });
  });

  router.get('/sobjects/:type/:id', (req, res) => {
    const def = objectFrom(req);
    const { org, version } = ctx(res);
    const row = rowFor(org, def, String(req.params.id));
    res.json(renderRecord(def, row, selectFields(def, req.query.fields), version));
  });

  router.patch('/sobjects/:type/:id', jsonBody, (req: Request, res: Response) => {
    const def = objectFrom(req);
    const { org, user } = ctx(res);
    rowFor(org, def, String(req.params.id));
    singleRecord(() => restTransaction(req, res, () => prepareUpdate(org, def, String(req.params.id), req.body, user.id).apply()));
    res.status(204).end();
  });

  router.delete('/sobjects/:type/:id', (req, res) => {
    const def = objectFrom(req);
    const { org, user } = ctx(res);
    rowFor(org, def, String(req.params.id));
    singleRecord(() => restTransaction(req, res, () => prepareDelete(org, def, String(req.params.id), user.id).apply()));
    res.status(204).end();
  });

  return router;
}
