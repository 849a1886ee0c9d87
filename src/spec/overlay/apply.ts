/**
 * Apply Overlay 1.0 actions to a parsed OpenAPI document, in order (Overlay 1.0.0 §4.4.3).
 *
 * Targets are RFC 9535 JSONPath expressions evaluated by jsonpathly, which never evaluates
 * script (an overlay is input, and input may be hostile) and reads quoted names with `'`, `[`
 * or `\\` in them correctly, as path templates and media types need. `update` is merged into every node the
 * target selects: objects recursively, a primitive replaced, an array extended; `remove: true`
 * deletes the selected nodes from their parents. These are the semantics other Overlay 1.0
 * tools implement (openapi-format, bump-cli, Speakeasy), so an overlay recon writes gives the
 * same document with each of them.
 */
import { paths } from 'jsonpathly';
import { isJsonObject } from '../json.js';
import { OverlayError } from './errors.js';
import type { LoadedOverlay, OverlayApplication } from './types.js';

interface Selected {
  parent: unknown;
  parentProperty: string | number;
  value: unknown;
}

/**
 * Changes `document` in place and reports what matched.
 * @example
 * const report = applyOverlay(document, await readOverlay('acme.overlay.yaml'));
 * report.unmatched; // [{ index: 3, target: "$.paths['/gone'].get" }]
 */
export function applyOverlay(document: unknown, overlay: LoadedOverlay): OverlayApplication {
  const report: OverlayApplication = { source: overlay.source, applied: 0, unmatched: [] };
  overlay.document.actions.forEach((action, index) => {
    if (action.target === '$') {
      if (action.remove === true) throw targetError(overlay, index, 'cannot remove the whole document');
      if (!isJsonObject(action.update)) throw targetError(overlay, index, 'an update of `$` must be an object');
      mergeInto(document as Record<string, unknown>, action.update);
      report.applied++;
      return;
    }
    const selected = select(document, action.target, overlay, index);
    if (selected.length === 0) {
      report.unmatched.push({ index, target: action.target });
      return;
    }
    if (action.remove === true) {
      removeAll(selected);
    } else {
      for (const node of selected) {
        setProperty(node.parent, node.parentProperty, merged(node.value, action.update));
      }
    }
    report.applied++;
  });
  return report;
}

function select(document: unknown, target: string, overlay: LoadedOverlay, index: number): Selected[] {
  try {
    const selected: Selected[] = [];
    for (const path of paths(document, target)) {
      const tokens = normalizedPathTokens(path);
      if (tokens.length === 0) continue;
      let parent: unknown = document;
      for (const token of tokens.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[token];
      const key = tokens[tokens.length - 1]!;
      selected.push({ parent, parentProperty: key, value: (parent as Record<string | number, unknown>)[key] });
    }
    return selected;
  } catch (error) {
    throw targetError(overlay, index, `the target ${JSON.stringify(target)} is not a JSONPath recon can evaluate (${error instanceof Error ? error.message : String(error)})`);
  }
}

/**
 * RFC 9535 §2.7 normalized path (`$['paths']['/a/{id}'][0]`) → its names and indices.
 * @example normalizedPathTokens("$['a']['it\\'s'][2]") // ['a', "it's", 2]
 */
export function normalizedPathTokens(path: string): (string | number)[] {
  const tokens: (string | number)[] = [];
  let i = 1; // past `$`
  while (i < path.length) {
    if (path[i] !== '[') throw new Error(`unexpected ${path[i]} in ${path}`);
    if (path[i + 1] === "'") {
      let name = '';
      i += 2;
      while (path[i] !== "'") {
        if (i >= path.length) throw new Error(`unterminated name in ${path}`);
        if (path[i] === '\\') {
          const next = path[i + 1]!;
          if (next === 'u') {
            name += String.fromCharCode(parseInt(path.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          name += ({ b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' } as Record<string, string>)[next] ?? next;
          i += 2;
          continue;
        }
        name += path[i];
        i++;
      }
      tokens.push(name);
      i += 2; // `']`
    } else {
      const end = path.indexOf(']', i);
      tokens.push(Number(path.slice(i + 1, end)));
      i = end + 1;
    }
  }
  return tokens;
}

/** Removing by index shifts later items: remove from the back of each array. */
function removeAll(selected: Selected[]): void {
  const fromArrays = selected.filter((node) => Array.isArray(node.parent)).sort((a, b) => Number(b.parentProperty) - Number(a.parentProperty));
  for (const node of selected) {
    if (!Array.isArray(node.parent) && isJsonObject(node.parent)) delete node.parent[String(node.parentProperty)];
  }
  for (const node of fromArrays) (node.parent as unknown[]).splice(Number(node.parentProperty), 1);
}

function merged(target: unknown, update: unknown): unknown {
  if (Array.isArray(target)) return [...target, ...(Array.isArray(update) ? update : [update]).map(copy)];
  if (isJsonObject(target) && isJsonObject(update)) {
    mergeInto(target, update);
    return target;
  }
  return copy(update);
}

function mergeInto(target: Record<string, unknown>, update: Record<string, unknown>): void {
  for (const key of Object.keys(update)) {
    const next = Object.prototype.hasOwnProperty.call(target, key) ? merged(target[key], update[key]) : copy(update[key]);
    setProperty(target, key, next);
  }
}

/** `defineProperty`, not assignment: a key named `__proto__` in an overlay stays a plain key. */
function setProperty(parent: unknown, key: string | number, value: unknown): void {
  if (Array.isArray(parent)) parent[Number(key)] = value;
  else Object.defineProperty(parent, String(key), { value, writable: true, enumerable: true, configurable: true });
}

function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (isJsonObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) setProperty(out, key, copy(value[key]));
    return out;
  }
  return value;
}

function targetError(overlay: LoadedOverlay, index: number, message: string): OverlayError {
  return new OverlayError('RECON_OVERLAY_TARGET', `${overlay.source}: /actions/${index}/target: ${message}`);
}
