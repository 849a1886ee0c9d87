/**
 * Monitoring: the metrics of every run (prom-client, `/metrics`, and snapshots pushed to the
 * store), Prometheus alerting rules generated from the review's measurements, the same alert
 * conditions checked straight from the store with notifications, and the status screen.
 *
 * @example
 * import { startRunMonitoring, checkAlerts, webhookTarget } from './monitor/index.js';
 * const monitoring = await startRunMonitoring({ store, loaded, owner, metricsPort: 9464 });
 * await runConnector({ loaded, store, owner, observer: monitoring.observer });
 * await monitoring.close();
 * const { firing } = await checkAlerts({ store, now: Date.now(), targets: [webhookTarget(url, 5000)] });
 */
export { startRunMonitoring, type RunMonitoring, type RunMonitoringOptions } from './start.js';
export { RunMetrics, METRIC_NAMES } from './metrics.js';
export { serveMetrics, type MetricsServer } from './serve.js';
export { MONITOR_DEFAULTS, metricsKey, ALERT_STATE_KEY } from './defaults.js';
export { ALERT_KINDS, type AlertName, type AlertKind, type Severity } from './alerts.js';
export { thresholdsOf, integrationSpecOf, integrationSpecPathOf, type ConnectorThresholds, type OperationThreshold } from './thresholds.js';
export { loadThresholds } from './load.js';
export { buildRules, rulesYaml, type PrometheusRule, type RuleGroup, type RulesOptions } from './rules.js';
export { evaluateConnector, percentile, type FiringAlert, type ConditionInput, type ConnectorEvaluation } from './conditions.js';
export { checkAlerts, type CheckOptions, type CheckResult, type NotificationResult, type AlertRecord } from './check.js';
export { webhookTarget, commandTarget, alertMessage, type NotifyTarget, type AlertMessage, type AlertStatus } from './notify.js';
export { statusReport, type StatusReport, type ConnectorStatus, type ConnectorState } from './status.js';
export { checkLines, statusLines, notificationProblems } from './render.js';
export { isSnapshot, SNAPSHOT_FORMAT, emptySnapshot, type MetricsSnapshot, type RecentCall, type QueueSample } from './snapshot.js';
export { MonitorFailure, MonitorInputError, type MonitorFailureCode } from './errors.js';
export { openExistingStore } from './open-store.js';
