/**
 * Header changes. A header's constant value (`X-Acme-Release: 2025.05`) is compared once for the
 * whole recording; a header that vanished (or appeared) in most responses is one change for the
 * recording, and any other header an operation stopped (or started) sending is reported for
 * that operation and status.
 */
import type { OperationRef } from '../types.js';
import { displayHeaderName } from './headers.js';
import type { BaselineChange, HeaderPresence, RecordingShape } from './types.js';
import { SHAPE_DEFAULTS } from './types.js';

export function compareHeaders(old: RecordingShape, current: RecordingShape): BaselineChange[] {
  const changes: BaselineChange[] = [];
  const then = new Map(old.headers.map((h) => [h.name, h]));
  const now = new Map(current.headers.map((h) => [h.name, h]));
  const min = SHAPE_DEFAULTS.minHeaderSamples;
  /** Names reported for the whole recording, not again per operation. */
  const reported = new Set<string>();

  for (const before of old.headers) {
    const after = now.get(before.name);
    const pointer = `header:${displayHeaderName(before.name)}`;
    if (after === undefined || after.present === 0) {
      if (before.present / old.exchanges < SHAPE_DEFAULTS.removedPresence || current.exchanges === 0) continue;
      reported.add(before.name);
      changes.push({
        kind: 'header-removed',
        severity: 'error',
        pointer,
        message: `${displayHeaderName(before.name)} was sent in ${before.present} of ${old.exchanges} responses, now in none of ${current.exchanges}`,
        old: { count: before.present, total: old.exchanges },
        new: { count: 0, total: current.exchanges },
      });
      continue;
    }
    if (before.value === undefined || after.value === undefined || before.value === after.value) continue;
    if (before.present < min || after.present < min) continue;
    changes.push({
      kind: 'header-changed',
      severity: 'info',
      pointer,
      message: `${displayHeaderName(before.name)}: ${before.value} → ${after.value} (constant in ${before.present} and ${after.present} responses)`,
      old: { count: before.present, total: old.exchanges, values: [before.value] },
      new: { count: after.present, total: current.exchanges, values: [after.value] },
    });
  }
  for (const after of current.headers) {
    if (then.has(after.name) || after.present / current.exchanges < SHAPE_DEFAULTS.removedPresence || old.exchanges === 0) continue;
    reported.add(after.name);
    changes.push({
      kind: 'header-added',
      severity: 'warning',
      pointer: `header:${displayHeaderName(after.name)}`,
      message: `${displayHeaderName(after.name)} is new: sent in ${after.present} of ${current.exchanges} responses, in none of ${old.exchanges} before`,
      old: { count: 0, total: old.exchanges },
      new: { count: after.present, total: current.exchanges, ...(after.value !== undefined ? { values: [after.value] } : {}) },
    });
  }
  changes.push(...perOperation(old, current, reported));
  return changes;
}

/** Headers an operation + status stopped (or started) sending, unless already reported for the
 * whole recording: `Location` gone from the `201` of one create operation. */
function perOperation(old: RecordingShape, current: RecordingShape, reported: Set<string>): BaselineChange[] {
  const changes: BaselineChange[] = [];
  const statuses = new Map<string, { operation: OperationRef; samples: number; headers: HeaderPresence[] }>();
  for (const op of current.operations) {
    for (const s of op.statuses) statuses.set(`${op.operation.method.toUpperCase()} ${op.operation.path} ${s.status}`, { operation: op.operation, ...s });
  }
  for (const op of old.operations) {
    for (const before of op.statuses) {
      const after = statuses.get(`${op.operation.method.toUpperCase()} ${op.operation.path} ${before.status}`);
      if (after === undefined) continue;
      const afterNames = new Map(after.headers.map((h) => [h.name, h.present]));
      const beforeNames = new Map(before.headers.map((h) => [h.name, h.present]));
      for (const h of before.headers) {
        if (reported.has(h.name) || afterNames.has(h.name) || h.present / before.samples < SHAPE_DEFAULTS.removedPresence) continue;
        changes.push(headerChange('header-removed', 'error', after.operation, before.status, h.name, h.present, before.samples, 0, after.samples));
      }
      for (const h of after.headers) {
        if (reported.has(h.name) || beforeNames.has(h.name) || h.present / after.samples < SHAPE_DEFAULTS.removedPresence) continue;
        changes.push(headerChange('header-added', 'warning', after.operation, before.status, h.name, 0, before.samples, h.present, after.samples));
      }
    }
  }
  return changes;
}

function headerChange(
  kind: 'header-removed' | 'header-added',
  severity: 'error' | 'warning',
  operation: OperationRef,
  status: string,
  name: string,
  oldCount: number,
  oldTotal: number,
  newCount: number,
  newTotal: number,
): BaselineChange {
  const shown = displayHeaderName(name);
  const message =
    kind === 'header-removed'
      ? `${shown} was sent in ${oldCount} of ${oldTotal} responses, now in none of ${newTotal}`
      : `${shown} is new here: sent in ${newCount} of ${newTotal} responses, in none of ${oldTotal} before`;
  return { kind, severity, operation, status, pointer: `header:${shown}`, message, old: { count: oldCount, total: oldTotal }, new: { count: newCount, total: newTotal } };
}
