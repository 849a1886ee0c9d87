/**
 * The response's header fields as the rate-limit parsers read them: names lower-cased (RFC 9110
 * §5.1: field names are case-insensitive), repeated fields kept in order, and the problems found
 * on the way collected rather than thrown.
 */
import { looksLikeHttpDate } from './http-date.js';

/** Header pairs (`[name, value][]`, a fetch `Headers`) or a Node-style object of name → value(s). */
export type HeaderInput = Iterable<readonly [string, string]> | Record<string, string | string[] | number | undefined>;

export interface FieldContext {
  fields: Map<string, string[]>;
  now: Date;
  problems: string[];
}

export function collectFields(headers: HeaderInput): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  const add = (name: string, value: string) => {
    const key = name.trim().toLowerCase();
    fields.set(key, [...(fields.get(key) ?? []), value.trim()]);
  };
  if (Symbol.iterator in headers) {
    for (const [name, value] of headers as Iterable<readonly [string, string]>) add(name, String(value));
  } else {
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [String(value)]) add(name, one);
    }
  }
  return fields;
}

/**
 * A field's occurrences joined as one comma-separated list, the combination RFC 9110 §5.3
 * allows for list-based fields (and RFC 8941 §4.2 prescribes before parsing).
 */
export function listField(ctx: FieldContext, name: string): string | undefined {
  const values = ctx.fields.get(name);
  return values === undefined ? undefined : values.join(', ');
}

/**
 * The distinct values of a single-valued field. A gateway that stacks its own header on the
 * vendor's sends the field twice (or comma-joined); each value is kept so the caller can choose
 * the conservative one and report the disagreement. HTTP-dates contain a comma and stay whole.
 */
export function scalarValues(ctx: FieldContext, name: string): string[] | undefined {
  const occurrences = ctx.fields.get(name);
  if (occurrences === undefined) return undefined;
  const values = occurrences.flatMap((v) => (looksLikeHttpDate(v) ? [v] : v.split(','))).map((v) => v.trim()).filter((v) => v !== '');
  const distinct = [...new Set(values)];
  return distinct.length === 0 ? [''] : distinct;
}

/** The display name of a field, for problem messages: `x-rate-limit-reset` → `X-Rate-Limit-Reset`. */
export function displayName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase()).replace(/^X-Ratelimit/, 'X-RateLimit').replace(/^Ratelimit/, 'RateLimit');
}

/** Largest count recon believes: a limit above a trillion is a bug or garbage, not a quota. */
export const MAX_COUNT = 1e12;

/**
 * A non-negative whole count (limit, remaining, used) from one field, or undefined with a
 * problem. With several differing values the smallest wins: it is the one that will bite first.
 */
export function countField(ctx: FieldContext, name: string): number | undefined {
  const values = scalarValues(ctx, name);
  if (values === undefined) return undefined;
  const counts: number[] = [];
  for (const value of values) {
    const n = parseCount(value);
    if (typeof n === 'string') ctx.problems.push(`${displayName(name)}: "${value}" ${n}`);
    else counts.push(n);
  }
  if (values.length > 1) ctx.problems.push(`${displayName(name)} has ${values.length} different values (${values.join(', ')}); recon uses the smallest`);
  return counts.length === 0 ? undefined : Math.min(...counts);
}

/** The count, or why it is not one. */
export function parseCount(value: string): number | string {
  if (/^-\d+(\.\d+)?$/.test(value)) return 'is negative';
  if (!/^\d+$/.test(value)) return 'is not a whole number';
  const n = Number(value);
  if (n > MAX_COUNT) return `is implausibly large (over ${MAX_COUNT.toExponential()})`;
  return n;
}

/** `{ key: value }` when value is defined, else `{}`: spread into a reading to leave absent fields out. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The raw values of the named fields, for a reading's `raw`. */
export function raw(ctx: FieldContext, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const values = ctx.fields.get(name);
    if (values !== undefined) out[name] = values.join(', ');
  }
  return out;
}
