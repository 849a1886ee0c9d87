/**
 * `recon monitor rules`: Prometheus alerting rules from the review's measurements.
 * `recon monitor check`: the same alerts evaluated from the store (a cron job), notified once.
 */
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../errors.js';
import { integerFlag, numberFlag } from './flags.js';
import { EXIT_CODES_HELP, examples } from './help.js';
import { writeOutFile } from './out-file.js';
import type { Output } from './output.js';
import { STORE_FLAG_HELP, storeLocationFrom } from './store-flag.js';
// The defaults alone (no prom-client): `recon --help` stays light.
import { MONITOR_DEFAULTS } from '../monitor/defaults.js';

/** Where a webhook URL may come from instead of argv (Slack's URL is a secret). */
export const NOTIFY_URL_ENV = 'RECON_NOTIFY_URL';

interface RulesFlags {
  integration?: string;
  connectors?: string[];
  out?: string;
  window: number;
  for: string;
}

interface CheckFlags {
  store?: string;
  notify?: string;
  notifyCmd?: string;
  notifyTimeout: number;
  window: number;
  json?: boolean;
}

export function registerMonitorCommand(program: Command, output: Output): void {
  const monitor = program
    .command('monitor')
    .summary('alerting for running connectors: Prometheus rules, or checks straight from the store')
    .description(
      'Every recon run keeps metrics (served on --metrics-port for Prometheus, and pushed to the store). ' +
        'monitor rules writes Prometheus alerting rules with thresholds from what the review measured; ' +
        'monitor check evaluates the same alerts from the store, for a cron job without Prometheus.',
    )
    .addHelpText(
      'after',
      examples([
        ['recon monitor rules --out recon-rules.yaml', "rules for the workspace's connectors/, thresholds from their integration spec"],
        ['recon monitor rules --connectors connectors/push-orders.yaml --integration review/integration-spec.yaml', 'one connector, another spec'],
        ['recon monitor check', 'exit 1 and the evidence when something fires'],
        ['RECON_NOTIFY_URL=https://hooks.slack.com/… recon monitor check', 'post each alert once to Slack, and its resolution'],
        ["recon monitor check --notify-cmd 'mail -s recon ops@example.com'", 'or pipe the alert JSON into a command'],
      ]) + EXIT_CODES_HELP,
    );

  monitor
    .command('rules')
    .description(
      'Prometheus alerting rules, one group per connector: queue growing fast, oldest message too old, error rate high, ' +
        "latency above the review's p95, pull source silent past its interval, metrics absent (dead man's switch), " +
        'batch will miss its deadline. Each has a severity label and summary, description and runbook annotations.',
    )
    .option('--integration <file>', "the integration spec with the measured latency, limit and batch deadline (default: each connector's integrationSpec)")
    .option('--connectors <paths...>', "connector files or folders (default: connectors/ beside recon.yaml)")
    .option('--out <file>', 'write the rules here (default: stdout)')
    .option('--window <seconds>', 'range of the rates and percentiles', integerFlag(10, 86_400), MONITOR_DEFAULTS.windowSeconds)
    .option('--for <duration>', "how long a rate-based condition must hold before it fires (Prometheus 'for')", MONITOR_DEFAULTS.ruleFor)
    .addHelpText('after', examples([['recon monitor rules --out /etc/prometheus/rules/recon.yaml && promtool check rules /etc/prometheus/rules/recon.yaml', 'install and verify']]) + EXIT_CODES_HELP)
    .action(async (flags: RulesFlags) => {
      if (!/^\d+[smhd]$/.test(flags.for)) throw new UsageError(`--for ${flags.for}: expected a Prometheus duration such as 2m, 30s or 1h`);
      const m = await import('../monitor/index.js');
      const thresholds = await m.loadThresholds({
        cwd: output.cwd,
        env: output.env,
        ...(flags.connectors ? { connectors: flags.connectors } : {}),
        ...(flags.integration ? { integration: flags.integration } : {}),
      });
      const text = m.rulesYaml(
        m.buildRules(thresholds, { windowSeconds: flags.window, for: flags.for }),
        `# Prometheus alerting rules for ${thresholds.map((t) => t.connector).join(', ')}, written by recon monitor rules.\n# Thresholds come from the integration spec; regenerate after a new review.\n`,
      );
      if (flags.out === undefined) output.stdout.write(text);
      else {
        await writeOutFile(flags.out, [text], { cwd: output.cwd });
        output.err(`recon: rules for ${thresholds.length} connector${thresholds.length === 1 ? '' : 's'} written to ${flags.out}`);
      }
    });

  monitor
    .command('check')
    .description(
      'Evaluate the alerts from the store — the runs’ metric snapshots, queue counts and workers — print what fires with ' +
        'its evidence, and exit 1 when something does. With --notify / --notify-cmd, each alert is sent once when it ' +
        'starts firing and once when it resolves; a notification that fails is retried at the next check.',
    )
    .option('--store <location>', STORE_FLAG_HELP)
    .option('--notify <url>', `post each alert as JSON (Slack-compatible: {text, status, alert}) to this URL (default: $${NOTIFY_URL_ENV})`)
    .option('--notify-cmd <command>', 'run this shell command for each alert, with the alert JSON on its stdin')
    .option('--notify-timeout <seconds>', 'give up on a notification after this long (retried at the next check)', numberFlag(0.1, 300), MONITOR_DEFAULTS.notifyTimeoutMs / 1000)
    .option('--window <seconds>', 'range of the error rate, latency and queue growth', integerFlag(1, 86_400), MONITOR_DEFAULTS.windowSeconds)
    .option('--json', 'print the result as one JSON document')
    .addHelpText(
      'after',
      examples([
        ['*/5 * * * * cd /srv/acme && recon monitor check --notify-cmd /usr/local/bin/page-ops', 'a crontab line'],
        ['recon monitor check --json | jq .firing', 'machine-readable'],
      ]) +
        EXIT_CODES_HELP +
        '\n  check: 1 when an alert fires; 3 when there is no store yet (run a connector first).',
    )
    .action(async (flags: CheckFlags) => {
      const url = flags.notify ?? (output.env[NOTIFY_URL_ENV]?.trim() || undefined);
      if (url !== undefined && !/^https?:\/\//i.test(url)) throw new UsageError(`--notify: expected an http:// or https:// URL`);
      const m = await import('../monitor/index.js');
      const { defaultStoreLocation } = await import('../runtime/index.js');
      const location = await storeLocationFrom(flags.store, output.env, () => defaultStoreLocation(output.cwd));
      const store = await m.openExistingStore(location, { cwd: output.cwd });
      const timeoutMs = Math.round(flags.notifyTimeout * 1000);
      const targets = [
        ...(url ? [m.webhookTarget(url, timeoutMs)] : []),
        ...(flags.notifyCmd ? [m.commandTarget(flags.notifyCmd, timeoutMs, output.env)] : []),
      ];
      let result;
      try {
        result = await m.checkAlerts({ store, now: Date.now(), windowSeconds: flags.window, targets });
      } finally {
        await store.close();
      }
      for (const line of m.notificationProblems(result)) output.err(line);
      if (flags.json) {
        const { snapshots: _s, workers: _w, stats: _q, ...data } = result;
        output.json(data);
      } else for (const line of m.checkLines(result)) output.out(line);
      if (result.firing.length > 0) output.exitCode = ExitCode.findings;
    });
}
