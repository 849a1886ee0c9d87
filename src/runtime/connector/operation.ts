/**
 * Find the operation a connector names: an operationId (`createInvoice`) or `METHOD /path`
 * (`post /invoices` works too), and the close matches to offer when it is not there.
 */
import { closestMatch, editDistance } from '../../config/suggest.js';
import { operationLabel, type ApiSpec, type OperationModel } from '../../spec/index.js';

/** @example findOperation(spec, 'POST /invoices')?.operationId // 'createInvoice' */
export function findOperation(spec: ApiSpec, name: string): OperationModel | undefined {
  const wanted = name.trim();
  const label = wanted.replace(/^(\w+)\s+/, (_m, method: string) => `${method.toUpperCase()} `);
  return spec.operations.find((op) => op.operationId === wanted) ?? spec.operations.find((op) => operationLabel(op) === label);
}

/** Up to five names close to `name` (operationIds and `METHOD /path`), closest first. */
export function closeOperations(spec: ApiSpec, name: string): string[] {
  const names = spec.operations.flatMap((op) => (op.operationId ? [op.operationId, operationLabel(op)] : [operationLabel(op)]));
  const wanted = name.trim().toLowerCase();
  const best = closestMatch(name.trim(), names);
  const ranked = names
    .map((candidate) => ({ candidate, distance: editDistance(wanted, candidate.toLowerCase()) }))
    .filter(({ candidate, distance }) => distance <= Math.max(3, wanted.length / 2) || candidate.toLowerCase().includes(wanted))
    .sort((a, b) => a.distance - b.distance)
    .map(({ candidate }) => candidate);
  return [...new Set([...(best ? [best] : []), ...ranked])].slice(0, 5);
}
