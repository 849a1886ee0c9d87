/**
 * Where a probe finds values for parameters: the plan, the document's examples, and values
 * discovered in earlier responses (ids from a list feed the detail operation).
 */
import type { OperationModel, ParameterModel } from '../spec/index.js';

export type ValueSource = 'plan' | 'document' | 'discovered';

export interface ResolvedValue {
  value: unknown;
  source: ValueSource;
}

/** Values seen in response bodies, by field name, and ids by the list path they came from. */
export class DiscoveredValues {
  private readonly byField = new Map<string, unknown[]>();
  private readonly idsByPath = new Map<string, unknown[]>();
  private static readonly MAX_PER_KEY = 5;

  /** Learn from a parsed JSON body returned by `GET path` (a path template). */
  learn(path: string, body: unknown): void {
    const items = listItems(body);
    const ids: unknown[] = [];
    for (const item of items ?? [body]) {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
      for (const [key, value] of Object.entries(item)) {
        if (!isScalarId(value)) continue;
        this.remember(this.byField, key, value);
        if (key === 'id') ids.push(value);
      }
    }
    if (items) for (const id of ids) this.remember(this.idsByPath, path, id);
  }

  /** A value for path parameter `name` of `operation`, from what earlier calls returned. */
  valueFor(operation: OperationModel, parameter: ParameterModel): unknown {
    // `/customers/{customerId}` takes an id from `GET /customers`; so does Tripletex's `/customer/{id}`.
    const parent = parentListPath(operation.path, parameter.name);
    if (parent !== undefined) {
      const ids = this.idsByPath.get(parent);
      if (ids && ids.length > 0) return ids[0];
    }
    const seen = this.byField.get(parameter.name);
    return seen?.[0];
  }

  private remember(map: Map<string, unknown[]>, key: string, value: unknown): void {
    const list = map.get(key) ?? [];
    if (list.length < DiscoveredValues.MAX_PER_KEY && !list.includes(value)) list.push(value);
    map.set(key, list);
  }
}

/** `/customers/{customerId}/contacts`, `customerId` → `/customers`. */
export function parentListPath(path: string, parameter: string): string | undefined {
  const marker = `/{${parameter}}`;
  const at = path.indexOf(marker);
  if (at <= 0) return undefined;
  return path.slice(0, at);
}

/** The array of items in a list response: the body itself, or its one array-valued envelope field. */
export function listItems(body: unknown): unknown[] | undefined {
  if (Array.isArray(body)) return body;
  if (body === null || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  for (const key of ['data', 'values', 'items', 'results', 'records', 'content', 'list']) {
    if (Array.isArray(record[key])) return record[key] as unknown[];
  }
  const arrays = Object.values(record).filter(Array.isArray);
  return arrays.length === 1 ? (arrays[0] as unknown[]) : undefined;
}

function isScalarId(value: unknown): boolean {
  return (typeof value === 'string' && value.length > 0 && value.length <= 128) || (typeof value === 'number' && Number.isFinite(value));
}

/** Plan values by operation, then by name for any operation, then the document's examples. */
export function planOrDocumentValue(
  parameter: ParameterModel,
  forOperation: Record<string, unknown> | undefined,
  global: Record<string, unknown>,
): ResolvedValue | undefined {
  if (forOperation && Object.prototype.hasOwnProperty.call(forOperation, parameter.name)) {
    return { value: forOperation[parameter.name], source: 'plan' };
  }
  if (Object.prototype.hasOwnProperty.call(global, parameter.name)) return { value: global[parameter.name], source: 'plan' };
  if (parameter.exampleValues.length > 0) return { value: parameter.exampleValues[0], source: 'document' };
  return undefined;
}
