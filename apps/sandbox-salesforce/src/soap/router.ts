import express, { type Request, type Response, type Router } from 'express';
import { parseStringPromise } from 'xml2js';
import { RecordFailure } from '../errors.ts';
import { convertLead, type LeadConvertRequest } from '../org/convert.ts';
import { supportedVersion } from '../rest/context.ts';
import type { SandboxState } from '../state.ts';
import { envelope, fault, SoapFault, xmlElement, type XmlValue } from './xml.ts';

/**
 * The partner SOAP API (`POST /services/Soap/u/{version}`), for the one call
 * the product's world needs of it: `convertLead()` (Salesforce has no REST
 * resource for lead conversion). Served as jsforce's `conn.soap.convertLead()`
 * sends it: a `text/xml` envelope whose `SessionHeader.sessionId` carries the
 * access token, answered in Salesforce's envelope (`convertLeadResponse` with
 * one `result` per `leadConverts`, a `LeadConvertResult` each). A bad session is
 * a 500 fault `sf:INVALID_SESSION_ID` (jsforce refreshes on it, as it does on
 * the REST API's 401), calls count against the daily API budget like REST ones,
 * and each call is one Change Data Capture transaction.
 */
const MAX_LEAD_CONVERTS = 100;

type Parsed = Record<string, unknown>;

/** The first property whose name ends with `:local` or is `local` (xml2js keeps prefixes). */
function child(node: unknown, local: string): unknown {
  if (node === null || typeof node !== 'object') return undefined;
  const key = Object.keys(node).find((name) => name === local || name.endsWith(`:${local}`));
  return key === undefined ? undefined : (node as Parsed)[key];
}

/** An element's text (xml2js gives `{ _: text, $: attrs }` when the element has attributes). */
function text(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (node && typeof node === 'object' && typeof (node as Parsed)._ === 'string') return (node as Parsed)._ as string;
  return undefined;
}

function asList(node: unknown): unknown[] {
  if (node === undefined) return [];
  return Array.isArray(node) ? node : [node];
}

function leadConvertOf(node: unknown): LeadConvertRequest {
  const field = (name: string) => text(child(node, name));
  const leadId = field('leadId');
  const convertedStatus = field('convertedStatus');
  if (!leadId || !convertedStatus) {
    throw new SoapFault('sf:INVALID_FIELD', `INVALID_FIELD: ${!leadId ? 'leadId' : 'convertedStatus'} is required`);
  }
  return {
    leadId,
    convertedStatus,
    accountId: field('accountId') ?? null,
    contactId: field('contactId') ?? null,
    ownerId: field('ownerId') ?? null,
    overwriteLeadSource: field('overwriteLeadSource') === 'true',
  };
}

function resultXml(outcome: { leadId: string; accountId: string; contactId: string } | { error: RecordFailure }): XmlValue {
  if ('error' in outcome) {
    return {
      accountId: null,
      contactId: null,
      errors: outcome.error.errors.map((e) => ({ ...(e.fields.length > 0 ? { fields: e.fields } : {}), message: e.message, statusCode: e.statusCode })),
      leadId: null,
      opportunityId: null,
      success: 'false',
    };
  }
  return { accountId: outcome.accountId, contactId: outcome.contactId, leadId: outcome.leadId, opportunityId: null, success: 'true' };
}

export function soapRouter(state: SandboxState): Router {
  const router = express.Router();
  const body = express.text({ type: () => true, limit: '1mb' });

  router.post('/services/Soap/u/:version', body, async (req: Request, res: Response) => {
    const send = (status: number, xml: string) => res.status(status).type('text/xml; charset=utf-8').send(xml);
    try {
      const version = supportedVersion(`v${String(req.params.version)}`);
      if (!version) throw new SoapFault('sf:UNSUPPORTED_API_VERSION', `UNSUPPORTED_API_VERSION: Invalid Api version specified on URL`);
      let parsed: unknown;
      try {
        parsed = await parseStringPromise(typeof req.body === 'string' ? req.body : '', { explicitArray: false });
      } catch {
        throw new SoapFault('soapenv:Client', 'Unable to parse the request envelope');
      }
      const root = child(parsed, 'Envelope');
      const sessionId = text(child(child(child(root, 'Header'), 'SessionHeader'), 'sessionId'));
      const access = sessionId ? state.tokens.findAccess(sessionId) : undefined;
      if (!access) throw new SoapFault('sf:INVALID_SESSION_ID', 'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session');
      const user = state.userById(access.userId)!;
      const org = state.orgOf(user);
      if (!org.apiEnabled) throw new SoapFault('sf:API_DISABLED_FOR_ORG', 'API_DISABLED_FOR_ORG: API is not enabled for this Organization or Partner');
      if (org.apiUsage >= org.apiLimit) throw new SoapFault('sf:REQUEST_LIMIT_EXCEEDED', 'REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.');
      org.apiUsage += 1;

      const call = child(child(root, 'Body'), 'convertLead');
      if (call === undefined) throw new SoapFault('soapenv:Client', 'No operation available for request');
      const requests = asList(child(call, 'leadConverts'));
      if (requests.length === 0 || requests.length > MAX_LEAD_CONVERTS) {
        throw new SoapFault('sf:EXCEEDED_ID_LIMIT', `EXCEEDED_ID_LIMIT: convertLead takes 1 to ${MAX_LEAD_CONVERTS} leadConverts`);
      }
      const converts = requests.map(leadConvertOf);
      const client = text(child(child(child(root, 'Header'), 'CallOptions'), 'client'));
      const origin = `com/salesforce/api/soap/${version}${client ? `;client=${client}` : ''}`;
      // One call, one transaction; each lead converts or fails on its own (the SOAP API's default, allOrNone false).
      const results = org.changes.transaction({ changeOrigin: origin, userId: user.id }, () =>
        converts.map((request) => {
          try {
            return resultXml(convertLead(org, request, user.id));
          } catch (error) {
            if (error instanceof RecordFailure) return resultXml({ error });
            throw error;
          }
        }),
      );
      res.set('Sforce-Limit-Info', `api-usage=${org.apiUsage}/${org.apiLimit}`);
      send(200, envelope(xmlElement('convertLeadResponse', { result: results })));
    } catch (error) {
      if (error instanceof SoapFault) return send(500, fault(error));
      if ((error as { status?: number }).status === 413) return send(413, fault(new SoapFault('soapenv:Client', 'Request entity too large')));
      console.error('salesforce sandbox: unexpected SOAP error', error);
      send(500, fault(new SoapFault('sf:UNKNOWN_EXCEPTION', 'UNKNOWN_EXCEPTION: An unexpected error occurred.')));
    }
  });

  return router;
}
