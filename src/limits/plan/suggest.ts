/**
 * What would make a batch that misses its deadline fit, in words a project manager can act on.
 */
import { effectiveLimitFor } from '../throttle.js';
import type { BatchPlan } from './plan.js';
import { formatDuration, formatLocalDateTime, formatRate, type RateLimit } from './units.js';
import type { AllowedWindow } from './windows.js';

export type SuggestionKind = 'higher-limit' | 'split-runs' | 'more-windows' | 'no-window-before-deadline' | 'no-safety-margin' | 'bulk-endpoints';

export interface Suggestion {
  kind: SuggestionKind;
  message: string;
  /** `higher-limit`: the smallest vendor limit that fits. */
  limit?: RateLimit & { text: string };
  /** `split-runs` / `more-windows`: how many runs or windows. */
  count?: number;
  /** `bulk-endpoints`: the operations. */
  operations?: string[];
}

export interface SuggestContext {
  calls: number;
  limit: RateLimit;
  safetyMargin: number;
  deadlineAt?: number;
  /** Seconds sending is allowed between the start and the deadline. */
  availableSeconds: number | undefined;
  windows?: AllowedWindow[];
  start: Date;
  bulkOperations?: string[];
}

/**
 * @example
 * suggest(plan, context) // [{ kind: 'higher-limit', message: 'a limit of ≥ 117/min would fit the deadline …', limit: { requests: 117, … } }]
 */
export function suggest(plan: BatchPlan, ctx: SuggestContext): Suggestion[] {
  if (plan.fits) return [];
  const out: Suggestion[] = [];
  const window = ctx.limit.windowSeconds;
  const available = ctx.availableSeconds ?? 0;
  if (available <= 0) {
    out.push({ kind: 'no-window-before-deadline', message: 'no allowed window opens before the deadline: allow sending earlier or move the deadline' });
  } else {
    const needed = Math.ceil((ctx.calls * window) / available);
    // The smallest limit whose sending limit (the throttle's, effectiveLimitFor) reaches `needed`.
    let requests = Math.max(1, Math.floor(needed * ctx.safetyMargin));
    while (effectiveLimitFor(requests, ctx.safetyMargin) < needed) requests++;
    const limit = { requests, windowSeconds: window, text: formatRate({ requests, windowSeconds: window }) };
    out.push({
      kind: 'higher-limit',
      message: `a limit of ≥ ${limit.text} would fit the deadline (today ${plan.limit.text}): ask the vendor for a temporary raise for the batch`,
      limit,
    });
    const fullSpeed = Math.ceil((ctx.calls * window) / ctx.limit.requests);
    if (ctx.safetyMargin < 1 && fullSpeed <= available) {
      out.push({
        kind: 'no-safety-margin',
        message: `at the full ${plan.limit.text}, without recon's ${Math.round((1 - ctx.safetyMargin) * 100)}% safety margin (--safety 1), it would just fit — but any other client of the same quota would then cause refusals`,
      });
    }
  }
  if (plan.windows) {
    out.push({
      kind: 'more-windows',
      message: `at ${plan.sendingLimit.text} it needs ${plan.windows.used} ${plan.windows.used === 1 ? 'window' : 'windows'} of ${plan.windows.allowed.join(' + ')} and finishes ${formatLocalDateTime(plan.finish, false)}: move the deadline past that, or open more windows`,
      count: plan.windows.used,
    });
  } else if (ctx.deadlineAt !== undefined) {
    const runSeconds = (ctx.deadlineAt - ctx.start.getTime()) / 1000;
    const runs = Math.ceil(plan.sendingSeconds / runSeconds);
    out.push({
      kind: 'split-runs',
      message: `spreading it over ${runs} runs of at most ${formatDuration(runSeconds)} (e.g. ${runs} nights) fits each run in the time allowed`,
      count: runs,
    });
  }
  if (ctx.bulkOperations?.length) {
    const shown = ctx.bulkOperations.slice(0, 8);
    out.push({
      kind: 'bulk-endpoints',
      message: `the document offers bulk endpoints: ${shown.join(', ')}${ctx.bulkOperations.length > shown.length ? `, and ${ctx.bulkOperations.length - shown.length} more` : ''} — if they take many records per call, the batch needs far fewer calls`,
      operations: ctx.bulkOperations,
    });
  }
  return out;
}
