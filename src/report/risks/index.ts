/**
 * The risk register: every rule's risks, high before medium before low; within a severity, in
 * the order a reader meets them (auth, limits, writes, data, document, coverage). Ids are
 * stable across runs so a register can be diffed and risks tracked.
 *
 * @example
 * const risks = buildRisks({ inputs, rateLimit, batch, now }, buildAuth(inputs));
 * risks[0].id // 'rate-limit-documented'
 */
import type { ReviewModel, Risk, RiskSeverity } from '../types.js';
import { authRisks } from './auth.js';
import type { RiskContext } from './context.js';
import { inventoryRisks, profileRisks } from './data.js';
import { driftRisks } from './drift.js';
import { limitRisks } from './limits.js';
import { coverageRisks, idempotencyRisks, paginationRisks } from './probe.js';

export { buildAuth } from './auth.js';
export { fieldOf, numberWord, recordsOf, siteOf } from './data.js';
export { groupBy } from './drift.js';
export { count, labelOf, ofResponses, operationIdOf, type RiskContext } from './context.js';

const RANK: Record<RiskSeverity, number> = { high: 0, medium: 1, low: 2 };

export function buildRisks(ctx: RiskContext, auth: ReviewModel['auth']): Risk[] {
  const risks = [
    // Auth first: when access fails, nothing behind it was verified.
    ...authRisks(ctx, auth),
    ...limitRisks(ctx),
    ...idempotencyRisks(ctx),
    ...profileRisks(ctx),
    ...paginationRisks(ctx),
    ...driftRisks(ctx),
    ...inventoryRisks(ctx),
    ...coverageRisks(ctx),
    ...nothingExercised(ctx),
  ];
  // Array.prototype.sort is stable (ES2019): equal severities keep the order above.
  return dedupeIds(risks).sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}

function nothingExercised(ctx: RiskContext): Risk[] {
  if (ctx.inputs.probe !== undefined || ctx.inputs.drift !== undefined) return [];
  return [
    {
      id: 'coverage-none',
      severity: 'medium',
      title: 'Nothing was exercised against the vendor',
      evidence: ['no probe.json and no drift.json: every statement of the document is unverified'],
      consequence: 'the quote rests on the document alone; the deviations every vendor has are still to be found',
      mitigation: 'run `recon probe` against the sandbox and `recon drift` on its recording before quoting',
      source: 'coverage',
    },
  ];
}

/** Two risks with one id would break tracking; the second gets a suffix. */
function dedupeIds(risks: Risk[]): Risk[] {
  const seen = new Map<string, number>();
  return risks.map((risk) => {
    const n = seen.get(risk.id) ?? 0;
    seen.set(risk.id, n + 1);
    return n === 0 ? risk : { ...risk, id: `${risk.id}#${n + 1}` };
  });
}
