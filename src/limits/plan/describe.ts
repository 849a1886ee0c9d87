/**
 * A batch plan in plain words, for a project manager: how long, when it ends, whether it fits,
 * and what would make it fit. Reads the plan only (rendering stays apart from planning).
 */
import type { BatchPlan } from './plan.js';
import { formatDuration, formatLocalDateTime as human } from './units.js';

/**
 * @example
 * describePlan(planBatch({ calls: 50_000, limit: { requests: 100, windowSeconds: 60 }, start }))
 * // ['50,000 calls at 100/min, sent at 90/min (a 10% safety margin): 9h 16m of sending.', 'Start:  Fri 4 Dec 2026 18:00 (UTC+00:00)', …]
 */
export function describePlan(plan: BatchPlan): string[] {
  const lines: string[] = [];
  const margin = Math.round((1 - plan.safetyMargin) * 100);
  const source = plan.limit.source === undefined ? '' : ` (${plan.limit.source})`;
  lines.push(
    `${count(plan.calls)} calls at ${plan.limit.text}${source}, sent at ${plan.sendingLimit.text}` +
      `${margin > 0 ? ` (a ${margin}% safety margin)` : ' (no safety margin)'}: ${formatDuration(plan.sendingSeconds)} of sending.`,
  );
  lines.push(`Start:    ${human(plan.start)}`);
  lines.push(`Finish:   ${human(plan.finish)}${plan.spansDays > 1 ? ` — ${plan.spansDays} calendar days` : ' — the same day'}`);
  if (plan.windows) {
    const w = plan.windows;
    lines.push(`Windows:  ${w.allowed.join(' + ')} — ${w.used} ${w.used === 1 ? 'window' : 'windows'} used`);
    for (const s of w.segments.slice(0, 10)) lines.push(`          ${human(s.start, false)} → ${human(s.end, false)}  ${count(s.calls)} calls`);
    if (w.segments.length > 10 || w.used > w.segments.length) lines.push(`          … and ${w.used - 10} more`);
  }
  if (plan.deadline) {
    const d = plan.deadline;
    lines.push(
      `Deadline: ${human(d.at)} — ${d.fits ? `fits, with ${formatDuration(d.marginSeconds)} to spare` : `does NOT fit: ${formatDuration(-d.marginSeconds)} too long`}`,
    );
  }
  if (plan.suggestions.length > 0) {
    lines.push('', 'What would make it fit:');
    for (const s of plan.suggestions) lines.push(`  - ${s.message}`);
  }
  return lines;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
