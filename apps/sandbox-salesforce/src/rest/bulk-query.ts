import express, { type Request, type Response, type Router } from 'express';
import { errors, SalesforceError } from '../errors.ts';
import type { FieldDef, StoredRecord } from '../org/fields.ts';
import { makeId } from '../org/ids.ts';
import { formatDateTime } from '../org/values.ts';
import { compileQuery, fieldValue, type CompiledQuery } from '../soql/compile.ts';
import { executeQuery } from '../soql/execute.ts';
import { parseSoql } from '../soql/parser.ts';
import type { SandboxState } from '../state.ts';
import { jsonBody } from './body.ts';
import { ctx } from './context.ts';

/**
 * Bulk API 2.0 query jobs (`/jobs/query`). The query runs when the job is
 * created; the creation answer says `UploadComplete` and the job reads
 * `JobComplete` from then on, so pollers take one round. Results are CSV
 * pages with `Sforce-NumberOfRecords` and `Sforce-Locator` (the string
 * `null` on the last page — jsforce loops until it sees exactly that).
 */
export interface BulkQueryJob {
  id: string;
  operation: 'query' | 'queryAll';
  query: CompiledQuery;
  rows: StoredRecord[];
  createdById: string;
  createdAt: number;
  version: string;
  columnDelimiter: keyof typeof DELIMITERS;
  lineEnding: 'LF' | 'CRLF';
  state: 'UploadComplete' | 'JobComplete' | 'Aborted';
  polled: boolean;
}

const DELIMITERS = { COMMA: ',', TAB: '\t', SEMICOLON: ';', PIPE: '|', CARET: '^', BACKQUOTE: '`' } as const;
/** Records per results page when the client does not pass maxRecords. */
const DEFAULT_PAGE = 100_000;

let sequence = 1;

function jobInfo(job: BulkQueryJob, detailed: boolean) {
  if (job.polled && job.state === 'UploadComplete') job.state = 'JobComplete';
  return {
    id: job.id,
    operation: job.operation,
    object: job.query.def.name,
    createdById: job.createdById,
    createdDate: formatDateTime(job.createdAt),
    systemModstamp: formatDateTime(job.createdAt),
    state: job.state,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(job.version),
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
    ...(detailed
      ? { jobType: 'V2Query', numberRecordsProcessed: job.state === 'JobComplete' ? job.rows.length : 0, retries: 0, totalProcessingTime: 12, isPkChunkingSupported: true }
      : {}),
  };
}

function csvValue(field: FieldDef, row: StoredRecord, now: number): string {
  const value = fieldValue(field, row, now);
  if (value === null) return '""';
  const text = field.type === 'datetime' && typeof value === 'number' ? new Date(value).toISOString() : String(value);
  return `"${text.replace(/"/g, '""')}"`;
}

function findJob(state: SandboxState, req: Request, userId: string): BulkQueryJob {
  const job = state.bulkQueryJobs.get(String(req.params.jobId));
  if (!job || job.createdById !== userId) throw errors.notFound();
  return job;
}

