/** Escapes text for HTML content and attribute values (every dynamic value in the UI goes through this). */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Tagged template that escapes interpolations unless they are already-rendered `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new Html(out);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value);
}

export function page(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Brevo sandbox</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; color: #1f2937; background: #f8fafc; }
  header { background: #0b996e; color: white; padding: .75rem 1.5rem; display: flex; gap: 1.5rem; align-items: center; }
  header a { color: white; }
  main { padding: 1rem 1.5rem; }
  table { border-collapse: collapse; width: 100%; background: white; }
  th, td { border-bottom: 1px solid #e5e7eb; padding: .4rem .6rem; text-align: left; vertical-align: top; font-size: .9rem; }
  th { background: #f1f5f9; }
  code { font-size: .8rem; }
  form.inline { display: inline; }
  label { display: block; margin: .4rem 0; }
  label span { display: inline-block; min-width: 12rem; font-weight: 600; }
  button, input[type=submit] { cursor: pointer; }
  .muted { color: #6b7280; }
  nav.pager { margin: 1rem 0; display: flex; gap: 1rem; }
  iframe { width: 100%; min-height: 12rem; border: 1px solid #e5e7eb; background: white; }
</style>
</head>
<body>
<header><strong>Brevo sandbox</strong><a href="/">Contacts</a><a href="/inbox">Inbox</a></header>
<main>${body}</main>
</body>
</html>`.value;
}
