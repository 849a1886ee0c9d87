/**
 * Which operation the measurement calls: the one named (`--op`, `--path`), else the cheapest
 * safe one the document offers — a GET without required parameters, shortest path first.
 */
import type { TargetConfig } from '../../config/types.js';
import { UsageError } from '../../errors.js';
import type { HeaderList } from '../../http/types.js';
import { operationLabel, type ApiSpec, type OperationModel } from '../../spec/index.js';
import type { LimitsOperation } from './options.js';

export interface ChooseOperationsInput {
  target: Pick<TargetConfig, 'baseUrl' | 'headers'>;
  spec?: ApiSpec;
  /** operationIds or `GET /path` templates of the document. */
  ops?: string[];
  /** Concrete paths below the base URL (`/customers`), without a document. */
  paths?: string[];
}

/**
 * One operation to ramp on, and a second (when two are named) for the scope check.
 *
 * @example
 * chooseOperations({ target, paths: ['/customers'] });
 * // [{ label: 'GET /customers', request: { method: 'GET', url: 'http://…/api/v1/customers', headers: [...] } }]
 */
export function chooseOperations(input: ChooseOperationsInput): [LimitsOperation] | [LimitsOperation, LimitsOperation] {
  const chosen: LimitsOperation[] = [];
  for (const op of input.ops ?? []) chosen.push(fromDocument(input, findOperation(input.spec, op)));
  for (const path of input.paths ?? []) chosen.push(fromPath(input.target, path));
  if (chosen.length === 0) {
    if (input.spec === undefined) throw new UsageError('no operation to measure: give --path /some/list (a cheap, safe GET) or --spec', { hint: "e.g. recon limits --base-url https://api.vendor.example/v1 --path /customers" });
    chosen.push(fromDocument(input, cheapest(input.spec)));
  }
  if (chosen.length > 2) throw new UsageError(`at most two operations (the second checks whether the limit is shared); got ${chosen.length}`);
  return chosen as [LimitsOperation] | [LimitsOperation, LimitsOperation];
}

function findOperation(spec: ApiSpec | undefined, name: string): OperationModel {
  if (spec === undefined) throw new UsageError(`--op ${name} needs the API document (--spec, or spec: in the target)`, { hint: 'or give --path /concrete/path instead' });
  const wanted = name.trim();
  const found = spec.operations.find((o) => o.operationId === wanted || operationLabel(o) === wanted.replace(/^(\w+)\s+/, (m) => m.toUpperCase()));
  if (found === undefined) {
    const safe = spec.operations.filter(isSafe).map((o) => o.operationId ?? operationLabel(o)).slice(0, 8);
    throw new UsageError(`--op ${name}: no such operation in the document`, { hint: `safe operations: ${safe.join(', ')}` });
  }
  if (!isSafe(found)) throw new UsageError(`--op ${name} is ${found.method.toUpperCase()}: recon measures limits only with safe calls (GET, HEAD)`);
  return found;
}

function cheapest(spec: ApiSpec): OperationModel {
  const candidates = spec.operations.filter((o) => isSafe(o) && o.method === 'get' && !o.parameters.some((p) => p.required && p.in !== 'header'));
  candidates.sort((a, b) => a.path.split('/').length - b.path.split('/').length || a.path.length - b.path.length);
  const pick = candidates[0];
  if (pick === undefined) throw new UsageError('the document has no GET operation without required parameters to measure with', { hint: 'name one with --op <operationId> or --path /concrete/path' });
  return pick;
}

function isSafe(o: OperationModel): boolean {
  return o.method === 'get' || o.method === 'head';
}

function fromDocument(input: ChooseOperationsInput, op: OperationModel): LimitsOperation {
  const label = operationLabel(op);
  let path = op.path;
  const query = new URLSearchParams();
  const headers = baseHeaders(input.target);
  for (const p of op.parameters) {
    if (!p.required) continue;
    const value = p.exampleValues[0];
    if (value === undefined) throw new UsageError(`${label} needs the parameter ${p.name} (${p.in}) and the document gives no example`, { hint: 'pick another --op, or give a concrete --path' });
    if (p.in === 'path') path = path.replaceAll(`{${p.name}}`, encodeURIComponent(String(value)));
    else if (p.in === 'query') query.append(p.name, String(value));
    else if (p.in === 'header') headers.push([p.name, String(value)]);
  }
  const url = joinUrl(input.target.baseUrl, path) + (query.size > 0 ? `?${query}` : '');
  return { label, request: { method: op.method.toUpperCase(), url, headers }, ...(op.operationId !== undefined ? { operationId: op.operationId } : {}) };
}

function fromPath(target: ChooseOperationsInput['target'], path: string): LimitsOperation {
  if (!path.startsWith('/')) throw new UsageError(`--path ${path}: give a path below the base URL, starting with /`);
  return { label: `GET ${path.split('?')[0]}`, request: { method: 'GET', url: joinUrl(target.baseUrl, path), headers: baseHeaders(target) } };
}

function baseHeaders(target: ChooseOperationsInput['target']): HeaderList {
  return [['accept', 'application/json, */*;q=0.5'], ...Object.entries(target.headers)];
}

function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}