export function bulkQueryRouter(state: SandboxState): Router {
  const router = express.Router();

  router.post('/jobs/query', jsonBody, (req: Request, res: Response) => {
    const { org, user, version } = ctx(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const operation = body.operation ?? 'query';
    if (operation !== 'query' && operation !== 'queryAll') {
      throw new SalesforceError(400, 'INVALIDJOB', `InvalidJob : Invalid operation: ${String(operation)}`);
    }
    if (typeof body.query !== 'string' || body.query.trim() === '') throw new SalesforceError(400, 'INVALIDJOB', 'InvalidJob : query is required');
    const delimiter = (body.columnDelimiter ?? 'COMMA') as string;
    const lineEnding = (body.lineEnding ?? 'LF') as string;
    if (!(delimiter in DELIMITERS) || (lineEnding !== 'LF' && lineEnding !== 'CRLF')) {
      throw new SalesforceError(400, 'INVALIDJOB', 'InvalidJob : invalid columnDelimiter or lineEnding');
    }
    const query = compileQuery(parseSoql(body.query), body.query);
    if (query.count) throw new SalesforceError(400, 'INVALIDJOB', 'InvalidJob : Aggregate queries are not supported');
    const job: BulkQueryJob = {
      id: makeId('750', sequence++),
      operation,
      query,
      rows: executeQuery(query, org.tables[query.def.name], operation === 'queryAll').rows,
      createdById: user.id,
      createdAt: Date.now(),
      version,
      columnDelimiter: delimiter as keyof typeof DELIMITERS,
      lineEnding,
      state: 'UploadComplete',
      polled: false,
    };
    state.bulkQueryJobs.set(job.id, job);
    res.json(jobInfo(job, false));
  });

  router.get('/jobs/query', (_req, res) => {
    const { user } = ctx(res);
    const records = [...state.bulkQueryJobs.values()].filter((j) => j.createdById === user.id).map((j) => jobInfo(j, false));
    res.json({ done: true, records, nextRecordsUrl: null });
  });

  router.get('/jobs/query/:jobId', (req, res) => {
    const job = findJob(state, req, ctx(res).user.id);
    const info = jobInfo(job, true);
    job.polled = true;
    res.json(info);
  });

  router.patch('/jobs/query/:jobId', jsonBody, (req, res) => {
    const job = findJob(state, req, ctx(res).user.id);
    if ((req.body as { state?: unknown } | undefined)?.state !== 'Aborted') {
      throw new SalesforceError(400, 'INVALIDJOBSTATE', 'InvalidJobState : only Aborted can be set on a query job');
    }
    if (job.state !== 'JobComplete') job.state = 'Aborted';
    res.json(jobInfo(job, false));
  });

  router.delete('/jobs/query/:jobId', (req, res) => {
    const job = findJob(state, req, ctx(res).user.id);
    state.bulkQueryJobs.delete(job.id);
    res.status(204).end();
  });

  router.get('/jobs/query/:jobId/results', (req, res) => {
    const { user, version } = ctx(res);
    const job = findJob(state, req, user.id);
    if (job.version !== version) {
      throw new SalesforceError(409, 'INVALIDJOBSTATE', 'Use the same API version to get query results that you used to create the query');
    }
    jobInfo(job, false);
    if (job.state !== 'JobComplete') throw new SalesforceError(400, 'INVALIDJOBSTATE', `InvalidJobState : Job is in state ${job.state}`);
    const locator = typeof req.query.locator === 'string' && req.query.locator !== '' ? req.query.locator : undefined;
    const offset = locator === undefined ? 0 : Number(Buffer.from(locator, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0 || offset > job.rows.length) throw new SalesforceError(400, 'INVALID_LOCATOR', 'Invalid locator');
    const maxRecords = req.query.maxRecords === undefined ? DEFAULT_PAGE : Number(req.query.maxRecords);
    if (!Number.isInteger(maxRecords) || maxRecords < 1) throw new SalesforceError(400, 'INVALIDJOB', 'maxRecords must be a positive integer');
    const end = Math.min(job.rows.length, offset + maxRecords);
    const sep = DELIMITERS[job.columnDelimiter];
    const eol = job.lineEnding === 'CRLF' ? '\r\n' : '\n';
    const now = Date.now();
    const lines = [job.query.fields.map((f) => `"${f.name}"`).join(sep)];
    for (let i = offset; i < end; i += 1) lines.push(job.query.fields.map((f) => csvValue(f, job.rows[i]!, now)).join(sep));
    res.set({
      'Content-Type': 'text/csv',
      'Sforce-NumberOfRecords': String(end - offset),
      'Sforce-Locator': end < job.rows.length ? Buffer.from(String(end)).toString('base64url') : 'null',
    });
    res.send(lines.join(eol) + eol);
  });

  return router;
}

