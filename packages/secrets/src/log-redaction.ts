/**
 * Field names that hold a credential or a token, in any of our objects and in the HTTP clients' (their errors carry
 * the request's headers). Each is a list of words: a field matches whatever its case and with or without `-` or `_`
 * between the words (`apiKey`, `api_key`, Brevo's `api-key` header; `Authorization` and `authorization`).
 */
const SECRET_FIELDS: readonly (readonly string[])[] = [
  ['authorization'],
  ['cookie'],
  ['set', 'cookie'],
  ['access', 'token'],
  ['refresh', 'token'],
  ['api', 'key'],
  ['code', 'verifier'],
  ['client', 'secret'],
  ['secret'],
  ['password'],
];

const CENSOR = '[redacted]';

const namePattern = (words: readonly string[]) => words.join('[-_]?');
const SECRET_FIELD = new RegExp(`^(?:${SECRET_FIELDS.map(namePattern).join('|')})$`, 'i');
/**
 * A secret field's key anywhere in a JSON line. A key is written `"name":`; inside a string value its quotes are
 * escaped (`\"name\":`), which this does not match. A match only means the line is read to be redacted.
 */
const SECRET_KEY_IN_JSON = new RegExp(`"(?:${SECRET_FIELDS.map(namePattern).join('|')})":`, 'i');

/** Whether a field of this name is a credential, logged as "[redacted]". */
export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name);
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value === null || typeof value !== 'object') return value;
  const redacted: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) redacted[key] = isSecretField(key) ? CENSOR : redactValue(field);
  return redacted;
}

/**
 * One log line as pino wrote it (JSON and a newline), with the value of every secret field replaced by
 * "[redacted]" at any depth: in the logged object, in a child logger's bindings, in a serialized error and whatever
 * `toJSON` gave. A line without a secret field's key (every request line of a normal answer) costs one regular
 * expression test and is written as it is; only a line with one is parsed, redacted and written again.
 */
export function redactLogLine(line: string): string {
  if (!SECRET_KEY_IN_JSON.test(line)) return line;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    // pino writes JSON; should anything else get here, the line is withheld rather than written with a secret.
    return `${JSON.stringify({ msg: `${CENSOR}: a log line with a secret field that is not JSON` })}\n`;
  }
  return `${JSON.stringify(redactValue(parsed))}\n`;
}

/**
 * pino's options for the BFF's and the worker's loggers: every line goes through `redactLogLine` before it is
 * written. pino's own `redact` takes paths, and its `*` is one level: it cannot reach a secret at any depth.
 */
export const LOG_REDACTION = { hooks: { streamWrite: redactLogLine } };
