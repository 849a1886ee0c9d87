/**
 * A result in plain words: the one-line conclusion, and the lines of the terminal summary.
 * Reads the result; decides nothing.
 */
import type { Estimate, LimitsResult, RateLimitEstimate } from '../types.js';

/** "high" from 0.8, "medium" from 0.5, else "low". */
export function confidenceWords(confidence: number): string {
  return confidence >= 0.8 ? 'high' : confidence >= 0.5 ? 'medium' : 'low';
}

/**
 * @example
 * conclusionOf(estimate, documented, findings) // 'Limit: 60 requests per 60 s (fixed window) — measured, confidence high; the document says 100 per 60 s: disagreement'
 */
export function conclusionOf(result: Pick<LimitsResult, 'estimate' | 'documented' | 'findings'>, fallback: string): string {
  const { limit, windowSeconds, policy } = result.estimate;
  if (limit === undefined) return fallback;
  const per = windowSeconds !== undefined ? `per ${windowSeconds.value} s` : 'per window of unknown length';
  const kind = policy !== undefined && policy.value !== 'unknown' ? ` (${policy.value.replace('-', ' ')})` : '';
  let text = `Limit: ${limit.value} requests ${per}${kind} — ${limit.source}, confidence ${confidenceWords(Math.min(limit.confidence, windowSeconds?.confidence ?? limit.confidence))}`;
  const documented = result.documented;
  if (documented !== undefined) {
    const disagrees = result.findings.some((f) => f.kind === 'limit-disagreement');
    text += `; the document says ${documented.limit} per ${documented.windowSeconds} s: ${disagrees ? 'disagreement' : 'agrees'}`;
  }
  return text;
}

/** The terminal summary, line by line (no colour: the CLI adds it). */
export function summaryLines(result: LimitsResult): string[] {
  const lines = [`Rate limit of ${result.target} (${result.baseUrl}), on ${result.operations.join(' and ')}`, `  ${result.conclusion}`];
  lines.push(`  ${result.requests} of ${result.budget} requests in ${(result.durationMs / 1000).toFixed(1)} s; ${result.calls.answered} answered, ${result.calls.refused} refused, ${result.calls.failed} failed`);
  if (result.stoppedEarly) lines.push(`  stopped: ${result.stoppedEarly}`);
  const rows: [string, Estimate<unknown> | undefined][] = (['limit', 'windowSeconds', 'burst', 'policy', 'scope', 'concurrency'] as (keyof RateLimitEstimate)[]).map((k) => [k, result.estimate[k]]);
  const shown = rows.filter(([, e]) => e !== undefined);
  if (shown.length > 0) lines.push('', 'Estimate');
  for (const [name, estimate] of shown) {
    lines.push(`  ${name.padEnd(13)} ${String(estimate!.value).padEnd(14)} ${estimate!.source}, confidence ${confidenceWords(estimate!.confidence)} (${estimate!.confidence})`);
    for (const line of estimate!.evidence) lines.push(`                ${line}`);
  }
  if (result.latencyMs) lines.push('', `Latency${result.method === 'ramp' ? ` under load (${result.latencyMs.samples} answered calls, up to ${result.latencyMs.atRatePerSecond}/s)` : ` (${result.latencyMs.samples} answered calls)`}: p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms, max ${result.latencyMs.max} ms`);
  if (result.documented) lines.push('', `The document says: ${result.documented.limit} requests per ${result.documented.windowSeconds} s — "${result.documented.text}"`);
  if (result.findings.length > 0) lines.push('', 'Findings');
  for (const finding of result.findings) lines.push(`  ! ${finding.kind}: ${finding.message}`);
  if (result.notes.length > 0) lines.push('', 'Notes');
  for (const note of result.notes) lines.push(`  - ${note}`);
  if (result.recording) lines.push('', `recording (redacted HAR): ${result.recording}`);
  return lines;
}
