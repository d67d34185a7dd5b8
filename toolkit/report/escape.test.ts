import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, escapeXml, html, inlineAsset, jsonForScript, raw, safeUrl } from './escape.ts';

describe('escaping', () => {
  it('escapes text and attribute values, and interpolations of the html tag', () => {
    expect(escapeHtml(`<img src=x onerror="alert(1)">'&\``)).toBe(
      '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;&#96;',
    );
    const name = '<script>alert(1)</script>';
    expect(html`<td title="${name}">${name}${raw('<b>ok</b>')}${[name, 1]}${null}</td>`.value).toBe(
      '<td title="&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;<b>ok</b>&lt;script&gt;alert(1)&lt;/script&gt;1</td>',
    );
  });

  it('embeds JSON that cannot close or comment out its script element and parses back unchanged', () => {
    const data = { s: '</script><script>alert(1)</script>', c: '<!-- x -->', a: 'a&b', l: '\u2028\u2029' };
    const text = jsonForScript(data);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(data);
  });

  it('lets only http(s) and relative URLs through', () => {
    expect(safeUrl('lighthouse/run-1.html')).toBe('lighthouse/run-1.html');
    expect(safeUrl('http://127.0.0.1:3000/x')).toBe('http://127.0.0.1:3000/x');
    for (const bad of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'data:text/html,<b>',
      '//evil.example/x',
      'vbscript:x',
    ])
      expect(safeUrl(bad)).toBe('#');
  });

  it('keeps inlined assets inside their element, and escapes XML and Markdown', () => {
    expect(inlineAsset('a="</script>"', 'script').value).toBe('a="<\\/script>"');
    expect(escapeXml('a<b>&"\u0001')).toBe('a&lt;b&gt;&amp;&quot;');
    expect(escapeMarkdown('a|b *c* <i>\nd')).toBe('a\\|b \\*c\\* &lt;i&gt; d');
  });
});
