/**
 * Instance paths → the pointers findings are keyed by: array indices folded to `*`, so that 80
 * invoices with a string `amount` are one finding at `/data/*\/amount`, not 80.
 */
import { escapeToken } from '../spec/pointer.js';
import type { InstancePath } from './types.js';

/**
 * @example foldPointer(['data', 7, 'amount']) // '/data/*\/amount'
 */
export function foldPointer(path: InstancePath): string {
  let pointer = '';
  for (const token of path) pointer += typeof token === 'number' ? '/*' : `/${escapeToken(token)}`;
  return pointer;
}

/** The last property name on a path (what a credential check looks at), if any. */
export function lastPropertyName(path: InstancePath): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const token = path[i];
    if (typeof token === 'string') return token;
  }
  return undefined;
}
