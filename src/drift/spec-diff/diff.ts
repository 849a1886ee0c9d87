/**
 * `diffSpecs(old, new)`: match the two documents' operations by method and path template
 * (parameter names ignored), compare each pair, and order what was found.
 */
import { SpecLoadError } from '../../errors.js';
import { loadSpec, type ApiSpec, type LoadSpecOptions, type OperationModel } from '../../spec/index.js';
import { SpecDiffLoadError } from './errors.js';
import { compareOperation } from './operation.js';
import { DiffScope } from './scope.js';
import { compareSecuritySchemes, compareServers } from './security.js';
import type { ChangedOperation, DiffedDocument, Side, SpecChange, SpecDiff } from './types.js';

/**
 * Compare two loaded versions of a vendor's API document.
 * @example
 * const diff = diffSpecs(await loadSpec('v1.yaml'), await loadSpec('v2.yaml'));
 * diff.summary.breaking;                       // 3
 * diff.changes.filter((c) => c.breaking).map((c) => c.message);
 */
export function diffSpecs(before: ApiSpec, after: ApiSpec): SpecDiff {
  const changes: SpecChange[] = [];
  const root = new DiffScope(before, after, undefined, changes);
  const document = { uri: after.documents.root.uri, pointer: '' };
  compareServers(root, before.servers, after.servers, document);
  compareSecuritySchemes(root, before.securitySchemes, after.securitySchemes, document);

  const unmatched = new Map<string, OperationModel[]>();
  for (const operation of after.operations) {
    const key = operationKey(operation);
    unmatched.set(key, [...(unmatched.get(key) ?? []), operation]);
  }
  for (const old of before.operations) {
    const candidates = unmatched.get(operationKey(old)) ?? [];
    // Two templates that differ only in parameter names: prefer the one written the same way.
    const index = Math.max(0, candidates.findIndex((c) => c.path === old.path));
    const match = candidates.splice(index, 1)[0];
    if (match) compareOperation(root.forOperation(refOf(match)), old, match);
    else root.forOperation(refOf(old)).report('operation-removed', 'old', old.at, `${label(old)} removed`);
  }
  for (const operation of [...unmatched.values()].flat()) {
    root.forOperation(refOf(operation)).report('operation-added', 'new', operation.at, `${label(operation)} added`);
  }

  const breaking = changes.filter((c) => c.breaking).length;
  return {
    old: describeDocument(before),
    new: describeDocument(after),
    changes: changes.sort(byOperationThenBreaking),
    summary: { breaking, nonBreaking: changes.length - breaking },
  };
}

/**
 * Load both documents and compare them. A document that fails to load is named as the old or
 * the new one (`SpecDiffLoadError`, exit 2), the old one first when both fail.
 * @example
 * const diff = await diffSpecFiles('vendor/v1.yaml', 'vendor/v2.yaml', { cwd: process.cwd() });
 */
export async function diffSpecFiles(oldLocation: string, newLocation: string, options: LoadSpecOptions = {}): Promise<SpecDiff> {
  const [before, after] = await Promise.allSettled([loadSpec(oldLocation, options), loadSpec(newLocation, options)]);
  const loaded = (side: Side, result: PromiseSettledResult<ApiSpec>): ApiSpec => {
    if (result.status === 'fulfilled') return result.value;
    if (result.reason instanceof SpecLoadError) throw new SpecDiffLoadError(side, result.reason);
    throw result.reason;
  };
  return diffSpecs(loaded('old', before), loaded('new', after));
}

/**
 * `get /customer/{}`: parameter names do not change what a client calls.
 * @example operationKey({ method: 'get', path: '/customer/{customerId}/' }) // 'get /customer/{}'
 */
export function operationKey(operation: Pick<OperationModel, 'method' | 'path'>): string {
  const path = operation.path.replace(/\{[^}]*\}/g, '{}').replace(/(.)\/+$/, '$1');
  return `${operation.method} ${path}`;
}

function refOf(operation: OperationModel): ChangedOperation {
  const ref: ChangedOperation = { method: operation.method.toUpperCase(), path: operation.path };
  if (operation.operationId !== undefined) ref.operationId = operation.operationId;
  return ref;
}

function label(operation: OperationModel): string {
  return `${operation.method.toUpperCase()} ${operation.path}`;
}

function describeDocument(spec: ApiSpec): DiffedDocument {
  return { source: spec.source.shown, title: spec.info.title, version: spec.info.version, specVersion: spec.specVersion };
}

const METHOD_ORDER = new Map(['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'].map((m, i) => [m, i]));

/** Document-wide first, then path and method; within an operation, breaking first. Stable otherwise. */
function byOperationThenBreaking(a: SpecChange, b: SpecChange): number {
  if (!a.operation || !b.operation) return (a.operation ? 1 : 0) - (b.operation ? 1 : 0);
  return (
    a.operation.path.localeCompare(b.operation.path) ||
    (METHOD_ORDER.get(a.operation.method) ?? 99) - (METHOD_ORDER.get(b.operation.method) ?? 99) ||
    Number(b.breaking) - Number(a.breaking)
  );
}
