import express, { type Request, type Router } from 'express';
import { SalesforceError } from '../errors.ts';
import { formatDateTime, parseDateTime } from '../org/values.ts';
import { ctx } from './context.ts';
import { objectFrom } from './sobjects.ts';

/**
 * `sobjects/{type}/updated/?start=&end=` and `.../deleted/?start=&end=`
 * (replication API). Salesforce works to the minute: the window's end is
 * rounded down and reported as `latestDateCovered`; updated reaches 30 days
 * back and deleted 15.
 */
const MINUTE = 60_000;
const DAY = 86_400_000;
/** Salesforce's cap on ids per `updated` call. */
const MAX_IDS = 600_000;

function window(req: Request, maxDaysBack: number): { start: number; end: number } {
  const start = typeof req.query.start === 'string' ? parseDateTime(req.query.start) : undefined;
  const end = typeof req.query.end === 'string' ? parseDateTime(req.query.end) : undefined;
  if (start === undefined || end === undefined) {
    throw new SalesforceError(400, 'INVALID_REPLICATION_DATE', 'start and end must be valid date-times, e.g. 2024-01-01T00:00:00+00:00');
  }
  const s = Math.floor(start / MINUTE) * MINUTE;
  const e = Math.floor(Math.min(end, Date.now()) / MINUTE) * MINUTE;
  if (e - s < MINUTE) {
    throw new SalesforceError(400, 'INVALID_REPLICATION_DATE', 'startDate must chronologically precede endDate by more than one minute');
  }
  if (s < Date.now() - maxDaysBack * DAY) {
    throw new SalesforceError(400, 'INVALID_REPLICATION_DATE', `startDate cannot be more than ${maxDaysBack} days ago`);
  }
  return { start: s, end: e };
}

export function replicationRouter(): Router {
  const router = express.Router();

  router.get(['/sobjects/:type/updated', '/sobjects/:type/updated/'], (req, res) => {
    const def = objectFrom(req);
    const { org } = ctx(res);
    const { start, end } = window(req, 30);
    const ids: string[] = [];
    for (const row of org.tables[def.name].scanFrom(start)) {
      if (row.SystemModstamp >= end) break;
      if (!row.IsDeleted) ids.push(row.Id);
    }
    if (ids.length > MAX_IDS) {
      throw new SalesforceError(400, 'EXCEEDED_ID_LIMIT', `too many ids (over ${MAX_IDS}): choose start and end dates that are closer together`);
    }
    res.json({ ids, latestDateCovered: formatDateTime(end) });
  });

  router.get(['/sobjects/:type/deleted', '/sobjects/:type/deleted/'], (req, res) => {
    const def = objectFrom(req);
    const { org } = ctx(res);
    const { start, end } = window(req, 15);
    const deletedRecords: { id: string; deletedDate: string }[] = [];
    let earliest = Infinity;
    for (const row of org.tables[def.name].scanFrom(start)) {
      if (row.SystemModstamp >= end) break;
      if (row.IsDeleted) {
        deletedRecords.push({ id: row.Id, deletedDate: formatDateTime(row.SystemModstamp) });
        earliest = Math.min(earliest, row.SystemModstamp);
      }
    }
    res.json({
      deletedRecords,
      earliestDateAvailable: formatDateTime(Math.floor((Number.isFinite(earliest) ? earliest : start) / MINUTE) * MINUTE),
      latestDateCovered: formatDateTime(end),
    });
  });

  return router;
}
