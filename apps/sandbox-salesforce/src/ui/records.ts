import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { RecordFailure, SalesforceError } from '../errors.ts';
import type { FieldDef, StoredRecord } from '../org/fields.ts';
import { CONVERTED_STATUSES, convertLead } from '../org/convert.ts';
import { normaliseId } from '../org/ids.ts';
import { OBJECTS, type ObjectDef } from '../org/metadata.ts';
import type { Org } from '../org/org.ts';
import { formatDateTime } from '../org/values.ts';
import { prepareCreate, prepareDelete, prepareUpdate } from '../org/writes.ts';
import { DEMO_ORG_ID, DEMO_USER_ID } from '../seed/users.ts';
import type { SandboxState } from '../state.ts';
import { escapeHtml, page, PAGE_HEADERS } from './html.ts';

/**
 * A small records UI for the demo org at `/`: list Contacts and Leads, create,
 * edit, delete. Every change goes through the same validation and
 * SystemModstamp logic as the API, so a marketer can change a record "in
 * Salesforce" and watch the sync carry it to Brevo. Everything printed is
 * escaped; forms only accept same-origin posts.
 */
const PAGE_SIZE = 25;
/** The changeOrigin of a save on a record page (Lightning Experience's internal API client). */
const PAGE_ORIGIN = 'com/salesforce/api/soap/62.0;client=SfdcInternalAPI/';
const LIST_COLUMNS: Record<'Contact' | 'Lead', string[]> = {
  Contact: ['Name', 'Email', 'Phone', 'MobilePhone', 'Title', 'LastModifiedDate'],
  Lead: ['Name', 'Company', 'Email', 'Phone', 'Status', 'LastModifiedDate'],
};

type UiObject = 'Contact' | 'Lead';

function uiObject(raw: unknown): ObjectDef & { name: UiObject } {
  const name = String(raw).toLowerCase() === 'lead' ? 'Lead' : 'Contact';
  return OBJECTS[name] as ObjectDef & { name: UiObject };
}

function send(res: Response, status: number, title: string, body: string): void {
  res.status(status).set(PAGE_HEADERS).send(page(title, body));
}

function nav(def: ObjectDef): string {
  const link = (name: UiObject) =>
    `<a href="/?object=${name}"${def.name === name ? ' aria-current="page"' : ''}>${OBJECTS[name].labelPlural}</a>`;
  return `<nav>${link('Contact')} ${link('Lead')} <a href="/records/${def.name}/new">New ${def.label}</a></nav>`;
}

function display(field: FieldDef | undefined, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (field?.type === 'datetime' && typeof value === 'number') return formatDateTime(value).replace('.000+0000', ' UTC').replace('T', ' ');
  return String(value);
}

