/**
 * Rate limits and the batch plan in report.md: the measured limit against the documented one,
 * how it was measured, and the plan `recon plan` would print, in `describePlan`'s own words.
 */
import { describePlan, formatDuration, formatRate, type BatchPlan } from '../limits/plan/index.js';
import { codeBlock, formatCount, plainText } from './markdown-text.js';
import type { ReviewModel } from './types.js';

type RateLimitView = NonNullable<ReviewModel['rateLimit']>;

/**
 * One line for the summary: the measured limit, and the documented one when they disagree.
 *
 * @example
 * rateLimitLine(model.rateLimit); // '60/min measured (headers, confidence 95%); the document says 100/min'
 */
export function rateLimitLine(limit: RateLimitView): string {
  const how = provenanceWord(limit.source);
  const line = `${rate(limit.limit, limit.windowSeconds)} ${how} (${provenance(limit)})`;
  const documented = limit.documented;
  if (documented === undefined || how !== 'measured') return line;
  return agrees(limit) ? `${line}, as documented` : `${line}; the document says ${rate(documented.limit, documented.windowSeconds)}`;
}

/**
 * The batch for the summary as Markdown list items, in `describePlan`'s words: how long, when it
 * finishes, whether it meets the deadline, and what would make it fit.
 *
 * @example
 * batchSummary(plan);
 * // ['- 50,000 calls at 60/min (…), sent at 58/min (a 2% safety margin): 14h 22m of sending.',
 * //  '- Finish: Mon 7 Dec 2026 20:22 (UTC+01:00) — 4 calendar days',
 * //  '- Deadline: Sat 5 Dec 2026 06:00 (UTC+01:00) — does NOT fit: 2d 14h too long',
 * //  '- What would make it fit:', '  - a limit of ≥ 72/min would fit the deadline …', …]
 */
export function batchSummary(plan: BatchPlan): string[] {
  const lines = describePlan(plan);
  // The first line is the duration; Finish and Deadline say whether it fits. Start and the
  // window segments belong in the detail section, not on the one screen.
  const kept = [lines[0] ?? '', ...lines.filter((l) => /^(Finish|Deadline):/.test(l)).map((l) => l.replace(/:\s+/, ': '))];
  const out = kept.filter((l) => l !== '').map((l) => `- ${plainText(l)}`);
  if (!plan.fits && plan.suggestions.length > 0) {
    out.push('- What would make it fit:', ...plan.suggestions.map((s) => `  - ${plainText(s.message)}`));
  }
  return out;
}

/**
 * The section: measured limit, documented limit, conclusion, the measurement's own timeline in
 * one line, then the full batch plan.
 *
 * @example
 * renderRateLimits(model); // ['## Rate limits and batch plan', '', '- Measured: **60/min** …', …]
 */
export function renderRateLimits(model: ReviewModel): string[] {
  const limit = model.rateLimit;
  const plan = model.batch;
  if (limit === undefined && plan === undefined) return [];
  const out = ['## Rate limits and batch plan', ''];
  if (limit !== undefined) {
    const how = provenanceWord(limit.source);
    const policy = limit.policy ? `, ${plainText(limit.policy, 40)}` : '';
    out.push(`- ${how === 'measured' ? 'Measured' : how === 'assumed' ? 'Assumed' : 'Documented'}: **${rate(limit.limit, limit.windowSeconds)}**${policy} (${provenance(limit)})`);
    if (limit.documented !== undefined && how === 'measured') {
      const verdict = agrees(limit) ? 'agrees with the measurement' : '**disagrees** with the measurement: plan with the measured limit';
      out.push(`- Documented: ${rate(limit.documented.limit, limit.documented.windowSeconds)}, ${verdict}`);
    }
    if (limit.conclusion) out.push(`- Conclusion: ${plainText(limit.conclusion)}`);
    const timeline = timelineLine(model.limitsTimeline);
    if (timeline !== undefined) out.push(`- Measurement: ${timeline}`);
    out.push('');
  }
  if (plan !== undefined) {
    out.push('### Batch plan', '', ...codeBlock(describePlan(plan)), '');
  }
  return out;
}

function rate(requests: number, windowSeconds: number): string {
  if (!(requests > 0) || !(windowSeconds > 0)) return plainText(`${requests} per ${windowSeconds} s`, 60);
  return plainText(formatRate({ requests, windowSeconds }), 60);
}

/** Provenance: 'headers' and 'measured' were both seen on the wire; the other two were not. */
function provenanceWord(source: RateLimitView['source']): 'measured' | 'documented' | 'assumed' {
  return source === 'documented' || source === 'assumed' ? source : 'measured';
}

/** Same rate, whatever the windows (100/min agrees with 6000/hour). */
function agrees(limit: RateLimitView): boolean {
  const d = limit.documented;
  return d !== undefined && d.limit * limit.windowSeconds === limit.limit * d.windowSeconds;
}

function provenance(limit: RateLimitView): string {
  const confidence = Number.isFinite(limit.confidence) ? `, confidence ${Math.round(limit.confidence * 100)}%` : '';
  return `${plainText(limit.source, 20)}${confidence}`;
}

/** "2 calls over 31 ms; none refused (429); lowest remaining 58". */
function timelineLine(timeline: ReviewModel['limitsTimeline']): string | undefined {
  if (timeline === undefined || timeline.length === 0) return undefined;
  const span = Math.max(...timeline.map((t) => t.atMs)) - Math.min(...timeline.map((t) => t.atMs));
  const refused = timeline.filter((t) => t.status === 429).length;
  const remaining = timeline.flatMap((t) => (t.remaining === undefined ? [] : [t.remaining]));
  const over = span >= 1000 ? formatDuration(span / 1000) : `${Math.round(span)} ms`;
  const parts = [`${formatCount(timeline.length)} ${timeline.length === 1 ? 'call' : 'calls'} over ${over}`, refused === 0 ? 'none refused (429)' : `${formatCount(refused)} refused (429)`];
  if (remaining.length > 0) parts.push(`lowest remaining ${Math.min(...remaining)}`);
  return parts.join('; ');
}
