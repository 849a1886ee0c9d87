/**
 * Where an overlay action points: a JSON pointer in the loaded model → an RFC 9535 JSONPath
 * into the vendor's document as written. For Swagger 2.0 the model is the 3.0 conversion, so
 * pointers are mapped back (`/components/schemas/X` → `/definitions/X`, a response's
 * `/content/<media type>/schema` → `/schema`).
 */
import { parsePointer } from '../../spec/pointer.js';
import type { SpecVersion } from '../../spec/types.js';

/**
 * RFC 9535 §2.7: a normalized path, names in single quotes with `'` and `\` escaped.
 * @example jsonPath(['paths', '/customers/{id}', 'get']) // "$['paths']['/customers/{id}']['get']"
 */
export function jsonPath(tokens: readonly (string | number)[]): string {
  let path = '$';
  for (const token of tokens) {
    if (typeof token === 'number') {
      path += `[${token}]`;
      continue;
    }
    let escaped = '';
    for (const char of token) {
      const code = char.charCodeAt(0);
      if (char === "'" || char === '\\') escaped += `\\${char}`;
      else if (char === '\n') escaped += '\\n';
      else if (char === '\r') escaped += '\\r';
      else if (char === '\t') escaped += '\\t';
      else if (code < 0x20) escaped += `\\u${code.toString(16).padStart(4, '0')}`;
      else escaped += char;
    }
    path += `['${escaped}']`;
  }
  return path;
}

/**
 * A pointer's tokens with array indices as numbers (JSONPath writes `[1]` for an index and
 * `['1']` for a name), read off the document it points into.
 */
export function typedTokens(root: unknown, pointer: string): (string | number)[] {
  let node: unknown = root;
  return parsePointer(pointer).map((token) => {
    const isIndex = Array.isArray(node) && /^(0|[1-9]\d*)$/.test(token);
    node = node !== null && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, token) ? (node as Record<string, unknown>)[token] : undefined;
    return isIndex ? Number(token) : token;
  });
}

/** The tokens in the vendor's own document, or undefined when they have no counterpart there. */
export function vendorTokens(tokens: (string | number)[], version: SpecVersion): (string | number)[] | undefined {
  if (version !== '2.0') return tokens;
  if (tokens[0] === 'components') {
    const section = { schemas: 'definitions', responses: 'responses', parameters: 'parameters' }[tokens[1] ?? ''];
    if (section === undefined) return undefined;
    return collapseContent([section, ...tokens.slice(2)]);
  }
  return collapseContent(tokens);
}

/** Swagger 2.0 responses have one `schema`, not one per media type. */
function collapseContent(tokens: (string | number)[]): (string | number)[] {
  const at = tokens.findIndex((token, i) => token === 'content' && tokens[i - 2] === 'responses');
  if (at < 0 || tokens[at + 2] !== 'schema') return at < 0 ? tokens : tokens.slice(0, at);
  return [...tokens.slice(0, at), ...tokens.slice(at + 2)];
}
