import { describe, expect, it } from 'vitest';
import { html, jsonForScript, raw } from './html.ts';

describe('html', () => {
  it('escapes interpolations unless marked raw', () => {
    const name = '<img src=x onerror=alert(1)>"\'&';
    expect(String(html`<p title="${name}">${name}</p>`)).toBe('<p title="&#60;img src=x onerror=alert(1)&#62;&#34;&#39;&#38;">&#60;img src=x onerror=alert(1)&#62;&#34;&#39;&#38;</p>');
    expect(String(html`<div>${raw('<b>ok</b>')}${[html`<i>${'a<b'}</i>`]}</div>`)).toBe('<div><b>ok</b><i>a&#60;b</i></div>');
  });

  it('keeps JSON from closing its script element', () => {
    expect(String(jsonForScript({ x: '</script><script>alert(1)</script>' }))).not.toContain('</script>');
  });
});
