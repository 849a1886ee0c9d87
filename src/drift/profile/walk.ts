/**
 * One walk over a parsed JSON body that both the data profile and the baseline shape use:
 * every value is visited once with its folded pointer (`/data/*\/amount`), the object holding
 * it and the property name. The walk is bounded so a hostile body cannot exhaust the stack or
 * the clock: it stops descending at `maxDepth` and visits at most `maxArrayItems` items of any
 * one array; both cuts are counted, never silent.
 */
import { escapeToken } from '../../spec/pointer.js';
import { jsonTypeOf } from '../infer.js';
import type { JsonType } from '../types.js';

export const WALK_LIMITS = {
  /** Nesting below this is not visited (a vendor's data is rarely more than 10 deep). */
  maxDepth: 64,
  /** Items of one array visited; the rest are counted as skipped. */
  maxArrayItems: 10_000,
} as const;

export interface WalkLimits {
  maxDepth: number;
  maxArrayItems: number;
}

/** One value met by the walk. The object is reused between calls: copy what you keep. */
export interface WalkVisit {
  /** Folded JSON pointer: array indices are `*`; '' for the body itself. */
  pointer: string;
  value: unknown;
  type: JsonType;
  /** Pointer of the object holding this value as a property; undefined for the body and for
   * array items (an item is never "absent"). */
  parent: string | undefined;
  /** The property name, when an object holds the value. */
  key: string | undefined;
  /** The object holding the value, when it is a property. */
  holder: Record<string, unknown> | undefined;
}

export interface WalkCuts {
  /** Objects or arrays left unvisited because they lay deeper than `maxDepth`. */
  depthCut: number;
  /** Array items left unvisited beyond `maxArrayItems`. */
  itemsCut: number;
}

/**
 * Visit every value of `body`, parents before children.
 * @example
 * walkJson({ data: [{ id: 1 }] }, (v) => console.log(v.pointer, v.type));
 * // '' object, '/data' array, '/data/*' object, '/data/*\/id' integer
 */
export function walkJson(body: unknown, visit: (v: WalkVisit) => void, limits: WalkLimits = WALK_LIMITS): WalkCuts {
  const cuts: WalkCuts = { depthCut: 0, itemsCut: 0 };
  const v: WalkVisit = { pointer: '', value: body, type: 'null', parent: undefined, key: undefined, holder: undefined };

  const walk = (value: unknown, pointer: string, depth: number, parent: string | undefined, key: string | undefined, holder: Record<string, unknown> | undefined): void => {
    if (value === undefined) return;
    const type = jsonTypeOf(value);
    v.pointer = pointer;
    v.value = value;
    v.type = type;
    v.parent = parent;
    v.key = key;
    v.holder = holder;
    visit(v);
    if (type !== 'object' && type !== 'array') return;
    if (depth >= limits.maxDepth) {
      cuts.depthCut++;
      return;
    }
    if (type === 'array') {
      const items = value as unknown[];
      const n = Math.min(items.length, limits.maxArrayItems);
      cuts.itemsCut += items.length - n;
      const itemPointer = pointer + '/*';
      for (let i = 0; i < n; i++) walk(items[i], itemPointer, depth + 1, undefined, undefined, undefined);
      return;
    }
    const object = value as Record<string, unknown>;
    // Object.keys lists own properties only, so a `__proto__` key from JSON.parse is data here.
    for (const name of Object.keys(object)) {
      // Most names need no escaping; testing first saves two replaces per value.
      const token = name.includes('~') || name.includes('/') ? escapeToken(name) : name;
      walk(object[name], pointer + '/' + token, depth + 1, pointer, name, object);
    }
  };

  walk(body, '', 0, undefined, undefined, undefined);
  return cuts;
}
