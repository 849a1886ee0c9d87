/**
 * JSON Pointer (RFC 6901) helpers.
 */

/** Escape one reference token: `~` → `~0`, `/` → `~1` (RFC 6901 §4). */
export function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** `['paths', '/a/{b}', 'get']` → `/paths/~1a~1{b}/get`. */
export function toPointer(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => '/' + escapeToken(String(t))).join('');
}

export function appendPointer(pointer: string, ...tokens: (string | number)[]): string {
  return pointer + toPointer(tokens);
}

/** Parse a pointer (with or without a leading `#`, URI-fragment encoded or not). */
export function parsePointer(pointer: string): string[] {
  let p = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  if (p === '') return [];
  if (!p.startsWith('/')) throw new Error(`not a JSON pointer: ${pointer}`);
  if (pointer.startsWith('#') && p.includes('%')) {
    try {
      p = decodeURIComponent(p);
    } catch {
      // Leave undecodable percent signs alone: a vendor's key may contain them literally.
    }
  }
  return p.slice(1).split('/').map(unescapeToken);
}

const hasOwn = Object.prototype.hasOwnProperty;

/** The value at `pointer`, or `undefined` when any step is missing. Own properties only. */
export function getAtPointer(root: unknown, pointer: string): unknown {
  let node: unknown = root;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(node)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
      node = node[Number(token)];
    } else if (node !== null && typeof node === 'object') {
      if (!hasOwn.call(node, token)) return undefined;
      node = (node as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return node;
}
