/**
 * The alerts, named once: Prometheus rules (`recon monitor rules`) and the store check
 * (`recon monitor check`) raise the same names with the same severity, summary and runbook.
 */
export type AlertName =
  | 'ReconQueueGrowingFast'
  | 'ReconOldestMessageTooOld'
  | 'ReconErrorRateHigh'
  | 'ReconLatencyAboveBaseline'
  | 'ReconUpstreamSilent'
  | 'ReconMetricsAbsent'
  | 'ReconBatchWillMissDeadline';

export type Severity = 'warning' | 'critical';

export interface AlertKind {
  name: AlertName;
  severity: Severity;
  /** What it means, in a line (Prometheus templates in the rules; the check fills in the same words). */
  meaning: string;
  /** What to check first. */
  runbook: string;
}

export const ALERT_KINDS: Record<AlertName, AlertKind> = {
  ReconQueueGrowingFast: {
    name: 'ReconQueueGrowingFast',
    severity: 'warning',
    meaning: 'the queue grows faster than it is delivered',
    runbook:
      'check first: is the connector running (recon status), and does the vendor answer (recon queue list --state queued shows the reasons)? Then whether the input suddenly grew (a re-export, a loop upstream).',
  },
  ReconOldestMessageTooOld: {
    name: 'ReconOldestMessageTooOld',
    severity: 'critical',
    meaning: 'a message has waited longer than its retries allow',
    runbook:
      'check first: recon queue inspect on the oldest queued message: its attempts and the vendor\'s last answer. No attempts: no worker runs this connector (recon status shows workers).',
  },
  ReconErrorRateHigh: {
    name: 'ReconErrorRateHigh',
    severity: 'critical',
    meaning: 'many calls to the vendor fail (4xx, 5xx or no answer)',
    runbook:
      "check first: the outcome classes — network: is the vendor up and the base URL right; 4xx: did the API change (recon drift against a fresh recording, recon audit show the answers); 5xx: the vendor's status page.",
  },
  ReconLatencyAboveBaseline: {
    name: 'ReconLatencyAboveBaseline',
    severity: 'warning',
    meaning: "the vendor answers slower than the review's p95",
    runbook:
      "check first: the vendor's status page and whether the slowness is one operation or all; then the network path from this host (a proxy, DNS). Calls near the connector's timeout turn into retries.",
  },
  ReconUpstreamSilent: {
    name: 'ReconUpstreamSilent',
    severity: 'critical',
    meaning: 'a pull source has yielded no new record for longer than its interval',
    runbook:
      'check first: did the pull run at all (recon status, the scheduler\'s log); then whether the source system still produces records (ask its owner) and whether the pull position is stuck (recon audit for the pull\'s pages).',
  },
  ReconMetricsAbsent: {
    name: 'ReconMetricsAbsent',
    severity: 'critical',
    meaning: 'a run stopped reporting without ending: the process died or hangs',
    runbook:
      'check first: is the process alive (recon status shows workers and their last heartbeat), its log and the host (out of memory, killed); restart it — its leases run out and the messages are delivered again.',
  },
  ReconBatchWillMissDeadline: {
    name: 'ReconBatchWillMissDeadline',
    severity: 'critical',
    meaning: 'at the measured limit, the queue cannot drain before the batch deadline',
    runbook:
      'check first: how many messages wait and since when (recon queue status); ask the vendor for a higher limit for the batch, split it, or move the deadline — sending faster than the limit only buys 429s.',
  },
};
