import type { AccountState } from '../account-state.ts';
import type { AttributeValue, ContactWrite, IdentifierKind, WriteContext } from '../contacts/model.ts';
import { isPlainObject, normalizeAttributes, normalizeEmail } from '../contacts/normalize.ts';
import { normalizePhone } from '../contacts/phone.ts';
import type { BackgroundProcess, ImportReportKind, RejectedRow } from './processes.ts';

export interface ImportRow {
  email?: unknown;
  attributes: Record<string, unknown>;
}

export interface ImportSettings {
  listIds: number[];
  updateExistingContacts: boolean;
  emptyContactsAttributes: boolean;
  emailBlacklist: boolean;
  smsBlacklist: boolean;
  notifyUrl?: string;
}

export interface ImportRunnerOptions {
  /** Rows handled per event-loop turn: big enough to be fast, small enough to keep the server responsive. */
  chunkSize: number;
  /** How long a new process stays `queued` before it starts (Brevo imports never finish inside the request). */
  startDelayMs: number;
}

export const DEFAULT_IMPORT_OPTIONS: ImportRunnerOptions = { chunkSize: 2_000, startDelayMs: 25 };

/** Fault for tests: the next import(s) stop with status `failed` after this many rows. */
export interface ImportFailure {
  afterRows: number;
  remaining: number;
}

const DUPLICATE_REPORT: Record<IdentifierKind, ImportReportKind> = {
  email: 'duplicate_email_id',
  SMS: 'duplicate_phone_id',
  EXT_ID: 'duplicate_ext_id',
  WHATSAPP: 'duplicate_whatsapp_id',
  LANDLINE_NUMBER: 'duplicate_landline_number_id',
};
const PHONES = ['SMS', 'WHATSAPP', 'LANDLINE_NUMBER'];

/**
 * Runs one IMPORTUSER process in the background: queued → in_process →
 * completed (or failed), in chunks that yield to the event loop. Rows Brevo
 * cannot import are reported per kind (invalid email, identifier already used
 * by another contact or repeated in the file), as GET /processes/{id} links
 * them; attributes the account lacks are ignored ("Any contact attribute that
 * doesn't exist in your account will be ignored at import end").
 */
export class ImportRunner {
  private timers = new Set<NodeJS.Timeout>();
  private running = new WeakMap<AccountState, Promise<void>>();
  private closed = false;
  failure: ImportFailure | undefined;
  /** While paused, new imports stay `queued` (tests and demos that want to watch a process wait). */
  private resumed: Promise<void> = Promise.resolve();
  private resume: (() => void) | undefined;

  get paused(): boolean {
    return this.resume !== undefined;
  }

  setPaused(paused: boolean): void {
    if (paused && !this.resume) this.resumed = new Promise<void>((resolve) => (this.resume = resolve));
    if (!paused && this.resume) {
      this.resume();
      this.resume = undefined;
    }
  }

  constructor(
    public options: ImportRunnerOptions,
    private readonly onFinished: (account: AccountState, process: BackgroundProcess, settings: ImportSettings) => void,
  ) {}

  start(account: AccountState, process: BackgroundProcess, rows: () => Promise<ImportRow[]>, settings: ImportSettings, context: WriteContext): void {
    const failAfter = this.takeFailure();
    // Like Brevo, an account's imports run one after the other, in the order they were requested.
    const previous = this.running.get(account) ?? Promise.resolve();
    const done = previous
      .then(() => this.resumed)
      .then(() => new Promise<void>((resolve) => this.run(account, process, rows, settings, context, failAfter, resolve)));
    this.running.set(account, done);
  }

  private run(
    account: AccountState,
    process: BackgroundProcess,
    rows: () => Promise<ImportRow[]>,
    settings: ImportSettings,
    context: WriteContext,
    failAfter: number | undefined,
    resolve: () => void,
  ): void {
    const finish = () => {
      this.onFinished(account, process, settings);
      resolve();
    };
    this.later(this.options.startDelayMs, async () => {
      process.status = 'in_process';
      let all: ImportRow[];
      try {
        all = await rows();
      } catch (error) {
        this.fail(process, `could not read the import: ${error instanceof Error ? error.message : String(error)}`);
        finish();
        return;
      }
      process.totalRows = all.length;
      const seen = new Map<IdentifierKind, Set<string>>();
      const step = (from: number) => {
        if (this.closed) return;
        const end = Math.min(all.length, from + this.options.chunkSize);
        for (let i = from; i < end; i++) {
          if (failAfter !== undefined && i >= failAfter) {
            this.fail(process, `import stopped after ${failAfter} rows (injected failure)`);
            finish();
            return;
          }
          importRow(account, process, all[i]!, i + 1, settings, context, seen);
          process.processedRows = i + 1;
        }
        if (end < all.length) this.later(0, () => step(end));
        else {
          process.status = 'completed';
          finish();
        }
      };
      step(0);
    });
  }

