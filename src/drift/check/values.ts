/**
 * Small facts about JSON values the walk needs: their type as a bit, a bound on numbers, the
 * length of strings as JSON Schema counts it, and where a path points.
 */
import type { JsonType } from '../types.js';
import { T_ARRAY, T_BOOLEAN, T_INTEGER, T_NULL, T_NUMBER, T_OBJECT, T_STRING } from './plan.js';

/** @example typeBit(1.5) === T_NUMBER; typeBit(2) === T_INTEGER */
export function typeBit(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return T_STRING;
    case 'number':
      return Number.isInteger(value) ? T_INTEGER : T_NUMBER;
    case 'boolean':
      return T_BOOLEAN;
    case 'object':
      return value === null ? T_NULL : Array.isArray(value) ? T_ARRAY : T_OBJECT;
    default:
      return 0;
  }
}

export function typeName(bit: number): JsonType {
  switch (bit) {
    case T_NULL: return 'null';
    case T_BOOLEAN: return 'boolean';
    case T_INTEGER: return 'integer';
    case T_NUMBER: return 'number';
    case T_STRING: return 'string';
    case T_ARRAY: return 'array';
    default: return 'object';
  }
}

/** Money with `multipleOf: 0.01` divides into 1998.9999999999998: allow for binary fractions. */
export function isMultipleOf(value: number, divisor: number): boolean {
  const quotient = value / divisor;
  if (Number.isInteger(quotient)) return true;
  if (!Number.isFinite(quotient)) return false;
  return Math.abs(quotient - Math.round(quotient)) <= 1e-9 * Math.max(1, Math.abs(quotient));
}

export function codePoints(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    length++;
  }
  return length;
}

export function pointerOf(path: readonly (string | number)[]): string {
  return path.length === 0 ? '(root)' : path.map((token) => '/' + String(token).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
