import { BrevoApiError } from '../errors.ts';

export type ProcessStatus = 'queued' | 'in_process' | 'completed' | 'failed';

/** The per-identifier reports Brevo links from a finished IMPORTUSER process (SDK GetProcessResponse.Info.Import). */
export type ImportReportKind =
  | 'invalid_emails'
  | 'duplicate_contact_id'
  | 'duplicate_ext_id'
  | 'duplicate_email_id'
  | 'duplicate_phone_id'
  | 'duplicate_whatsapp_id'
  | 'duplicate_landline_number_id';

export const IMPORT_REPORT_KINDS: ImportReportKind[] = [
  'invalid_emails',
  'duplicate_contact_id',
  'duplicate_ext_id',
  'duplicate_email_id',
  'duplicate_phone_id',
  'duplicate_whatsapp_id',
  'duplicate_landline_number_id',
];

export interface RejectedRow {
  /** 1-based row number in the import. */
  row: number;
  email?: string;
  value: string;
  reason: string;
}

export interface BackgroundProcess {
  id: number;
  name: 'IMPORTUSER';
  status: ProcessStatus;
  createdAt: number;
  totalRows: number;
  processedRows: number;
  rejected: Map<ImportReportKind, RejectedRow[]>;
  /** Why a failed process stopped (not shown by Brevo's API; shown on the sandbox control routes). */
  failureReason?: string;
}

export class ProcessStore {
  private processes = new Map<number, BackgroundProcess>();
  private nextId = 1;

  create(totalRows: number, now: number): BackgroundProcess {
    const process: BackgroundProcess = {
      id: this.nextId++,
      name: 'IMPORTUSER',
      status: 'queued',
      createdAt: now,
      totalRows,
      processedRows: 0,
      rejected: new Map(),
    };
    this.processes.set(process.id, process);
    return process;
  }

  get(id: number): BackgroundProcess {
    const process = this.processes.get(id);
    // Brevo's reference example for an unknown process: 404 `{ code: 'invalid_parameter', message: 'processId is invalid' }`.
    if (!process) throw new BrevoApiError(404, 'invalid_parameter', 'processId is invalid');
    return process;
  }

  find(id: number): BackgroundProcess | undefined {
    return this.processes.get(id);
  }

  all(): BackgroundProcess[] {
    return [...this.processes.values()];
  }
}
