/**
 * Per-operation figures from a probe's exchanges: status codes, latency percentiles, bytes,
 * content types and transport failures.
 */
import type { Exchange } from '../http/types.js';
import { headerValue } from '../http/headers.js';

export interface OperationSummary {
  operation: string;
  operationId?: string;
  calls: number;
  statuses: Record<string, number>;
  /** Transport failures by code (ECONNREFUSED, RECON_TIMEOUT, CERT_HAS_EXPIRED…). */
  failures: Record<string, number>;
  latencyMs: { p50: number; p95: number; max: number };
  bytes: number;
  contentTypes: string[];
}

export class OperationStats {
  private readonly byOperation = new Map<string, { operationId?: string; times: number[]; summary: OperationSummary }>();

  add(label: string, operationId: string | undefined, exchange: Exchange): void {
    let entry = this.byOperation.get(label);
    if (!entry) {
      const summary: OperationSummary = { operation: label, calls: 0, statuses: {}, failures: {}, latencyMs: { p50: 0, p95: 0, max: 0 }, bytes: 0, contentTypes: [] };
      if (operationId !== undefined) summary.operationId = operationId;
      entry = { times: [], summary };
      this.byOperation.set(label, entry);
    }
    const s = entry.summary;
    s.calls++;
    entry.times.push(exchange.time);
    if (exchange.response) {
      const status = String(exchange.response.status);
      s.statuses[status] = (s.statuses[status] ?? 0) + 1;
      s.bytes += exchange.response.bodySize;
      const type = headerValue(exchange.response.headers, 'content-type')?.split(';')[0]?.trim();
      if (type && !s.contentTypes.includes(type)) s.contentTypes.push(type);
    } else if (exchange.failure) {
      s.failures[exchange.failure.code] = (s.failures[exchange.failure.code] ?? 0) + 1;
    }
  }

  summaries(): OperationSummary[] {
    return [...this.byOperation.values()].map(({ times, summary }) => {
      const sorted = [...times].sort((a, b) => a - b);
      summary.latencyMs = { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: percentile(sorted, 1) };
      return summary;
    });
  }
}

/** Nearest-rank percentile of sorted values, rounded to 0.1 ms. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return Math.round(sorted[rank]! * 10) / 10;
}