  close(): void {
    this.closed = true;
    this.setPaused(false);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private takeFailure(): number | undefined {
    if (!this.failure || this.failure.remaining <= 0) return undefined;
    this.failure.remaining--;
    const afterRows = this.failure.afterRows;
    if (this.failure.remaining === 0) this.failure = undefined;
    return afterRows;
  }

  private fail(process: BackgroundProcess, reason: string): void {
    process.status = 'failed';
    process.failureReason = reason;
  }

  private later(ms: number, run: () => void | Promise<void>): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void run();
    }, ms);
    this.timers.add(timer);
  }
}

function reject(process: BackgroundProcess, kind: ImportReportKind, entry: RejectedRow): void {
  let rows = process.rejected.get(kind);
  if (!rows) process.rejected.set(kind, (rows = []));
  rows.push(entry);
}

function importRow(
  account: AccountState,
  process: BackgroundProcess,
  row: ImportRow,
  rowNumber: number,
  settings: ImportSettings,
  context: WriteContext,
  seen: Map<IdentifierKind, Set<string>>,
): void {
  const rawEmail = row.email ?? row.attributes.EMAIL;
  const emailText = rawEmail === undefined || rawEmail === null ? '' : String(rawEmail).trim();
  let email: string | undefined;
  if (emailText !== '') {
    try {
      email = normalizeEmail(emailText);
    } catch {
      reject(process, 'invalid_emails', { row: rowNumber, email: emailText, value: emailText, reason: 'invalid email address' });
      return;
    }
  }
  // Invalid phone numbers are dropped from the row (the import goes on), like other mistyped values.
  const attributesIn: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row.attributes)) {
    if (name === 'EMAIL') continue;
    if (PHONES.includes(name) && value !== '' && value !== null && !(typeof value === 'string' && normalizePhone(value))) continue;
    attributesIn[name] = value;
  }
  const { values } = normalizeAttributes(attributesIn, account.attributes, false);
  const attributes: Record<string, AttributeValue | null> = {};
  for (const [name, value] of Object.entries(values)) if (value !== null || settings.emptyContactsAttributes) attributes[name] = value;
  const write: ContactWrite = { attributes, listIds: settings.listIds };
  if (email) write.email = email;
  if (settings.emailBlacklist) write.emailBlacklisted = true;
  if (settings.smsBlacklist) write.smsBlacklisted = true;

  const identifiers: [IdentifierKind, string][] = [];
  if (email) identifiers.push(['email', email]);
  for (const kind of ['SMS', 'EXT_ID', 'WHATSAPP', 'LANDLINE_NUMBER'] as const) {
    const value = attributes[kind];
    if (typeof value === 'string' && value !== '') identifiers.push([kind, value]);
  }
  if (identifiers.length === 0) {
    reject(process, 'invalid_emails', { row: rowNumber, value: '', reason: 'no email, SMS or ext_id' });
    return;
  }
  for (const [kind, value] of identifiers) {
    let set = seen.get(kind);
    if (!set) seen.set(kind, (set = new Set()));
    if (set.has(value)) {
      reject(process, DUPLICATE_REPORT[kind], { row: rowNumber, ...(email ? { email } : {}), value, reason: 'repeated in the import' });
      return;
    }
  }
  for (const [kind, value] of identifiers) seen.get(kind)!.add(value);

  // A row matches its contact by email, else by ext_id, else by SMS; any other
  // identifier that already belongs to a different contact rejects the row.
  const [mainKind, mainValue] = identifiers.find(([kind]) => kind === 'email') ?? identifiers.find(([kind]) => kind === 'EXT_ID') ?? identifiers[0]!;
  const main = account.contacts.findBy(mainKind, mainValue);
  const clash = identifiers.find(([kind, value]) => {
    const owner = account.contacts.findBy(kind, value);
    return owner !== undefined && owner !== main;
  });
  if (clash) {
    reject(process, DUPLICATE_REPORT[clash[0]], { row: rowNumber, ...(email ? { email } : {}), value: clash[1], reason: 'already used by another contact' });
    return;
  }
  if (main) {
    if (!settings.updateExistingContacts) return;
    account.contacts.update(main, write, context);
    return;
  }
  for (const [name, value] of Object.entries(write.attributes)) if (value === null) delete write.attributes[name];
  account.contacts.create(write, context);
}

/** jsonBody items: `{ email, attributes }` (SDK type) or flat `{ EMAIL, FIRSTNAME, … }` objects. */
export function rowsFromJson(items: unknown[]): ImportRow[] {
  return items.map((item) => {
    if (!isPlainObject(item)) return { attributes: {} };
    if (item.attributes !== undefined || item.email !== undefined) {
      const attributes = isPlainObject(item.attributes) ? { ...item.attributes } : {};
      if (item.ext_id !== undefined && attributes.EXT_ID === undefined) attributes.EXT_ID = item.ext_id;
      return { email: item.email, attributes };
    }
    return { attributes: { ...item } };
  });
}
