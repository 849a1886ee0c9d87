/**
 * Latency and drift: the two measurements with a number per operation, each a chart for the
 * shape and a table for the lookup.
 */
import type { ReviewModel } from '../types.js';
import { driftHeatmap, rankOperations } from './chart-drift.js';
import { latencyChart } from './chart-latency.js';
import { html } from './escape.js';
import { notMeasured } from './figure.js';
import { formatCount, formatMs } from './format.js';
import type { Section } from './section.js';
import { table } from './table.js';

/**
 * @example
 * latencySection(model.latency).body; // strip plot, then p50/p95/p99 per operation
 */
export function latencySection(latency: ReviewModel['latency']): Section {
  const chart = latencyChart(latency);
  if (!chart) return { id: 'latency', title: 'Latency', body: notMeasured('latency samples', 'run recon probe to record response times') };
  const rows = [...latency]
    .sort((a, b) => b.p95 - a.p95)
    .map((l) => [html`<code>${l.operation}</code>`, html`${formatCount(l.samples.length)}`, html`${formatMs(l.p50)}`, html`${formatMs(l.p95)}`, html`${formatMs(l.p99)}`]);
  return { id: 'latency', title: 'Latency', body: html`${chart}${table(['Operation', 'Calls', 'p50', 'p95', 'p99'], rows, { className: 'numeric', caption: 'Latency per operation, slowest p95 first' })}` };
}

/**
 * @example
 * driftSection(model.drift).body; // counts, heat map, findings per operation
 */
export function driftSection(drift: ReviewModel['drift']): Section {
  if (!drift) return { id: 'drift', title: 'Drift per operation', body: notMeasured('drift check', 'run recon drift on a recording') };
  const s = drift.summary;
  const counts = html`<dl class="facts-list">
<dt>Exchanges</dt><dd>${formatCount(s.exchanges)} (${formatCount(s.checked)} checked, ${formatCount(s.skipped)} skipped)</dd>
<dt>Operations</dt><dd>${formatCount(s.operationsObserved)} observed of ${formatCount(s.operationsDocumented)} documented</dd>
<dt>Findings</dt><dd><span class="badge sev-error">${formatCount(s.findings.error)} errors</span> <span class="badge sev-warning">${formatCount(s.findings.warning)} warnings</span> <span class="badge sev-info">${formatCount(s.findings.info)} infos</span></dd>
</dl>`;
  const chart = driftHeatmap(drift.byOperation);
  const rows = rankOperations(drift.byOperation).map((o) => [
    html`<code>${o.operation}</code>`,
    html`${formatCount(o.error)}`,
    html`${formatCount(o.warning)}`,
    html`${formatCount(o.info)}`,
    html`${Object.entries(o.kinds)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ×${n}`)
      .join(', ')}`,
  ]);
  const body = html`${counts}${chart ?? html`<p class="empty">The recordings matched the document: no findings.</p>`}${rows.length > 0 ? table(['Operation', 'Errors', 'Warnings', 'Infos', 'Kinds'], rows, { caption: 'Findings per operation, worst first' }) : ''}`;
  return { id: 'drift', title: 'Drift per operation', body };
}
