/**
 * Escaping for XML 1.0 text and attributes (XML 1.0 §2.2, §2.4, §3.3.3).
 */

/**
 * Characters XML 1.0 §2.2 does not allow at all, not even as `&#…;` references: C0 controls other
 * than tab, newline and carriage return, U+FFFE/U+FFFF and lone surrogates. They are written as
 * visible `\uXXXX` text instead, so the file parses and the reader still sees what was there.
 */
const ILLEGAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function legal(text: string): string {
  return text.replace(ILLEGAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Character data. `>` is escaped too, so `]]>` (§2.4) can never appear; `\r` is written as a
 * reference because parsers turn a literal one into `\n` (§2.11).
 *
 * @example
 * escapeXmlText('a < b ]]> c'); // 'a &lt; b ]]&gt; c'
 */
export function escapeXmlText(text: string): string {
  return legal(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/**
 * An attribute value in double quotes. Tab, newline and carriage return are written as references
 * because attribute-value normalisation (§3.3.3) would turn them into spaces.
 *
 * @example
 * escapeXmlAttr('say "hi"\n'); // 'say &quot;hi&quot;&#10;'
 */
export function escapeXmlAttr(text: string): string {
  return escapeXmlText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/**
 * `<name a="1" b="2">`, attributes escaped, undefined ones left out.
 *
 * @example
 * openTag('testcase', { name: 'status 200' }); // '<testcase name="status 200">'
 */
export function openTag(name: string, attributes: Record<string, string | number | undefined>, selfClosing = false): string {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXmlAttr(String(value))}"`)
    .join('');
  return `<${name}${attrs}${selfClosing ? '/>' : '>'}`;
}
