/**
 * Escaping for HTML text and attribute values, and an `html` template tag that escapes every
 * interpolated value unless it is already markup. Model strings come from vendors (operation
 * names, finding messages, header values), so escaping is the default and markup is the
 * exception a renderer has to ask for.
 */

/**
 * Characters that are not safe to show as they are: C0/C1 controls other than tab, newline and
 * carriage return (HTML §13.2.2 parse errors, and invisible), lone surrogates, U+FFFE/U+FFFF, and
 * the bidirectional overrides and isolates that can make text read differently from what it is
 * ("Trojan Source", CVE-2021-42574). They are shown as visible `\uXXXX` so the reader still sees
 * that something was there.
 */
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text safe in element content and in quoted attribute values (both quote kinds are escaped, so
 * one function serves both places).
 *
 * @example
 * escapeHtml('<script>alert("x")</script> & \u0007'); // '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; \\u0007'
 */
export function escapeHtml(text: string): string {
  return text
    .replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Markup that is already safe: produced by {@link html} or by a renderer from numbers it computed. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What may be interpolated into {@link html}; `undefined`, `null` and `false` render nothing. */
export type HtmlValue = string | number | SafeHtml | undefined | null | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'string') return escapeHtml(value);
  return value.map(render).join('');
}

/**
 * Tagged template: the literal parts are markup, every interpolated value is escaped (strings)
 * or inserted as is (`SafeHtml`, numbers); arrays are joined.
 *
 * @example
 * html`<td title="${op}">${op}</td>`.value; // op = '"><script>' → '<td title="&quot;&gt;&lt;script&gt;">&quot;&gt;&lt;script&gt;</td>'
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/**
 * Joins fragments without escaping them again.
 *
 * @example
 * join([html`<li>a</li>`, html`<li>b</li>`]).value; // '<li>a</li><li>b</li>'
 */
export function join(parts: readonly SafeHtml[], separator = ''): SafeHtml {
  return new SafeHtml(parts.map((p) => p.value).join(separator));
}
