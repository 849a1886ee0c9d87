/**
 * `recon monitor rules`: Prometheus alerting rules (one group per connector) with the thresholds
 * the review measured — the same conditions `recon monitor check` evaluates from the store.
 * https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/
 */
import { stringify } from 'yaml';
import { ALERT_KINDS, type AlertName } from './alerts.js';
import { MONITOR_DEFAULTS } from './defaults.js';
import type { ConnectorThresholds } from './thresholds.js';

export interface PrometheusRule {
  alert: AlertName;
  expr: string;
  for?: string;
  labels: { severity: string } & Record<string, string>;
  annotations: { summary: string; description: string; runbook: string };
}

export interface RuleGroup {
  name: string;
  rules: PrometheusRule[];
}

export interface RulesOptions {
  /** Range of rates and derivatives, in seconds. Default 300 (`[5m]`). */
  windowSeconds?: number;
  /** `for:` of the rate-based rules. Default `2m`. */
  for?: string;
}

/**
 * @example
 * const yaml = rulesYaml(buildRules([thresholdsOf(loaded, spec)]));
 * // groups:\n  - name: recon-push-orders\n    rules:\n      - alert: ReconQueueGrowingFast …
 */
export function buildRules(connectors: ConnectorThresholds[], options: RulesOptions = {}): { groups: RuleGroup[] } {
  const w = `${options.windowSeconds ?? MONITOR_DEFAULTS.windowSeconds}s`;
  const pending = options.for ?? MONITOR_DEFAULTS.ruleFor;
  return { groups: connectors.map((t) => ({ name: `recon-${t.connector}`, rules: rulesFor(t, w, pending) })) };
}

function rulesFor(t: ConnectorThresholds, w: string, pending: string): PrometheusRule[] {
  const c = `connector=${quote(t.connector)}`;
  const rules: PrometheusRule[] = [];
  const rule = (name: AlertName, expr: string, description: string, extra: { for?: string; labels?: Record<string, string> } = {}) => {
    const kind = ALERT_KINDS[name];
    rules.push({
      alert: name,
      expr,
      ...(extra.for && extra.for !== '0s' ? { for: extra.for } : {}),
      // The connector as a static label too: one alert name per connector group stays distinct (promtool lint).
      labels: { severity: kind.severity, connector: t.connector, ...extra.labels },
      annotations: { summary: `{{ $labels.connector }}: ${kind.meaning}`, description, runbook: kind.runbook },
    });
  };
  const waiting = `max by (connector) (sum without (state) (recon_queue_messages{${c},state=~"queued|leased"}))`;

  if (t.kind === 'push') {
    rule(
      'ReconQueueGrowingFast',
      `max by (connector) (deriv(recon_queue_messages{${c},state="queued"}[${w}])) > ${num(t.queueGrowthPerSecond)}\n` +
        `unless on (connector) sum by (connector) (rate(recon_messages_settled_total{${c},state="done"}[${w}])) >= ${num(t.queueGrowthPerSecond)}`,
      `Queued messages grow by {{ $value | humanize }}/s (alert above ${num(t.queueGrowthPerSecond)}/s, ${MONITOR_DEFAULTS.growthFraction * 100}% of the measured ${num(t.sendingPerSecond)}/s) while fewer are delivered.`,
      { for: pending },
    );
    rule(
      'ReconOldestMessageTooOld',
      `time() - min by (connector) (recon_queue_oldest_message_timestamp_seconds{${c}}) > ${num(t.oldestAgeSeconds)}`,
      `The oldest waiting message was enqueued {{ $value | humanizeDuration }} ago (alert above ${num(t.oldestAgeSeconds)} s: the retries' maxElapsed or the batch's sending time).`,
    );
  }
  rule(
    'ReconErrorRateHigh',
    `sum by (connector) (rate(recon_calls_total{${c},outcome=~"4xx|5xx|network"}[${w}]))\n  / sum by (connector) (rate(recon_calls_total{${c}}[${w}])) > ${num(t.errorRatio)}\n` +
      `and on (connector) sum by (connector) (increase(recon_calls_total{${c}}[${w}])) >= ${t.minCalls}`,
    `{{ $value | humanizePercentage }} of the calls failed over ${w} (alert above ${num(t.errorRatio * 100)}%).`,
    { for: pending },
  );
  for (const op of t.operations) {
    if (op.baselineP95Ms === undefined) continue;
    const limit = (op.baselineP95Ms * t.latencyFactor) / 1000;
    const o = `${c},operation=${quote(op.label)}`;
    rule(
      'ReconLatencyAboveBaseline',
      `histogram_quantile(0.95, sum by (connector, operation, le) (rate(recon_call_duration_seconds_bucket{${o}}[${w}]))) > ${num(limit)}\n` +
        `and on (connector, operation) sum by (connector, operation) (increase(recon_call_duration_seconds_count{${o}}[${w}])) >= ${t.minLatencySamples}`,
      `p95 of ${op.route} is {{ $value | humanizeDuration }}; the review measured p95 ${num(op.baselineP95Ms)} ms (${op.baselineFrom ?? 'integration spec'}), alert above ${num(limit * 1000)} ms (× ${t.latencyFactor}).`,
      { for: pending, labels: { operation: op.label } },
    );
  }
  if (t.source && t.source.silentAfterSeconds > 0) {
    rule(
      'ReconUpstreamSilent',
      `time() - max by (connector, source) (recon_pull_last_received_timestamp_seconds{${c},source=${quote(t.source.name)}}) > ${num(t.source.silentAfterSeconds)}`,
      `No new record from {{ $labels.source }} for {{ $value | humanizeDuration }}; it should yield every ${num(t.source.everySeconds)} s (alert after ${num(t.source.silentAfterSeconds)} s).`,
      { labels: { source: t.source.name } },
    );
  }
  rule(
    'ReconMetricsAbsent',
    `absent(recon_run_start_timestamp_seconds{${c}})`,
    `No recon process reports metrics for ${t.connector}: a worker (recon run --worker, or a pull with --every) died or is not scraped. For one-off runs, silence this between runs.`,
    { for: pending },
  );
  if (t.deadline && t.kind === 'push') {
    rule(
      'ReconBatchWillMissDeadline',
      `(time() + ${waiting} / ${num(t.sendingPerSecond)}) > ${num(t.deadline.epochSeconds)}\nand on (connector) ${waiting} > 0`,
      `At the measured ${num(t.sendingPerSecond)}/s the waiting messages drain at {{ $value | humanizeTimestamp }}, after the batch deadline ${t.deadline.at}.`,
    );
  }
  return rules;
}

/** The rules file, as Prometheus reads it. */
export function rulesYaml(rules: { groups: RuleGroup[] }, header = ''): string {
  return header + stringify(rules, { lineWidth: 0 });
}

/** A PromQL string literal. */
function quote(value: string): string {
  return JSON.stringify(value);
}

function num(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}
