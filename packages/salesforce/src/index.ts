// Connection, OAuth and describe (the BFF's; the sync uses createSalesforceConnection too).
export { DEFAULT_API_VERSION } from './api-version.ts';
export { createSalesforceConnection, type CreateSalesforceConnectionOptions, type SalesforceConnectionHandle } from './connection.ts';
export { describeObject, toSalesforceField } from './describe.ts';
export { classifySalesforceError, SalesforceAuthRevokedError, type SalesforceErrorClass, type SalesforceErrorKind } from './errors.ts';
export {
  buildAuthorizeUrl,
  createOAuth2,
  createOAuthState,
  createPkcePair,
  exchangeCode,
  fetchIdentity,
  SalesforceOAuthError,
  type PkcePair,
  type SalesforceIdentity,
  type SalesforceOAuthConfig,
  type SalesforceTokenSet,
} from './oauth.ts';
export { configureSalesforceTransport, type SalesforceTransportOptions } from './transport.ts';

// Sync: queries, collections, raw requests, Change Data Capture.
export * from './change-events.ts';
export * from './collections.ts';
export * from './query-stream.ts';
export * from './requester.ts';
export * from './soql.ts';
