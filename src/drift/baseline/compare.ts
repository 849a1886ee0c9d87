/**
 * compareShapes: what changed between an old recording (a previous release, `--baseline OLD`)
 * and a new one. Only what both recordings observed is compared: an operation or status seen
 * in one recording only says nothing about the other, except that the old one was not
 * exercised again (`operation-not-observed`).
 */
import type { OperationRef, Severity } from '../types.js';
import { compareHeaders } from './compare-headers.js';
import { compareProperties } from './compare-properties.js';
import type { BaselineChange, OperationShape, RecordingShape, StatusShape } from './types.js';

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * @example
 * const changes = compareShapes(await readShapeFile('release-1.shape.json'), recorder.shape());
 * // [{ kind: 'type-changed', severity: 'error', pointer: '/data/*\/price',
 * //    message: '`price` was a number in 40 of 40 responses, now a string in 40 of 40', … }]
 */
export function compareShapes(old: RecordingShape, current: RecordingShape): BaselineChange[] {
  const changes: BaselineChange[] = [];
  const now = new Map(current.operations.map((op) => [operationKey(op.operation), op]));
  for (const before of old.operations) {
    const after = now.get(operationKey(before.operation));
    if (after === undefined) {
      changes.push({
        kind: 'operation-not-observed',
        severity: 'info',
        operation: before.operation,
        message: `${label(before.operation)} was observed ${before.samples} times before and not at all now`,
        old: { count: before.samples, total: old.exchanges },
        new: { count: 0, total: current.exchanges },
      });
      continue;
    }
    changes.push(...compareOperation(before, after));
  }
  changes.push(...compareHeaders(old, current));
  return changes.sort(byWorstFirst);
}

function compareOperation(before: OperationShape, after: OperationShape): BaselineChange[] {
  const changes: BaselineChange[] = [];
  const operation = after.operation;
  const now = new Map(after.statuses.map((s) => [s.status, s]));
  const then = new Map(before.statuses.map((s) => [s.status, s]));
  for (const status of before.statuses) {
    const match = now.get(status.status);
    if (match !== undefined) {
      changes.push(...compareMediaTypes(operation, status, match), ...compareProperties(operation, status, match));
      continue;
    }
    changes.push({
      kind: 'status-removed',
      severity: 'error',
      operation,
      status: status.status,
      message: `${status.status} was returned in ${status.samples} of ${before.samples} responses, now in none of ${after.samples}`,
      old: { count: status.samples, total: before.samples },
      new: { count: 0, total: after.samples },
    });
  }
  for (const status of after.statuses) {
    if (then.has(status.status)) continue;
    changes.push({
      kind: 'status-added',
      severity: 'warning',
      operation,
      status: status.status,
      message: `${status.status} is new: returned in ${status.samples} of ${after.samples} responses, never before (${before.samples} responses)`,
      old: { count: 0, total: before.samples },
      new: { count: status.samples, total: after.samples },
    });
  }
  return changes;
}

/** A media type the old recording never showed for this status (JSON turning into HTML). */
function compareMediaTypes(operation: OperationRef, before: StatusShape, after: StatusShape): BaselineChange[] {
  const known = new Set(before.mediaTypes.map((m) => m.value));
  const added = after.mediaTypes.filter((m) => !known.has(m.value));
  if (added.length === 0) return [];
  const was = before.mediaTypes.map((m) => `${m.value} (${m.count} of ${before.samples})`).join(', ');
  const is = added.map((m) => `${m.value} in ${m.count} of ${after.samples}`).join(', ');
  return [
    {
      kind: 'media-type-changed',
      // A body in another media type breaks every parser downstream, like a type change.
      severity: 'error',
      operation,
      status: after.status,
      pointer: '',
      message: `responses were ${was}, now ${is}`,
      old: { count: before.samples, total: before.samples, values: before.mediaTypes.map((m) => m.value) },
      new: { count: added.reduce((n, m) => n + m.count, 0), total: after.samples, values: added.map((m) => m.value) },
    },
  ];
}

export function operationKey(op: OperationRef): string {
  return `${op.method.toUpperCase()} ${op.path}`;
}

function label(op: OperationRef): string {
  return `${op.method.toUpperCase()} ${op.path}`;
}

function byWorstFirst(a: BaselineChange, b: BaselineChange): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    compareText(a.operation ? label(a.operation) : '', b.operation ? label(b.operation) : '') ||
    compareText(a.status ?? '', b.status ?? '') ||
    compareText(a.pointer ?? '', b.pointer ?? '') ||
    compareText(a.kind, b.kind)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
