/**
 * What every risk rule reads: the inputs, plus what the model has already concluded (the rate
 * limit it settled on, the batch plan), so that no rule works either out again.
 */
import type { BatchPlan } from '../../limits/plan/index.js';
import { operationLabel } from '../../spec/index.js';
import type { ReviewInputs, ReviewModel } from '../types.js';

export interface RiskContext {
  inputs: ReviewInputs;
  rateLimit?: ReviewModel['rateLimit'];
  batch?: BatchPlan;
  /** Documented vs exercised, as the model shows it, so the coverage risk says the same. */
  coverage?: ReviewModel['coverage'];
  /** The start of plans made for comparison (the documented limit): the model's `now`. */
  now: Date;
}

/** `GET /invoices` from a drift operation ref (`{ method: 'get', path: '/invoices' }`). */
export function labelOf(op: { method: string; path: string }): string {
  return operationLabel(op);
}

/** `1 of 1 response`, `4 of 4 responses`. */
export function ofResponses(count: number, total: number): string {
  return `${count} of ${total} ${total === 1 ? 'response' : 'responses'}`;
}

/** `50,000`: counts as people read them. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** The operationId recon knows for a label, for stable ids that survive a path rename. */
export function operationIdOf(inputs: ReviewInputs, label: string): string | undefined {
  const fromProbe = inputs.probe?.coverage.entries.find((e) => e.operation === label)?.operationId;
  if (fromProbe !== undefined) return fromProbe;
  return inputs.inventory?.operations.find((op) => operationLabel(op) === label)?.operationId;
}