function listPage(org: Org, def: ObjectDef & { name: UiObject }, pageNumber: number): string {
  const skip = (pageNumber - 1) * PAGE_SIZE;
  const rows: StoredRecord[] = [];
  let seen = 0;
  let more = false;
  for (const row of org.tables[def.name].scanNewestFirst()) {
    if (row.IsDeleted) continue;
    if (seen++ < skip) continue;
    if (rows.length === PAGE_SIZE) {
      more = true;
      break;
    }
    rows.push(row);
  }
  const columns = LIST_COLUMNS[def.name];
  const head = columns.map((c) => `<th scope="col">${escapeHtml(def.byLowerName.get(c.toLowerCase())?.label ?? c)}</th>`).join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${columns
          .map((c, i) => {
            const text = escapeHtml(display(def.byLowerName.get(c.toLowerCase()), row[c]));
            return i === 0 ? `<td><a href="/records/${def.name}/${escapeHtml(row.Id)}">${text || '(no name)'}</a></td>` : `<td>${text}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('\n');
  const pager = [
    pageNumber > 1 ? `<a href="/?object=${def.name}&amp;page=${pageNumber - 1}">Previous</a>` : '',
    `Page ${pageNumber} of ${Math.max(1, Math.ceil(org.tables[def.name].size / PAGE_SIZE))}`,
    more ? `<a href="/?object=${def.name}&amp;page=${pageNumber + 1}">Next</a>` : '',
  ].join(' ');
  return `<main>${nav(def)}<h1>${escapeHtml(def.labelPlural)}</h1>
<p>Recently modified first. Changes here go through Salesforce validation and move SystemModstamp, like an API write.</p>
<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table><p>${pager}</p></main>`;
}

function input(field: FieldDef, value: unknown): string {
  const id = `f-${field.name}`;
  const label = `<label for="${id}">${escapeHtml(field.label)}${field.required ? ' *' : ''} <small>(${escapeHtml(field.name)})</small></label>`;
  const v = value === undefined || value === null ? '' : value;
  switch (field.type) {
    case 'boolean':
      return `<label for="${id}"><input id="${id}" type="checkbox" name="${field.name}" value="true"${v === true ? ' checked' : ''} style="width:auto"> ${escapeHtml(field.label)}</label>`;
    case 'picklist':
      return `${label}<select id="${id}" name="${field.name}"><option value="">--None--</option>${field.picklistValues
        .map((p) => `<option${p === v ? ' selected' : ''}>${escapeHtml(p)}</option>`)
        .join('')}${v !== '' && !field.picklistValues.includes(String(v)) ? `<option selected>${escapeHtml(v)}</option>` : ''}</select>`;
    case 'multipicklist': {
      const chosen = String(v).split(';');
      return `${label}<select id="${id}" name="${field.name}" multiple>${field.picklistValues
        .map((p) => `<option${chosen.includes(p) ? ' selected' : ''}>${escapeHtml(p)}</option>`)
        .join('')}</select>`;
    }
    case 'textarea':
      return `${label}<textarea id="${id}" name="${field.name}" rows="3">${escapeHtml(v)}</textarea>`;
    case 'date':
      return `${label}<input id="${id}" type="date" name="${field.name}" value="${escapeHtml(v)}">`;
    case 'datetime': {
      const text = typeof v === 'number' ? new Date(v).toISOString().slice(0, 16) : '';
      return `${label.replace('</label>', ' UTC</label>')}<input id="${id}" type="datetime-local" name="${field.name}" value="${escapeHtml(text)}">`;
    }
    default:
      // No maxlength: the point is to let Salesforce's own STRING_TOO_LONG show.
      return `${label}<input id="${id}" type="text" name="${field.name}" value="${escapeHtml(v)}">`;
  }
}

function formPage(def: ObjectDef, row: StoredRecord | undefined, values: Record<string, unknown>, problems: string[]): string {
  const editable = def.fields.filter((f) => (row ? f.updateable : f.createable));
  const readOnly = row
    ? def.fields
        .filter((f) => !f.updateable)
        .map((f) => `<tr><th scope="row">${escapeHtml(f.label)}</th><td>${escapeHtml(display(f, f.compute ? f.compute(row, Date.now()) : row[f.name]))}</td></tr>`)
        .join('')
    : '';
  const action = row ? `/records/${def.name}/${escapeHtml(row.Id)}` : `/records/${def.name}`;
  const alert = problems.length ? `<div class="error" role="alert"><ul>${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul></div>` : '';
  const system = row ? `<div class="card"><h2>System information</h2><table>${readOnly}</table></div>` : '';
  if (row && def.name === 'Lead' && row.IsConverted === true) {
    // A converted lead is read-only, as on Salesforce's record page.
    const contactId = escapeHtml(row.ConvertedContactId);
    return `<main>${nav(def)}<h1>Converted ${escapeHtml(def.label)}: ${escapeHtml(row.Name ?? row.Id)}</h1>${alert}
<div class="card"><p role="status">This lead was converted on ${escapeHtml(row.ConvertedDate)} to the contact <a href="/records/Contact/${contactId}">${contactId}</a>. Its fields can no longer be edited.</p></div>
${system}</main>`;
  }
  return `<main>${nav(def)}<h1>${row ? `Edit ${escapeHtml(def.label)}: ${escapeHtml(row.Name ?? row.Id)}` : `New ${escapeHtml(def.label)}`}</h1>
${alert}
<div class="card"><form method="post" action="${action}">
${editable.map((f) => input(f, values[f.name])).join('\n')}
<p><button type="submit">Save</button></p></form>
${row && def.name === 'Lead' ? `<p><a href="${action}/convert">Convert</a></p>` : ''}
${row ? `<form method="post" action="${action}/delete"><button class="danger" type="submit">Delete</button></form>` : ''}</div>
${system}</main>`;
}

/** Salesforce's "Convert Lead" dialog, reduced to what conversion takes: the converted status, and the Account and Contact to use (new ones by default). */
function convertPage(row: StoredRecord, values: Record<string, unknown>, problems: string[]): string {
  const action = `/records/Lead/${escapeHtml(row.Id)}/convert`;
  const text = (name: string) => escapeHtml(values[name] ?? '');
  return `<main>${nav(OBJECTS.Lead)}<h1>Convert Lead: ${escapeHtml(row.Name ?? row.Id)}</h1>
${problems.length ? `<div class="error" role="alert"><ul>${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul></div>` : ''}
<div class="card"><form method="post" action="${action}">
<label for="f-convertedStatus">Converted Status *</label><select id="f-convertedStatus" name="convertedStatus">${CONVERTED_STATUSES.map((status) => `<option>${escapeHtml(status)}</option>`).join('')}</select>
<label for="f-accountId">Existing Account ID <small>(empty: a new Account named after the company)</small></label><input id="f-accountId" type="text" name="accountId" value="${text('accountId')}">
<label for="f-contactId">Existing Contact ID <small>(empty: a new Contact from the lead)</small></label><input id="f-contactId" type="text" name="contactId" value="${text('contactId')}">
<p><button type="submit">Convert</button></p></form></div></main>`;
}

/** Form fields → a JSON-like body: empty → null, checkbox → boolean, multi-select → `a;b`. */
function bodyFromForm(def: ObjectDef, form: Record<string, unknown>, mode: 'create' | 'update'): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of def.fields) {
    if (!(mode === 'create' ? field.createable : field.updateable)) continue;
    const raw = form[field.name];
    if (field.type === 'boolean') body[field.name] = raw === 'true';
    else if (Array.isArray(raw)) body[field.name] = raw.map(String).join(';');
    else if (raw === undefined || raw === '') body[field.name] = null;
    else body[field.name] = field.type === 'datetime' ? `${String(raw)}:00Z` : String(raw);
  }
  return body;
}

/** Whether a submitted form value leaves the stored one as it is (numbers and minute-precision date-times compared as shown). */
function sameAsStored(field: FieldDef, stored: unknown, submitted: unknown): boolean {
  if (stored === undefined || stored === null) return submitted === null;
  if (field.type === 'datetime' && typeof stored === 'number') return `${new Date(stored).toISOString().slice(0, 16)}:00Z` === submitted;
  return String(stored) === String(submitted);
}

function problemsOf(error: unknown): string[] {
  if (error instanceof RecordFailure) return error.errors.map((e) => `${e.statusCode}: ${e.message}`);
  if (error instanceof SalesforceError) return [`${error.errorCode}: ${error.message}`];
  throw error;
}

/** Refuses cross-site form posts (a page elsewhere cannot drive the UI). */
function sameOrigin(req: Request, res: Response, next: NextFunction): void {
  const origin = req.get('origin');
  const site = req.get('sec-fetch-site');
  if ((origin && origin !== `${req.protocol}://${req.get('host')}`) || (site && site !== 'same-origin' && site !== 'none')) {
    send(res, 403, 'Forbidden', '<main><p class="error">Cross-site form posts are refused.</p></main>');
    return;
  }
  next();
}

export function recordsUiRouter(state: SandboxState): Router {
  const router = express.Router();
  const org = () => state.orgs.get(DEMO_ORG_ID)!;
  const form = express.urlencoded({ extended: false, limit: '256kb' });

  const findRow = (def: ObjectDef, raw: unknown): StoredRecord | undefined => {
    const id = normaliseId(String(raw));
    const row = id ? org().tables[def.name].get(id) : undefined;
    return row && !row.IsDeleted ? row : undefined;
  };
  const notFound = (res: Response) => send(res, 404, 'Not found', '<main><p>Record not found or deleted. <a href="/">Back</a></p></main>');
  /** One page save is one transaction, as a Lightning save is. */
  const save = <T>(work: () => T): T => org().changes.transaction({ changeOrigin: PAGE_ORIGIN, userId: DEMO_USER_ID }, work);

  router.get('/', (req, res) => {
    const def = uiObject(req.query.object);
    const pageNumber = Math.max(1, Math.floor(Number(req.query.page) || 1));
    send(res, 200, `${def.labelPlural} | Salesforce sandbox`, listPage(org(), def, pageNumber));
  });

  router.get('/records/:object/new', (req, res) => {
    const def = uiObject(req.params.object);
    send(res, 200, `New ${def.label}`, formPage(def, undefined, {}, []));
  });

  router.post('/records/:object', sameOrigin, form, (req, res) => {
    const def = uiObject(req.params.object);
    const body = bodyFromForm(def, (req.body ?? {}) as Record<string, unknown>, 'create');
    try {
      const row = save(() => prepareCreate(org(), def, body, DEMO_USER_ID).apply());
      res.redirect(303, `/records/${def.name}/${row.Id}`);
    } catch (error) {
      send(res, 400, `New ${def.label}`, formPage(def, undefined, body, problemsOf(error)));
    }
  });

  router.get('/records/:object/:id', (req, res) => {
    const def = uiObject(req.params.object);
    const row = findRow(def, req.params.id);
    if (!row) return notFound(res);
    send(res, 200, `${def.label} ${row.Id}`, formPage(def, row, row, []));
  });

  router.post('/records/:object/:id', sameOrigin, form, (req, res) => {
    const def = uiObject(req.params.object);
    const row = findRow(def, req.params.id);
    if (!row) return notFound(res);
    const submitted = bodyFromForm(def, (req.body ?? {}) as Record<string, unknown>, 'update');
    // Only what changed is written, as Salesforce's own edit page does.
    const changes = Object.fromEntries(Object.entries(submitted).filter(([k, v]) => !sameAsStored(def.byLowerName.get(k.toLowerCase())!, row[k], v)));
    try {
      save(() => prepareUpdate(org(), def, row.Id, changes, DEMO_USER_ID).apply());
      res.redirect(303, `/records/${def.name}/${row.Id}`);
    } catch (error) {
      send(res, 400, `${def.label} ${row.Id}`, formPage(def, row, { ...row, ...submitted }, problemsOf(error)));
    }
  });

  router.get('/records/Lead/:id/convert', (req, res) => {
    const row = findRow(OBJECTS.Lead, req.params.id);
    if (!row) return notFound(res);
    if (row.IsConverted === true) return res.redirect(303, `/records/Lead/${row.Id}`);
    send(res, 200, `Convert Lead ${row.Id}`, convertPage(row, {}, []));
  });

  router.post('/records/Lead/:id/convert', sameOrigin, form, (req, res) => {
    const row = findRow(OBJECTS.Lead, req.params.id);
    if (!row) return notFound(res);
    const submitted = (req.body ?? {}) as Record<string, unknown>;
    const optional = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
    try {
      const result = save(() =>
        convertLead(
          org(),
          { leadId: row.Id, convertedStatus: String(submitted.convertedStatus ?? ''), accountId: optional(submitted.accountId), contactId: optional(submitted.contactId) },
          DEMO_USER_ID,
        ),
      );
      res.redirect(303, `/records/Contact/${result.contactId}`);
    } catch (error) {
      send(res, 400, `Convert Lead ${row.Id}`, convertPage(row, submitted, problemsOf(error)));
    }
  });

  // `https://<instance>/<Id>`: how Salesforce links to a record (the product's record errors do).
  router.get('/:id', (req, res, next) => {
    const id = normaliseId(req.params.id);
    const def = id ? [OBJECTS.Contact, OBJECTS.Lead].find((candidate) => id.startsWith(candidate.keyPrefix)) : undefined;
    if (!id || !def) return next();
    if (!findRow(def, id)) return notFound(res);
    res.redirect(302, `/records/${def.name}/${id}`);
  });

  router.post('/records/:object/:id/delete', sameOrigin, (req, res) => {
    const def = uiObject(req.params.object);
    const row = findRow(def, req.params.id);
    if (!row) return notFound(res);
    try {
      save(() => prepareDelete(org(), def, row.Id, DEMO_USER_ID).apply());
      res.redirect(303, `/?object=${def.name}`);
    } catch (error) {
      send(res, 400, `${def.label} ${row.Id}`, formPage(def, row, row, problemsOf(error)));
    }
  });

  return router;
}
