/**
 * Text for people: what `recon monitor check` found, and the `recon status` screen. Both only
 * read the plain data the library returned.
 */
import type { CheckResult } from './check.js';
import type { ConnectorStatus, StatusReport } from './status.js';

/** @example checkLines(result).join('\n') // 'FIRING ReconErrorRateHigh critical push-orders: …' */
export function checkLines(result: CheckResult): string[] {
  const lines: string[] = [];
  for (const a of result.firing) {
    lines.push(`FIRING ${a.name} ${a.severity} ${a.summary}${a.new ? ' (new)' : ` (since ${a.since})`}`);
    for (const e of a.evidence) lines.push(`  evidence: ${e}`);
    lines.push(`  runbook: ${a.runbook}`);
  }
  for (const r of result.resolved) lines.push(`RESOLVED ${r.name} ${r.connector} (firing since ${r.since})`);
  for (const n of result.notes) lines.push(`note: ${n}`);
  const checked = result.connectors.length;
  lines.push(
    result.firing.length === 0
      ? `ok: nothing fires (${checked} connector${checked === 1 ? '' : 's'} checked over the last ${result.windowSeconds} s)`
      : `${result.firing.length} alert${result.firing.length === 1 ? '' : 's'} firing (${checked} connector${checked === 1 ? '' : 's'} checked over the last ${result.windowSeconds} s)`,
  );
  return lines;
}

/** Failed notifications, for stderr: retried at the next check. */
export function notificationProblems(result: CheckResult): string[] {
  return result.notifications.filter((n) => !n.ok).map((n) => `recon: could not notify the ${n.target} of ${n.alert} (${n.status}): ${n.error ?? 'failed'}; retried at the next check`);
}

/** The status screen. */
export function statusLines(report: StatusReport): string[] {
  if (report.connectors.length === 0) return [`no connectors in the store yet (${report.at})`];
  const head = ['connector', 'state', 'queued', 'leased', 'dead', 'oldest', 'rate', 'errors', 'p95 / baseline', 'last delivery', 'workers', 'alerts'];
  const rows = report.connectors.map((c) => [
    c.connector,
    c.state,
    String(c.queue.queued),
    String(c.queue.leased),
    String(c.queue.dead + c.queue.parked),
    c.oldestWaitingSeconds === undefined ? '-' : `${c.oldestWaitingSeconds}s`,
    `${c.throughputPerSecond}/s`,
    c.errorRate === undefined ? '-' : `${Math.round(c.errorRate * 1000) / 10}% of ${c.calls}`,
    latency(c),
    c.lastDeliveryAt === undefined ? 'never' : ago(c.lastDeliveryAt, report.at),
    workers(c),
    c.alerts.length === 0 ? '-' : c.alerts.map((a) => a.name.replace(/^Recon/, '')).join(','),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  const lines = [`recon status at ${report.at} (rates over the last ${report.windowSeconds} s)`, line(head), ...rows.map(line)];
  for (const c of report.connectors) for (const a of c.alerts) lines.push(`${a.severity === 'critical' ? '!!' : '! '} ${a.name}: ${a.summary}`);
  for (const n of report.notes) lines.push(`note: ${n}`);
  return lines;
}

function latency(c: ConnectorStatus): string {
  const parts = c.latency.filter((l) => l.p95Ms !== undefined || l.baselineP95Ms !== undefined).map((l) => `${l.p95Ms === undefined ? '-' : `${Math.round(l.p95Ms)}ms`} / ${l.baselineP95Ms === undefined ? '-' : `${Math.round(l.baselineP95Ms)}ms`}`);
  return parts.length === 0 ? '-' : parts.join(', ');
}

function workers(c: ConnectorStatus): string {
  if (c.workers.length === 0) return '-';
  const live = c.workers.filter((w) => w.heartbeatAgeSeconds < 30).length;
  return `${live} live${c.workers.length > live ? `, ${c.workers.length - live} silent` : ''}`;
}

function ago(iso: string, nowIso: string): string {
  const s = Math.round((Date.parse(nowIso) - Date.parse(iso)) / 1000);
  if (s < 0) return iso;
  if (s < 120) return `${s}s ago`;
  if (s < 7200) return `${Math.round(s / 60)}m ago`;
  return `${Math.round(s / 3600)}h ago`;
}
