import express, { type Router } from 'express';
import { invalid, missing } from '../errors.ts';
import { bodyObject, paging, pathId, sortParam } from '../http.ts';
import { integerArray, isPlainObject, optionalBoolean } from '../contacts/normalize.ts';
import { sandboxRequest } from '../request-context.ts';
import { parseCsv } from './csv.ts';
import { IMPORT_REPORT_KINDS, type BackgroundProcess } from './processes.ts';
import { rowsFromJson, type ImportRow, type ImportRunner, type ImportSettings } from './runner.ts';

/** "Maximum allowed file body size is 10MB" / "Maximum allowed json body size is 10MB" (importContacts reference). */
const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
/** GET /processes pages 10 by default, at most 50 (SDK GetProcessesRequest). */
const PROCESSES_PAGE = { limit: 10, max: 50 };

/** Where a finished import's reports are served; Brevo links CSV files the same way. */
export function reportUrl(publicUrl: string, accountId: string, processId: number, kind: string): string {
  return `${publicUrl.replace(/\/$/, '')}/__sandbox/imports/${encodeURIComponent(accountId)}/${processId}/${kind}.csv`;
}

/**
 * GET /processes/{id} in the SDK's GetProcessResponse shape: `info.import`
 * (only for completed IMPORTUSER processes) holds one URL per kind of
 * rejected row, or null when there was none.
 */
export function processJson(process: BackgroundProcess, accountId: string, publicUrl: string): Record<string, unknown> {
  const json: Record<string, unknown> = { id: process.id, name: process.name, status: process.status };
  if (process.status === 'completed') {
    json.info = {
      import: Object.fromEntries(
        IMPORT_REPORT_KINDS.map((kind) => [kind, process.rejected.get(kind)?.length ? reportUrl(publicUrl, accountId, process.id, kind) : null]),
      ),
    };
  }
  return json;
}

export function importsRouter(runner: ImportRunner, publicUrl: () => string, now: () => number): Router {
  const router = express.Router();

  router.post('/contacts/import', (req, res) => {
    const { account, writeContext } = sandboxRequest(req);
    const body = bodyObject(req);
    const sources = (['fileUrl', 'fileBody', 'jsonBody'] as const).filter((key) => body[key] !== undefined && body[key] !== null);
    if (sources.length === 0) throw missing('fileUrl, fileBody or jsonBody is missing');
    if (sources.length > 1) throw invalid('Pass only one of fileUrl, fileBody or jsonBody');
    let rows: () => Promise<ImportRow[]>;
    let count = 0;
    if (sources[0] === 'jsonBody') {
      if (!Array.isArray(body.jsonBody) || body.jsonBody.length === 0) throw invalid('jsonBody should be a non-empty array');
      if (JSON.stringify(body.jsonBody).length > MAX_IMPORT_BYTES) throw invalid('Maximum allowed json body size is 10MB');
      const parsed = rowsFromJson(body.jsonBody);
      count = parsed.length;
      rows = async () => parsed;
    } else if (sources[0] === 'fileBody') {
      if (typeof body.fileBody !== 'string' || body.fileBody.trim() === '') throw invalid('fileBody should be a non-empty string');
      if (Buffer.byteLength(body.fileBody) > MAX_IMPORT_BYTES) throw invalid('Maximum allowed file body size is 10MB');
      const parsed = parseCsv(body.fileBody).map((record) => ({ attributes: record }));
      count = parsed.length;
      rows = async () => parsed;
    } else {
      const url = parseHttpUrl(body.fileUrl, 'fileUrl');
      rows = async () => fetchRows(url);
    }
    const settings = importSettings(body);
    const listIds = integerArray(body, 'listIds');
    if (listIds) {
      for (const id of listIds) if (!account.lists.hasList(id)) throw invalid(`List ID ${id} does not exist`);
      settings.listIds = listIds;
    } else if (isPlainObject(body.newList) && typeof body.newList.listName === 'string' && body.newList.listName !== '') {
      if (body.newList.folderId === undefined) throw missing('newList.folderId is missing');
      settings.listIds = [account.lists.createList(body.newList.listName, body.newList.folderId).id];
    } else {
      throw missing('listIds or newList is missing');
    }
    const process = account.processes.create(count, now());
    runner.start(account, process, rows, settings, writeContext);
    res.status(202).json({ processId: process.id });
  });

  router.get('/processes', (req, res) => {
    const { account } = sandboxRequest(req);
    const { limit, offset } = paging(req, PROCESSES_PAGE);
    const all = account.processes.all();
    const ordered = sortParam(req.query.sort) === 'desc' ? [...all].reverse() : all;
    res.json({
      processes: ordered.slice(offset, offset + limit).map((p) => processJson(p, account.accountId, publicUrl())),
      count: all.length,
    });
  });

  router.get('/processes/:processId', (req, res) => {
    const { account } = sandboxRequest(req);
    const process = account.processes.get(pathId(req.params.processId, 'processId'));
    res.json(processJson(process, account.accountId, publicUrl()));
  });

  return router;
}

function importSettings(body: Record<string, unknown>): ImportSettings {
  const settings: ImportSettings = {
    listIds: [],
    // Brevo's defaults: update existing contacts, leave empty fields alone.
    updateExistingContacts: optionalBoolean(body, 'updateExistingContacts') ?? true,
    emptyContactsAttributes: optionalBoolean(body, 'emptyContactsAttributes') ?? false,
    emailBlacklist: optionalBoolean(body, 'emailBlacklist') ?? false,
    smsBlacklist: optionalBoolean(body, 'smsBlacklist') ?? false,
  };
  if (body.notifyUrl !== undefined && body.notifyUrl !== null) settings.notifyUrl = parseHttpUrl(body.notifyUrl, 'notifyUrl');
  return settings;
}

function parseHttpUrl(value: unknown, field: string): string {
  if (typeof value === 'string') {
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:') return value;
    } catch {
      // fall through
    }
  }
  throw invalid(`${field} is not a valid URL`);
}

async function fetchRows(url: string): Promise<ImportRow[]> {
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`fileUrl answered ${response.status}`);
  const text = await response.text();
  if (Buffer.byteLength(text) > 100 * MAX_IMPORT_BYTES) throw new Error('file too large');
  if (url.toLowerCase().split('?')[0]!.endsWith('.json') || /^\s*\[/.test(text)) {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) throw new Error('JSON file must hold an array');
    return rowsFromJson(parsed);
  }
  return parseCsv(text).map((record) => ({ attributes: record }));
}
