/**
 * Rate limit and batch plan: what the vendor allows, how sure recon is, the measurement over
 * time, and what that means for the batch the project has to run.
 */
import { describePlan, formatRate } from '../../limits/plan/index.js';
import type { ReviewModel } from '../types.js';
import { limitsTimelineChart } from './chart-limits.js';
import { html, type SafeHtml } from './escape.js';
import { notMeasured } from './figure.js';
import { formatCount, formatPercent } from './format.js';
import type { Section } from './section.js';

/**
 * @example
 * rateLimitSection(model).body; // facts, the timeline chart, the batch plan
 */
export function rateLimitSection(model: ReviewModel): Section {
  const parts: SafeHtml[] = [];
  const rl = model.rateLimit;
  if (rl) {
    const rate = formatRate({ requests: rl.limit, windowSeconds: rl.windowSeconds });
    parts.push(html`<p class="conclusion">${rl.conclusion}</p>
<dl class="facts-list">
<dt>Limit</dt><dd><strong>${rate}</strong> (${formatCount(rl.limit)} requests per ${formatCount(rl.windowSeconds)} s)</dd>
<dt>Source</dt><dd>${rl.source}, confidence ${formatPercent(rl.confidence, 1)}</dd>
${rl.policy ? html`<dt>Policy</dt><dd>${rl.policy}</dd>` : ''}
<dt>Documented</dt><dd>${rl.documented ? formatRate({ requests: rl.documented.limit, windowSeconds: rl.documented.windowSeconds }) : 'not documented'}</dd>
</dl>`);
  } else {
    parts.push(notMeasured('rate limit', 'run recon limits against the sandbox'));
  }
  const chart = model.limitsTimeline?.length ? limitsTimelineChart(model.limitsTimeline) : undefined;
  if (chart) parts.push(chart);
  else if (rl) parts.push(html`<p class="muted">No per-call timeline: the limits recording (HAR) was not found.</p>`);
  parts.push(html`<h3>Batch plan</h3>`);
  if (model.batch) {
    parts.push(html`<pre class="plan${model.batch.fits ? '' : ' does-not-fit'}">${describePlan(model.batch).join('\n')}</pre>`);
  } else {
    parts.push(html`<p class="empty">No batch was planned: give the batch size in recon.yaml (or with <code>recon plan --calls</code>) to see how long it takes.</p>`);
  }
  return { id: 'rate-limit', title: 'Rate limit and batch plan', body: html`${parts}` };
}
