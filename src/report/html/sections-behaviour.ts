/**
 * How the API behaves beyond its documents: auth, which operations were exercised,
 * pagination and idempotency. Tables, because each row is one operation the reader looks up.
 */
import { formatDuration } from '../../limits/plan/index.js';
import type { ReviewModel } from '../types.js';
import { coverageChart } from './chart-coverage.js';
import { html } from './escape.js';
import { bulletList, verdict, type Section } from './section.js';
import { table } from './table.js';

/**
 * @example
 * authSection(model.auth).body;
 */
export function authSection(auth: ReviewModel['auth']): Section {
  if (auth.length === 0) return { id: 'auth', title: 'Authentication', body: html`<p class="empty">The document declares no authentication scheme, and none was tested.</p>` };
  const rows = auth.map((a) => [
    html`<code>${a.scheme}</code>`,
    html`${a.type}`,
    verdict(a.works, 'works', 'fails'),
    html`${a.tokenLifetimeSeconds === undefined ? '–' : formatDuration(a.tokenLifetimeSeconds)}`,
    html`${a.toOrder ?? '–'}${a.leadTime ? html`<br><span class="muted">lead time ${a.leadTime}</span>` : ''}`,
    bulletList(a.notes, '–'),
  ]);
  return { id: 'auth', title: 'Authentication', body: table(['Scheme', 'Type', 'Works', 'Token lifetime', 'To order', 'Notes'], rows) };
}

/**
 * @example
 * coverageSection(model.coverage).body; // the bar, then operations not exercised first
 */
export function coverageSection(coverage: ReviewModel['coverage']): Section {
  const chart = coverageChart(coverage);
  const ops = [...coverage.operations].sort((a, b) => Number(a.exercised) - Number(b.exercised));
  const rows = ops.map((o) => [html`<code>${o.operation}</code>`, verdict(o.exercised, 'exercised', 'not exercised'), html`${o.why ?? ''}`]);
  const body = html`${chart ?? html`<p class="empty">The document lists no operations.</p>`}
${rows.length > 0 ? table(['Operation', 'Exercised', 'Why not'], rows, { caption: 'Operations, not exercised first' }) : ''}`;
  return { id: 'coverage', title: 'Coverage', body };
}

/**
 * @example
 * paginationSection(model.pagination).body;
 */
export function paginationSection(pagination: ReviewModel['pagination']): Section {
  if (pagination.length === 0) return { id: 'pagination', title: 'Pagination', body: html`<p class="empty">No list operation was checked for pagination.</p>` };
  const rows = [...pagination]
    .sort((a, b) => Number(a.agrees) - Number(b.agrees))
    .map((p) => [html`<code>${p.operation}</code>`, html`${p.documented}`, html`${p.observed}`, verdict(p.agrees, 'agrees', 'differs'), bulletList(p.notes, '')]);
  return { id: 'pagination', title: 'Pagination', body: table(['Operation', 'Documented', 'Observed', 'Agrees', 'Notes'], rows) };
}

/**
 * @example
 * idempotencySection(model.idempotency).body;
 */
export function idempotencySection(idempotency: ReviewModel['idempotency']): Section {
  if (idempotency.length === 0) return { id: 'idempotency', title: 'Idempotency', body: html`<p class="empty">No write operation was checked for idempotency.</p>` };
  const rows = idempotency.map((i) => [html`<code>${i.operation}</code>`, html`<strong>${i.verdict}</strong>`, html`${i.detail}`]);
  return { id: 'idempotency', title: 'Idempotency', body: table(['Operation', 'Verdict', 'Detail'], rows) };
}
