/**
 * From folded observations to the report: add what the document promises and the recordings
 * never showed (never-observed, info), drop optional headers that were simply not always sent,
 * phrase each finding, and sort worst first.
 */
import type { ApiSpec } from '../spec/api-spec.js';
import { Aggregator, operationKey, type FindingEntry } from './aggregate.js';
import { findingMessage } from './messages.js';
import type { DriftReport, Finding, RecordingSummary, Severity } from './types.js';

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function finishReport(spec: ApiSpec, aggregator: Aggregator, recordings: RecordingSummary[], observed: Map<string, Set<string>>): DriftReport {
  addNeverObserved(spec, aggregator, observed);
  const findings: Finding[] = [];
  for (const entry of aggregator.entries.values()) {
    if (isSometimesSentOptionalHeader(entry, aggregator)) continue;
    const total = Math.max(aggregator.totalFor(entry), entry.responses);
    const finding = aggregator.toFinding(entry, findingMessage(entry, total));
    // Reports are committed and shared: name documents as the reader did, not by absolute path.
    if (finding.location !== undefined) finding.location = { uri: spec.documents.get(finding.location.uri)?.shown ?? finding.location.uri, pointer: finding.location.pointer };
    findings.push(finding);
  }
  findings.sort(compareFindings);
  const count: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) count[finding.severity]++;
  const exchanges = recordings.reduce((n, r) => n + r.exchanges, 0);
  const checked = recordings.reduce((n, r) => n + r.checked, 0);
  return {
    spec: {
      source: spec.source.shown,
      title: spec.info.title,
      version: spec.info.version,
      sha256: spec.source.sha256,
      overlays: (spec.source.overlays ?? []).map((o) => o.source),
    },
    recordings,
    summary: {
      exchanges,
      checked,
      skipped: exchanges - checked,
      operationsObserved: observed.size,
      operationsDocumented: spec.operations.length,
      findings: count,
    },
    findings,
    skipped: [...aggregator.skipped.entries()].map(([reason, s]) => ({ reason, count: s.count, exchanges: s.exchanges })).sort((a, b) => b.count - a.count),
  };
}

function addNeverObserved(spec: ApiSpec, aggregator: Aggregator, observed: Map<string, Set<string>>): void {
  for (const operation of spec.operations) {
    const ref = { method: operation.method, path: operation.path, ...(operation.operationId !== undefined ? { operationId: operation.operationId } : {}) };
    const statuses = observed.get(operationKey(ref));
    const base = { kind: 'never-observed' as const, severity: 'info' as const, operation: ref, pointer: '', ref: { recording: -1, entry: -1 } };
    if (statuses === undefined) {
      addWithoutExchange(aggregator, { ...base, location: operation.at });
      continue;
    }
    for (const response of operation.responses) {
      if (statuses.has(response.status) || response.status.toLowerCase() === 'default') continue;
      addWithoutExchange(aggregator, { ...base, status: response.status, location: response.at });
    }
  }
}

/** A never-observed finding has no exchange: it is about their absence. */
function addWithoutExchange(aggregator: Aggregator, observation: Parameters<Aggregator['add']>[0]): void {
  const entry = aggregator.add(observation);
  entry.responses = 0;
  entry.occurrences = 0;
  entry.exchanges = [];
}

/** An optional header present in some responses is documented correctly: only "never sent" is news. */
function isSometimesSentOptionalHeader(entry: FindingEntry, aggregator: Aggregator): boolean {
  if (entry.kind !== 'missing-header' || entry.severity !== 'info') return false;
  return (aggregator.totals.get(`${operationKey(entry.operation)}|${entry.status ?? ''}|${entry.pointer}`) ?? 0) > 0;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    compareText(a.operation.path, b.operation.path) ||
    compareText(a.operation.method, b.operation.method) ||
    compareText(a.status ?? '', b.status ?? '') ||
    compareText(a.kind, b.kind) ||
    compareText(a.pointer, b.pointer)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
