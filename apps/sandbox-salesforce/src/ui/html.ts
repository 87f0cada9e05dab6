/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Headers for every HTML page: no framing (Salesforce's login refuses it), no inline script. */
export const PAGE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'self'; style-src 'unsafe-inline'; script-src 'none'; frame-ancestors 'none'; form-action 'self' http: https:",
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f3f3f3;color:#181818}
main{max-width:1100px;margin:2rem auto;padding:0 1rem}
.card{background:#fff;border:1px solid #ddd;border-radius:4px;padding:1.5rem;margin-bottom:1rem}
.login{max-width:380px;margin:4rem auto}
label{display:block;font-size:.85rem;margin:.75rem 0 .25rem}
input,select,textarea{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #aaa;border-radius:4px;font:inherit}
button{background:#0176d3;color:#fff;border:0;border-radius:4px;padding:.6rem 1rem;font:inherit;cursor:pointer}
button.danger{background:#ba0517}
.error{color:#ba0517;background:#fef1ee;border:1px solid #ba0517;padding:.5rem;border-radius:4px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #e5e5e5;font-size:.9rem}
nav a{margin-right:1rem}
</style>
</head>
<body>${body}</body>
</html>`;
}
