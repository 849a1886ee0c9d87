/**
 * Rate-limit risks: the measured limit against the documented one, and what the limit does to
 * the batch the project has to run (the number a fixed price depends on).
 */
import { formatDuration, planBatch, type BatchPlan } from '../../limits/plan/index.js';
import type { LimitFinding } from '../../limits/types.js';
import type { Risk } from '../types.js';
import { count, type RiskContext } from './context.js';

/**
 * @example
 * limitRisks(ctx).map((r) => r.id) // ['rate-limit-documented', 'rate-limit-batch']
 */
export function limitRisks(ctx: RiskContext): Risk[] {
  const { limits, inventory } = ctx.inputs;
  if (limits === undefined) {
    const said = inventory?.rateLimits.statements[0]?.text;
    return [
      {
        id: 'rate-limit-unmeasured',
        severity: ctx.inputs.batch === undefined ? 'low' : 'medium',
        title: 'The rate limit was not measured',
        evidence: [said === undefined ? 'no limits.json, and the document states no limit' : `no limits.json; the document says: "${said}"`],
        consequence: ctx.inputs.batch === undefined ? 'batch durations cannot be planned from a measured number' : `the ${count(ctx.inputs.batch.calls)}-call batch cannot be planned from a measured number`,
        mitigation: 'run `recon limits` against the sandbox before quoting, or get the limit in writing from the vendor',
        source: 'limits',
      },
    ];
  }
  const risks: Risk[] = [];
  for (const finding of limits.findings) {
    if (finding.kind === 'limit-disagreement') risks.push(disagreementRisk(ctx, finding));
    else risks.push(headerRisk(finding));
  }
  const batch = batchRisk(ctx);
  if (batch !== undefined) risks.push(batch);
  return risks;
}

function disagreementRisk(ctx: RiskContext, finding: LimitFinding): Risk {
  const documented = finding.documented;
  const observed = finding.observed;
  const lower = documented?.limit !== undefined && observed?.limit !== undefined && rate(observed) < rate(documented);
  const evidence = [finding.message];
  if (documented?.text !== undefined) evidence.push(`the document: "${documented.text}"${documented.location === undefined ? '' : ` (${documented.location})`}`);
  evidence.push(...(ctx.inputs.limits?.estimate.limit?.evidence ?? []));
  const plan = ctx.batch;
  const atDocumented = plan !== undefined && documented?.limit !== undefined && documented.windowSeconds !== undefined ? planAt(ctx, plan, documented.limit, documented.windowSeconds) : undefined;
  let consequence = lower
    ? 'anything sized on the documented limit (batch durations, sync intervals, worker counts) is too optimistic'
    : 'the documented limit cannot be relied on: the runtime must throttle to what the headers say';
  if (plan !== undefined && atDocumented !== undefined) {
    consequence += `: the ${count(plan.calls)}-call batch takes ${formatDuration(plan.sendingSeconds)} at ${plan.limit.text}, not ${formatDuration(atDocumented.sendingSeconds)} at ${atDocumented.limit.text}`;
  }
  return {
    id: 'rate-limit-documented',
    severity: lower ? (plan !== undefined && !plan.fits ? 'high' : 'medium') : 'low',
    title: lower ? 'The rate limit is lower than documented' : 'The rate limit differs from the document',
    evidence,
    consequence,
    mitigation: 'quote on the measured limit; ask the vendor which limit applies in production and whether it can be raised; throttle the runtime to the headers',
    source: 'limits',
  };
}

function headerRisk(finding: LimitFinding): Risk {
  return {
    id: `limits:${finding.kind}`,
    severity: finding.severity === 'error' ? 'medium' : 'low',
    title: finding.kind === 'documented-headers-missing' ? 'Documented rate-limit headers are not sent' : 'Rate-limit headers cannot be read',
    evidence: [finding.message, ...(finding.observed?.problems ?? [])],
    consequence: 'the runtime cannot adapt to the remaining quota from the headers; it must rely on the configured limit and on Retry-After',
    mitigation: 'configure the limit explicitly in the connector and keep the safety margin; ask the vendor which headers are sent',
    source: 'limits',
  };
}

/** The batch does not fit its deadline or windows at the limit the model settled on. */
function batchRisk(ctx: RiskContext): Risk | undefined {
  const plan = ctx.batch;
  if (plan === undefined || plan.fits) return undefined;
  const margin = Math.round((1 - plan.safetyMargin) * 100);
  const limitWords = `${plan.limit.text} with the runtime's safety margin (${margin}%: sent at ${plan.sendingLimit.text})`;
  const deadline = plan.deadline;
  const deadlineWords = deadline === undefined ? 'its window' : formatDuration(durationSeconds(plan.start, deadline.at));
  const evidence = [
    `${count(plan.calls)} calls at ${limitWords}: ${formatDuration(plan.sendingSeconds)} of sending`,
    `finishes ${plan.finish}${deadline === undefined ? '' : `; deadline ${deadline.at}, overrun by ${formatDuration(-deadline.marginSeconds)}`}`,
  ];
  if (plan.windows !== undefined) evidence.push(`allowed windows: ${plan.windows.allowed.join(' + ')} (${plan.windows.used} used)`);
  return {
    id: 'rate-limit-batch',
    severity: 'high',
    title: `The ${count(plan.calls)}-call batch does not fit ${deadlineWords}`,
    evidence,
    consequence: `the ${count(plan.calls)}-call batch takes ${formatDuration(plan.sendingSeconds)} at ${limitWords}: it does not fit ${deadlineWords}`,
    mitigation: plan.suggestions.length > 0 ? plan.suggestions.map((s) => s.message).join('; ') : 'ask the vendor for a higher limit or a bulk endpoint, or split the batch over more windows',
    source: 'limits',
  };
}

function planAt(ctx: RiskContext, plan: BatchPlan, requests: number, windowSeconds: number): BatchPlan | undefined {
  try {
    return planBatch({ calls: plan.calls, limit: { requests, windowSeconds }, safetyMargin: plan.safetyMargin, start: ctx.now });
  } catch {
    return undefined; // a limit the planner refuses is not worth a comparison
  }
}

function rate(limit: { limit?: number; windowSeconds?: number }): number {
  return (limit.limit ?? 0) / (limit.windowSeconds ?? 1);
}

function durationSeconds(fromIso: string, toIso: string): number {
  return (Date.parse(toIso) - Date.parse(fromIso)) / 1000;
}
