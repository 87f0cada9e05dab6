import type { Response } from 'express';

/**
 * Salesforce's REST error model: the body is an array of
 * `{ message, errorCode, fields? }`. Thrown anywhere in a REST handler and
 * rendered once by the REST error handler, so every route answers alike.
 */
export interface SalesforceErrorBody {
  message: string;
  errorCode: string;
  fields?: string[];
}

export class SalesforceError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
    this.name = 'SalesforceError';
  }

  toBody(): SalesforceErrorBody[] {
    return [{ message: this.message, errorCode: this.errorCode, ...(this.fields ? { fields: this.fields } : {}) }];
  }
}

/** Per-record error as sObject Collections report it (`statusCode`, not `errorCode`). */
export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** A record-level failure (validation, delete refused...): one record's error, not the request's. */
export class RecordFailure extends Error {
  constructor(readonly errors: RecordError[], readonly status = 400) {
    super(errors[0]?.message ?? 'record failure');
    this.name = 'RecordFailure';
  }

  toBody(): SalesforceErrorBody[] {
    return this.errors.map((e) => ({ message: e.message, errorCode: e.statusCode, fields: e.fields }));
  }
}

export function recordError(statusCode: string, message: string, fields: string[] = []): RecordError {
  return { statusCode, message, fields };
}

export const errors = {
  invalidSession: () => new SalesforceError(401, 'INVALID_SESSION_ID', 'Session expired or invalid'),
  notFound: () => new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist'),
  apiDisabled: () => new SalesforceError(403, 'API_DISABLED_FOR_ORG', 'The REST API is not enabled for this Organization.'),
  requestLimit: () => new SalesforceError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
  methodNotAllowed: (method: string, allowed: string[]) =>
    new SalesforceError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed.join(',')}`),
  jsonParser: (message: string) => new SalesforceError(400, 'JSON_PARSER_ERROR', message),
  malformedQuery: (message: string) => new SalesforceError(400, 'MALFORMED_QUERY', message),
  invalidField: (message: string) => new SalesforceError(400, 'INVALID_FIELD', message),
  invalidType: (message: string) => new SalesforceError(400, 'INVALID_TYPE', message),
  malformedId: (label: string, id: string) =>
    new SalesforceError(400, 'MALFORMED_ID', `${label} ID: id value of incorrect type: ${id}`),
  invalidQueryLocator: () => new SalesforceError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator'),
};

/** Writes a Salesforce error body with the headers every REST answer carries. */
export function sendError(res: Response, error: SalesforceError | RecordFailure): void {
  res.status(error instanceof SalesforceError ? error.status : error.status).json(error.toBody());
}
