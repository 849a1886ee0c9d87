/**
 * `recon monitor rules` through the built CLI, on a workspace with the monitoring fixtures:
 * the rules pass `promtool check rules`, and `promtool test rules` (fixtures/monitor/
 * promtool-tests.yaml) shows every alert firing and not firing. promtool comes with the Debian
 * package `prometheus` (.ci/run installs it).
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorWorkspace } from './helpers/runtime-workspace.js';
import { runRecon } from './helpers/recon-cli.js';
import { ALERT_KINDS, buildRules, type ConnectorThresholds } from '../src/monitor/index.js';

const run = promisify(execFile);
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'monitor');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recon-monitor-rules-'));
  await connectorWorkspace(dir, 'http://127.0.0.1:9', {
    'push-orders': await readFile(join(FIXTURES, 'push-orders.yaml'), 'utf8'),
    'pull-customers': await readFile(join(FIXTURES, 'pull-customers.yaml'), 'utf8'),
  });
  // promtool's clock starts at 0: the batch deadline moves to 1970-01-01T01:00:00Z.
  const spec = await readFile(join(FIXTURES, 'integration-spec.yaml'), 'utf8');
  await writeFile(join(dir, 'integration-spec.yaml'), spec.replace('deadline: { at: 2099-01-01T01:00:00.000Z', 'deadline: { at: 1970-01-01T01:00:00.000Z'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

async function promtool(args: string[], cwd: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run('promtool', args, { cwd });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error('promtool is not installed: apt-get install -y prometheus (.ci/run does)');
    return { code: Number(e.code), out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('recon monitor rules', () => {
  it("writes rules for the workspace's connectors that promtool checks and unit-tests", async () => {
    // No secret in the environment: rules need operations and limits, never credentials.
    const r = await runRecon(['monitor', 'rules', '--out', 'rules.yaml'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('rules for 2 connectors written to rules.yaml');
    const check = await promtool(['check', 'rules', 'rules.yaml'], dir);
    expect(check.code, check.out).toBe(0);
    expect(check.out).toContain('SUCCESS: 10 rules found');

    const rules = (parse(await readFile(join(dir, 'rules.yaml'), 'utf8')) as { groups: { name: string; rules: Rule[] }[] }).groups.flatMap((g) => g.rules);
    for (const rule of rules) {
      expect(rule.labels.severity).toBe(ALERT_KINDS[rule.alert as keyof typeof ALERT_KINDS].severity);
      expect(rule.annotations.summary).toBeTruthy();
      expect(rule.annotations.runbook).toMatch(/^check first: /);
    }
    expect(new Set(rules.map((rule) => rule.alert))).toEqual(new Set(Object.keys(ALERT_KINDS)));

    const tests = parse(await readFile(join(FIXTURES, 'promtool-tests.yaml'), 'utf8')) as PromtoolTests;
    await writeFile(join(dir, 'promtool-tests.yaml'), stringify(withAnnotations(tests, rules)));
    const unit = await promtool(['test', 'rules', 'promtool-tests.yaml'], dir);
    expect(unit.code, unit.out).toBe(0);
    expect(unit.out).toContain('SUCCESS');
  });

  it('takes its thresholds from the review: p95 baseline × 2, the pull interval × 2, 10% of the limit', async () => {
    const r = await runRecon(['monitor', 'rules', '--connectors', 'connectors/push-orders.yaml', 'connectors/pull-customers.yaml', '--window', '60', '--for', '30s'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('[60s]');
    expect(r.stdout).toContain('for: 30s');
    expect(r.stdout).toMatch(/operation="createOrder"\}\[60s\]\)\)\) > 0\.8\n/);
    expect(r.stdout).toMatch(/recon_pull_last_received_timestamp_seconds\{connector="pull-customers",source="listCustomers"\}\) > 4\n/);
    expect(r.stdout).toMatch(/deriv\(recon_queue_messages\{connector="push-orders",state="queued"\}\[60s\]\)\) > 10\n/);
    expect(r.stdout).toMatch(/time\(\) - min by \(connector\) \(recon_queue_oldest_message_timestamp_seconds\{connector="push-orders"\}\) > 600/);
  });

  it('says what is wrong with bad input (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [['--for', 'soon'], /--for soon: expected a Prometheus duration/],
      [['--window', '0'], /--window/],
      [['--connectors', 'nowhere/'], /nowhere/],
      [['--integration', 'missing.yaml'], /missing\.yaml/],
      [['--out', 'no-such-folder/rules.yaml'], /--out no-such-folder\/rules\.yaml: cannot write: the folder no-such-folder does not exist/],
    ];
    for (const [args, message] of cases) {
      const r = await runRecon(['monitor', 'rules', ...args], { cwd: dir });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('a connector without a measured latency gets no latency rule; a push one no silence rule', () => {
    const t: ConnectorThresholds = {
      connector: 'c',
      kind: 'push',
      operations: [{ label: 'createThing', route: 'POST /things' }],
      sendingPerSecond: 1,
      queueGrowthPerSecond: 0.1,
      oldestAgeSeconds: 3600,
      errorRatio: 0.25,
      latencyFactor: 2,
      minCalls: 5,
      minLatencySamples: 5,
    };
    const names = buildRules([t]).groups[0]!.rules.map((r) => r.alert);
    expect(names).toEqual(['ReconQueueGrowingFast', 'ReconOldestMessageTooOld', 'ReconErrorRateHigh', 'ReconMetricsAbsent']);
  });
});

interface PromtoolTests {
  tests: { alert_rule_test: { alertname: string; exp_alerts: { exp_labels: Record<string, string>; value?: string; exp_annotations?: Record<string, string> }[] }[] }[];
}

/** promtool compares annotations too: render the generated ones with the labels and the fixture's `value`. */
function withAnnotations(tests: PromtoolTests, rules: Rule[]): PromtoolTests {
  for (const test of tests.tests) {
    for (const case_ of test.alert_rule_test) {
      for (const expected of case_.exp_alerts) {
        const rule = rules.find((r) => r.alert === case_.alertname && Object.entries(r.labels).every(([k, v]) => expected.exp_labels[k] === v));
        expect(rule, `a rule for ${case_.alertname} ${JSON.stringify(expected.exp_labels)}`).toBeDefined();
        const labels = { ...expected.exp_labels };
        const render = (text: string) => text.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, name: string) => labels[name] ?? '').replace(/\{\{ \$value[^}]*\}\}/g, expected.value ?? '');
        expected.exp_annotations = Object.fromEntries(Object.entries(rule!.annotations).map(([k, v]) => [k, render(v)]));
        delete expected.value;
      }
    }
  }
  return tests;
}
