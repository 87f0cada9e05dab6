import type { ChangeEvent } from '@contact-sync/salesforce';
import type { SalesforceRow } from './plan.ts';

/**
 * What a batch of Change Data Capture events says about records, in the
 * terms a run reads them: per record, folded in replay order, the fields it
 * knows (all of them after a CREATE or UNDELETE: an absent field is empty;
 * only the changed ones after an UPDATE) or that it was deleted. Gap and
 * overflow events carry no data: they only say that changes were missed.
 */
export interface RecordChange {
  id: string;
  deleted: boolean;
  /** Every field is known (absent means empty), as in a query row. */
  complete: boolean;
  /** Field values by the object's field names (compound fields flattened). */
  values: Record<string, unknown>;
  /** When the latest folded change was made, in Salesforce's REST form (`…+0000`). */
  modstamp: string;
  /** The changeOrigin of every event folded in. */
  origins: string[];
}

export interface ChangeBatch {
  /** In order of first appearance. */
  records: RecordChange[];
  /** Gap and overflow events: changes Salesforce could not stream (GAP_OVERFLOW names no records). */
  gaps: { changeType: string; recordIds: string[] }[];
  firstReplayId: number;
  lastReplayId: number;
}

/**
 * The client id the integration's own Salesforce writes name in
 * `Sforce-Call-Options` (Brevo → Salesforce); Salesforce reports it in the
 * `changeOrigin` of the change events those writes cause.
 */
export function ownChangeClient(integrationId: string): string {
  return `contactsync-${integrationId}`;
}

/** Whether a change event's origin is a write of the integration itself (`…;client=<its client id>`). */
export function isOwnChange(changeOrigin: string, integrationId: string): boolean {
  const client = `client=${ownChangeClient(integrationId)}`;
  return changeOrigin.split(';').some((part) => part.trim() === client);
}

const toRestDateTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

/** Compound parts as the object's fields: Name.FirstName → FirstName, MailingAddress.City → MailingCity, Address.City → City. */
function fieldOfPart(compound: string, part: string): string {
  if (compound.endsWith('Address')) return `${compound.slice(0, -'Address'.length)}${part}`;
  return part;
}

function valuesOf(payload: ChangeEvent['payload']): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (name === 'ChangeEventHeader') continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [part, partValue] of Object.entries(value as Record<string, unknown>)) values[fieldOfPart(name, part)] = partValue;
    } else values[name] = value;
  }
  return values;
}

function modstampOf(event: ChangeEvent): string {
  const modified = event.payload.LastModifiedDate;
  const ms = typeof modified === 'string' ? Date.parse(modified) : NaN;
  return toRestDateTime(Number.isNaN(ms) ? event.payload.ChangeEventHeader.commitTimestamp : ms);
}

/** Folds a batch of events (in replay order) into one change per record. */
export function foldChangeEvents(events: readonly ChangeEvent[]): ChangeBatch {
  const records = new Map<string, RecordChange>();
  const gaps: ChangeBatch['gaps'] = [];
  for (const event of events) {
    const header = event.payload.ChangeEventHeader;
    if (header.changeType.startsWith('GAP_')) {
      gaps.push({ changeType: header.changeType, recordIds: [...header.recordIds] });
      continue;
    }
    const values = header.changeType === 'DELETE' ? {} : valuesOf(event.payload);
    const modstamp = modstampOf(event);
    for (const id of header.recordIds) {
      const earlier = records.get(id);
      const origins = [...(earlier?.origins ?? []), header.changeOrigin];
      if (header.changeType === 'DELETE') {
        records.set(id, { id, deleted: true, complete: false, values: {}, modstamp, origins });
      } else if (header.changeType === 'UPDATE' && earlier && !earlier.deleted) {
        records.set(id, { ...earlier, values: { ...earlier.values, ...values }, modstamp, origins });
      } else {
        records.set(id, { id, deleted: false, complete: header.changeType !== 'UPDATE', values, modstamp, origins });
      }
    }
  }
  const replayIds = events.map((event) => event.event.replayId);
  return { records: [...records.values()], gaps, firstReplayId: Math.min(...replayIds), lastReplayId: Math.max(...replayIds) };
}

/**
 * A record change as the row a run's query would return for these fields:
 * known values, `null` for a field a complete change does not carry, nothing
 * for a field an update did not change (the plan keeps what Brevo holds).
 */
export function rowOfChange(change: RecordChange, fields: readonly string[]): SalesforceRow {
  const row: Record<string, unknown> = { Id: change.id, SystemModstamp: change.modstamp, IsDeleted: change.deleted };
  if (change.deleted) return row as SalesforceRow;
  for (const field of fields) {
    if (field in change.values) row[field] = change.values[field];
    else if (change.complete) row[field] = null;
  }
  return row as SalesforceRow;
}
