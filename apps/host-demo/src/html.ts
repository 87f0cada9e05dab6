/** Trusted markup, inserted as is by `html`. */
export class RawHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export const raw = (value: string): RawHtml => new RawHtml(value);

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

type Value = string | number | boolean | null | undefined | RawHtml | readonly Value[];

function render(value: Value): string {
  if (value instanceof RawHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value);
}

/** Tagged template: every interpolation is escaped unless it is `raw(...)` or another `html` result. */
export function html(strings: TemplateStringsArray, ...values: Value[]): RawHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new RawHtml(out);
}

/** JSON inside <script type="application/json">: `<` escaped so no tag can close it. */
export function jsonForScript(value: unknown): RawHtml {
  return raw(JSON.stringify(value).replace(/</g, '\\u003c'));
}
