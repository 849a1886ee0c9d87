/**
 * Property-level changes for one (operation, status) both recordings observed: properties added
 * and removed, types changed, and new values in enum-like sets. A change is reported at the
 * highest pointer it applies to: when `/address` is gone, `/address/street` is not reported too.
 */
import type { JsonType, OperationRef } from '../types.js';
import type { BaselineChange, PropertyShape, StatusShape } from './types.js';
import { SHAPE_DEFAULTS } from './types.js';

const ARTICLE: Record<JsonType, string> = {
  null: 'null',
  boolean: 'a boolean',
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  array: 'an array',
  object: 'an object',
};

export function compareProperties(operation: OperationRef, before: StatusShape, after: StatusShape): BaselineChange[] {
  if (before.bodies === 0 || after.bodies === 0) return [];
  const then = new Map(before.properties.map((p) => [p.pointer, p]));
  const now = new Map(after.properties.map((p) => [p.pointer, p]));
  const changes: BaselineChange[] = [];
  const reported: string[] = [];
  const under = (pointer: string): boolean => reported.some((r) => pointer.startsWith(r + '/'));
  const at = { operation, status: after.status };

  // Parents before children, so a reported parent hides its children.
  const pointers = [...new Set([...then.keys(), ...now.keys()])].sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : 1));
  for (const pointer of pointers) {
    if (pointer === '' || under(pointer)) continue;
    const old = then.get(pointer);
    const current = now.get(pointer);
    let change: BaselineChange | undefined;
    if (old !== undefined && (current === undefined || current.present === 0)) {
      // A new recording that stopped summarising pointers cannot say a property is gone.
      if (after.pointersCut === undefined && old.present / before.bodies >= SHAPE_DEFAULTS.removedPresence) {
        change = {
          ...at,
          kind: 'property-removed',
          severity: 'error',
          pointer,
          message: `${name(pointer)} was present in ${old.present} of ${before.bodies} responses, now in none of ${after.bodies}`,
          old: { count: old.present, total: before.bodies, types: old.types.map((t) => t.type) },
          new: { count: 0, total: after.bodies },
        };
      }
    } else if (current !== undefined && (old === undefined || old.present === 0)) {
      if (before.pointersCut === undefined) {
        change = {
          ...at,
          kind: 'property-added',
          severity: 'warning',
          pointer,
          message: `${name(pointer)} is new: present in ${current.present} of ${after.bodies} responses, in none of ${before.bodies} before`,
          old: { count: 0, total: before.bodies },
          new: { count: current.present, total: after.bodies, types: current.types.map((t) => t.type) },
        };
      }
    } else if (old !== undefined && current !== undefined) {
      change = typeChanged(at, pointer, old, current, before.bodies, after.bodies);
      const enumChange = change === undefined ? enumValueAdded(at, pointer, old, current) : undefined;
      if (enumChange !== undefined) changes.push(enumChange);
    }
    if (change !== undefined) {
      changes.push(change);
      reported.push(pointer);
    }
  }
  return changes;
}

function typeChanged(
  at: { operation: OperationRef; status: string },
  pointer: string,
  old: PropertyShape,
  current: PropertyShape,
  oldTotal: number,
  newTotal: number,
): BaselineChange | undefined {
  const was = foldTypes(old);
  const is = foldTypes(current);
  const added = [...is].filter(([type]) => !was.has(type));
  if (added.length === 0) return undefined;
  const onlyNull = added.every(([type]) => type === 'null');
  const describe = (types: [JsonType, number][], total: number): string =>
    types.map(([type, count]) => `${ARTICLE[type]} in ${count} of ${total}`).join(' and ');
  return {
    ...at,
    kind: 'type-changed',
    // A value newly null is more than before, not a contradiction: a warning, not an error.
    severity: onlyNull ? 'warning' : 'error',
    pointer,
    message: `${name(pointer)} was ${describe([...was], oldTotal)} responses, now ${describe(added, newTotal)}`,
    old: { count: old.present, total: oldTotal, types: [...was.keys()] },
    new: { count: added.reduce((n, [, c]) => Math.max(n, c), 0), total: newTotal, types: [...is.keys()] },
  };
}

/** Integer is a kind of number: prices 100 then 99.5 are not a type change. The folded count
 * is a lower bound (a response may hold both). */
function foldTypes(p: PropertyShape): Map<JsonType, number> {
  const types = new Map<JsonType, number>();
  for (const { type, count } of p.types) {
    const folded = type === 'integer' ? 'number' : type;
    types.set(folded, Math.max(types.get(folded) ?? 0, count));
  }
  return types;
}

/** Old values repeated (each seen twice on average) and were few: an enum, so a new value is news. */
function enumValueAdded(at: { operation: OperationRef; status: string }, pointer: string, old: PropertyShape, current: PropertyShape): BaselineChange | undefined {
  if (old.values === undefined || old.valuesOverflow === true || current.values === undefined) return undefined;
  const seen = old.values.reduce((n, v) => n + v.count, 0);
  if (seen < 2 * old.values.length) return undefined;
  const known = new Set(old.values.map((v) => v.value));
  const added = current.values.filter((v) => !known.has(v.value));
  if (added.length === 0) return undefined;
  const count = added.reduce((n, v) => n + v.count, 0);
  const total = current.values.reduce((n, v) => n + v.count, 0);
  const list = added.map((v) => `${v.value} (${v.count})`).join(', ');
  const more = current.valuesOverflow === true ? `; over ${SHAPE_DEFAULTS.maxEnumValues} distinct values now` : '';
  return {
    ...at,
    kind: 'enum-value-added',
    severity: 'warning',
    pointer,
    message: `${name(pointer)} has ${added.length === 1 ? 'a new value' : `${added.length} new values`}: ${list} in ${count} of ${total} values${more}; before: ${old.values.map((v) => v.value).join(', ')}`,
    old: { count: 0, total: seen, values: old.values.map((v) => v.value) },
    new: { count, total, values: added.map((v) => v.value) },
  };
}

function depth(pointer: string): number {
  let n = 0;
  for (const c of pointer) if (c === '/') n++;
  return n;
}

/** The property's own name for messages (`/data/*\/price` → `price`). */
function name(pointer: string): string {
  const last = pointer.slice(pointer.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~');
  return last === '*' || last === '' ? `\`${pointer}\`` : `\`${last}\``;
}
