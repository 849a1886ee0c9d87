/**
 * Global or per-operation: does a refusal on one operation block the other, does one counter
 * count both?
 */
import type { Estimate, LimitScope } from '../types.js';
import type { Observation } from './caller.js';
import { completeReading } from './from-headers.js';

/** Right after a refusal on `main`, one call to `other`: refused too means one shared limit. */
export function scopeFromRefusal(probe: Observation, other: string, main: string): Estimate<LimitScope> | undefined {
  if (probe.outcome === 'failed') return undefined;
  if (probe.outcome === 'refused') {
    return { value: 'global', source: 'measured', confidence: 0.8, evidence: [`right after ${main} was refused, ${other} was refused too`] };
  }
  return { value: 'per-operation', source: 'measured', confidence: 0.7, evidence: [`right after ${main} was refused, ${other} answered HTTP ${probe.status}`] };
}

/** Two calls to two operations: one counter counting both is one shared limit. */
export function scopeFromHeaders(first: Observation, second: Observation): Estimate<LimitScope> | undefined {
  const a = completeReading(first);
  const b = completeReading(second);
  if (a === undefined || b === undefined || first.operation === second.operation) return undefined;
  if (b.remaining === a.remaining! - 1) {
    return { value: 'global', source: 'headers', confidence: 0.75, evidence: [`${first.operation} left ${a.remaining}, then ${second.operation} left ${b.remaining}: one counter for both`] };
  }
  if (b.remaining! >= a.remaining!) {
    return { value: 'per-operation', source: 'headers', confidence: 0.6, evidence: [`${first.operation} left ${a.remaining}, then ${second.operation} left ${b.remaining}: separate counters`] };
  }
  return undefined;
}
