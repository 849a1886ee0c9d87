/**
 * The per-operation sections of report.md: coverage, pagination, idempotency, latency and the
 * drift summary. Each returns no lines when the model has nothing for it, so the report lists
 * the section under "Missing stages" instead of showing an empty table.
 */
import { table } from '../drift/render/markdown-escape.js';
import { code, formatCount, formatMs, plainText } from './markdown-text.js';
import type { ReviewModel } from './types.js';

/** Below this many samples, p95 and p99 are simply the slowest call: say so. */
const FEW_SAMPLES = 20;
const KINDS_SHOWN = 8;

/**
 * @example
 * renderCoverage(model.coverage); // ['## Coverage', '', 'Exercised **11 of 15** documented operations.', …]
 */
export function renderCoverage(coverage: ReviewModel['coverage'] | undefined): string[] {
  if (coverage === undefined || (coverage.documented === 0 && coverage.operations.length === 0)) return [];
  const out = ['## Coverage', '', `Exercised **${coverage.exercised} of ${coverage.documented}** documented operations.`, ''];
  const notExercised = coverage.operations.filter((o) => !o.exercised);
  if (notExercised.length === 0) out.push('Every operation listed was exercised.', '');
  else {
    out.push('Not exercised:', '');
    out.push(...table(['Operation', 'Why'], ['left', 'left'], notExercised.map((o) => [code(o.operation), o.why ? plainText(o.why) : 'no reason recorded'])), '');
  }
  return out;
}

/**
 * @example
 * renderPagination(model.pagination); // ['## Pagination', '', '| Operation | Documented | Observed | Agrees | Notes |', …]
 */
export function renderPagination(pagination: ReviewModel['pagination']): string[] {
  if (pagination.length === 0) return [];
  const rows = pagination.map((p) => [code(p.operation), plainText(p.documented, 60), plainText(p.observed, 60), p.agrees ? 'yes' : '**no**', joinCell(p.notes)]);
  return ['## Pagination', '', ...table(['Operation', 'Documented', 'Observed', 'Agrees', 'Notes'], ['left', 'left', 'left', 'left', 'left'], rows), ''];
}

/**
 * @example
 * renderIdempotency(model.idempotency); // ['## Idempotency', '', '| Operation | Verdict | Detail |', …]
 */
export function renderIdempotency(idempotency: ReviewModel['idempotency']): string[] {
  if (idempotency.length === 0) return [];
  const rows = idempotency.map((i) => [code(i.operation), plainText(i.verdict, 40), plainText(i.detail)]);
  return ['## Idempotency', '', 'Per write operation: what a replay with the same key did.', '', ...table(['Operation', 'Verdict', 'Detail'], ['left', 'left', 'left'], rows), ''];
}

/**
 * @example
 * renderLatency(model.latency); // ['## Latency', '', '| Operation | p50 ms | p95 ms | p99 ms | Samples |', …]
 */
export function renderLatency(latency: ReviewModel['latency']): string[] {
  if (latency.length === 0) return [];
  const rows = latency.map((l) => [code(l.operation), formatMs(l.p50), formatMs(l.p95), formatMs(l.p99), formatCount(l.samples?.length ?? 0)]);
  const out = ['## Latency', '', ...table(['Operation', 'p50 ms', 'p95 ms', 'p99 ms', 'Samples'], ['left', 'right', 'right', 'right', 'right'], rows), ''];
  if (latency.some((l) => (l.samples?.length ?? 0) < FEW_SAMPLES)) {
    out.push(`With fewer than ${FEW_SAMPLES} samples, p95 and p99 are the slowest call seen, not a percentile to plan with.`, '');
  }
  return out;
}

/**
 * @example
 * renderDrift(model.drift); // ['## Drift summary per operation', '', '9 errors, 21 warnings, 43 info in 25 exchanges …', …]
 */
export function renderDrift(drift: ReviewModel['drift']): string[] {
  if (drift === undefined) return [];
  const { summary } = drift;
  const f = summary.findings;
  const out = ['## Drift summary per operation', ''];
  out.push(
    `${count(f.error, 'error')}, ${count(f.warning, 'warning')}, ${f.info} info in ${count(summary.exchanges, 'exchange')} (${summary.skipped} skipped); ` +
      `${summary.operationsObserved} of ${summary.operationsDocumented} documented operations observed.`,
    '',
  );
  if (drift.byOperation.length === 0) out.push('No findings: the recordings match the document.', '');
  else {
    // Worst operation first, as the drift report orders them; ties keep the model's order.
    const worstFirst = [...drift.byOperation].sort((a, b) => b.error - a.error || b.warning - a.warning || b.info - a.info);
    const rows = worstFirst.map((o) => [code(o.operation), String(o.error), String(o.warning), String(o.info), kindsCell(o.kinds)]);
    out.push(...table(['Operation', 'Errors', 'Warnings', 'Info', 'Kinds'], ['left', 'right', 'right', 'right', 'left'], rows), '');
  }
  return out;
}

/**
 * @example
 * renderMissing(['no limits.json: run recon limits'], ['Latency']); // ['## Missing stages', '', '- no limits.json: run recon limits', '', 'No data for: Latency.', '']
 */
export function renderMissing(missing: readonly string[], emptySections: readonly string[]): string[] {
  if (missing.length === 0 && emptySections.length === 0) return [];
  const out = ['## Missing stages', ''];
  if (missing.length > 0) out.push('Run these to complete the review:', '', ...missing.map((m) => `- ${plainText(m)}`), '');
  if (emptySections.length > 0) out.push(`No data for: ${emptySections.join(', ')}.`, '');
  return out;
}

/** `` `type-mismatch` ×1, `never-observed` ×3 ``, in the model's order (which puts errors first). */
function kindsCell(kinds: Record<string, number> | undefined): string {
  const entries = Object.entries(kinds ?? {});
  if (entries.length === 0) return '—';
  const shown = entries.slice(0, KINDS_SHOWN).map(([kind, n]) => `${code(kind, 60)} ×${n}`);
  if (entries.length > KINDS_SHOWN) shown.push(`… and ${entries.length - KINDS_SHOWN} more`);
  return shown.join(', ');
}

function joinCell(items: readonly string[] | undefined): string {
  const shown = (items ?? []).filter((i) => i !== '').slice(0, 5).map((i) => plainText(i, 300));
  return shown.length === 0 ? '—' : shown.join('<br>');
}

function count(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}
