import type { RuleIssue } from '@contact-sync/rules';
import type { RecordErrorDoc, RunDirection } from '@contact-sync/store';

/**
 * What the user can do about each record issue, by rule code. Keys under
 * `sync.fix.*`; the English and Italian texts live here so the API and the
 * microfrontend show the same words.
 */
export const FIX_HINTS = {
  en: {
    'sync.fix.phone_digits_out_of_range': 'Correct the phone number in Salesforce: 6 to 16 digits, with an optional leading +.',
    'sync.fix.phone_invalid_characters': 'Remove letters and symbols from the phone number in Salesforce.',
    'sync.fix.phone_not_international': 'Add the country code to the phone number in Salesforce (e.g. +33…).',
    'sync.fix.phone_emptied_kept': 'Nothing to do: Brevo keeps the previous number. Enter a new one in Salesforce to change it.',
    'sync.fix.email_emptied_kept': 'Nothing to do: Brevo keeps the previous email; the other fields keep syncing.',
    'sync.fix.email_invalid': 'Correct the email address in Salesforce.',
    'sync.fix.duplicate': 'Another Brevo contact already has this email or mobile number: change it in Salesforce or merge the contacts in Brevo.',
    'sync.fix.date_invalid': 'Use a valid YYYY-MM-DD date in Brevo.',
    'sync.fix.number_invalid': 'Enter a number in the Brevo attribute.',
    'sync.fix.last_name_emptied': 'Salesforce needs a last name: enter one in Brevo; the other fields were synced.',
    'sync.fix.required_field_emptied': 'Salesforce needs this field: enter a value in Brevo; the other fields were synced.',
    'sync.fix.text_too_long': 'Shorten the value in Brevo to the Salesforce field length, then retry.',
    'sync.fix.delete_refused': 'Salesforce refused the delete (e.g. the Contact has Cases): delete it in Salesforce after handling its related records.',
    'sync.fix.delete_failed': 'Retry; if it keeps failing, check the record in Salesforce.',
    'sync.fix.not_linked': 'Nothing to do: contacts created in Brevo are not created in Salesforce.',
    'sync.fix.invalid_input': 'Check the record\'s values against Brevo\'s formats, then retry.',
    'sync.fix.salesforce_rejected': 'Check the record in Salesforce (validation rules, permissions), then retry.',
  },
  it: {
    'sync.fix.phone_digits_out_of_range': 'Correggi il numero in Salesforce: da 6 a 16 cifre, con + iniziale facoltativo.',
    'sync.fix.phone_invalid_characters': 'Rimuovi lettere e simboli dal numero di telefono in Salesforce.',
    'sync.fix.phone_not_international': 'Aggiungi il prefisso internazionale al numero in Salesforce (es. +39…).',
    'sync.fix.phone_emptied_kept': 'Nessuna azione: Brevo mantiene il numero precedente. Inseriscine uno nuovo in Salesforce per cambiarlo.',
    'sync.fix.email_emptied_kept': 'Nessuna azione: Brevo mantiene l\'email precedente; gli altri campi continuano a sincronizzarsi.',
    'sync.fix.email_invalid': 'Correggi l\'indirizzo email in Salesforce.',
    'sync.fix.duplicate': 'Un altro contatto Brevo ha già questa email o questo cellulare: cambialo in Salesforce o unisci i contatti in Brevo.',
    'sync.fix.date_invalid': 'Usa una data valida AAAA-MM-GG in Brevo.',
    'sync.fix.number_invalid': 'Inserisci un numero nell\'attributo Brevo.',
    'sync.fix.last_name_emptied': 'Salesforce richiede il cognome: inseriscilo in Brevo; gli altri campi sono stati sincronizzati.',
    'sync.fix.required_field_emptied': 'Salesforce richiede questo campo: inserisci un valore in Brevo; gli altri campi sono stati sincronizzati.',
    'sync.fix.text_too_long': 'Accorcia il valore in Brevo alla lunghezza del campo Salesforce, poi riprova.',
    'sync.fix.delete_refused': 'Salesforce ha rifiutato l\'eliminazione (es. il Contatto ha dei Casi): eliminalo in Salesforce dopo aver gestito i record collegati.',
    'sync.fix.delete_failed': 'Riprova; se continua a non riuscire, controlla il record in Salesforce.',
    'sync.fix.not_linked': 'Nessuna azione: i contatti creati in Brevo non vengono creati in Salesforce.',
    'sync.fix.invalid_input': 'Controlla i valori del record rispetto ai formati di Brevo, poi riprova.',
    'sync.fix.salesforce_rejected': 'Controlla il record in Salesforce (regole di convalida, permessi), poi riprova.',
  },
} as const;

const RETRYABLE = new Set(['delete_failed', 'text_too_long', 'invalid_input', 'salesforce_rejected', 'duplicate']);

export interface IssueContext {
  integrationId: string;
  runId: string;
  direction: RunDirection;
  object: string;
  salesforceId: string | null;
  brevoId?: number | null;
  at: Date;
}

export function fixHintKey(code: string): string {
  return `sync.fix.${code}` in FIX_HINTS.en ? `sync.fix.${code}` : 'sync.fix.invalid_input';
}

export function recordErrorOf(issue: RuleIssue, severity: 'error' | 'warning', context: IssueContext): RecordErrorDoc {
  return {
    integrationId: context.integrationId,
    runId: context.runId,
    direction: context.direction,
    object: context.object,
    salesforceId: context.salesforceId,
    brevoId: context.brevoId ?? null,
    field: issue.field ?? null,
    code: issue.code,
    rule: issue.rule,
    messageKey: issue.messageKey,
    params: { ...issue.params },
    severity,
    fixHintKey: fixHintKey(issue.code),
    retryable: severity === 'error' && RETRYABLE.has(issue.code),
    at: context.at,
  };
}
