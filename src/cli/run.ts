/**
 * `recon run CONNECTOR`: enqueue an input, then deliver the connector's queue to the vendor.
 */
import { Option, type Command } from 'commander';
import { ExitCode, RuntimeFailure, UsageError } from '../errors.js';
import { integerFlag } from './flags.js';
import { EXIT_CODES_HELP, examples } from './help.js';
import { interruptOnce } from './interrupt.js';
import type { Output } from './output.js';
import { printableStoreLocation, storeLocationFrom, STORE_FLAG_HELP } from './store-flag.js';
// Types only: erased at build time, so `recon --help` loads none of the runtime.
import type { LoadedConnector, PullSummary, RunObserver, RunProgress, RunSummary, Store } from '../runtime/index.js';

interface RunFlags {
  input?: string;
  format?: 'ndjson' | 'csv' | 'json';
  store?: string;
  json?: boolean;
  failOn: 'dead' | 'never';
  every?: string;
  worker?: boolean;
  metricsPort?: number;
  metricsHost: string;
}

export function registerRunCommand(program: Command, output: Output): void {
  program
    .command('run')
    .summary("deliver a connector's messages: queued, throttled, idempotent, retried, audited")
    .description(
      'Enqueue the input (NDJSON, CSV or a JSON array; a file or - for stdin) into the durable queue — ' +
        'idempotent by message id, so feeding the same file twice queues nothing new — then deliver every ' +
        "due message of the connector: throttled to the integration spec's measured limit, with the " +
        'idempotency key the connector says (header) or a lookup at the vendor after any unknown outcome ' +
        '(lookup), retried with exponential backoff and full jitter on 408, 425, 429, 5xx and network errors ' +
        "(Retry-After wins), other 4xx dead-lettered with the vendor's answer, and one redacted, hash-chained " +
        'audit record per call. A run that was killed resumes where it stopped: run it again. ' +
        'Progress (done/total, rate, ETA, retries, dead) goes to stderr.',
    )
    .argument('<connector>', 'the connector file (connectors/push-invoices.yaml, or a .js module)')
    .option('--input <file>', "records to enqueue first: a file, or '-' for stdin (without it: deliver what is queued)")
    .addOption(new Option('--format <format>', 'input format (default: from the extension, else from the first character)').choices(['ndjson', 'csv', 'json']))
    .option('--store <location>', STORE_FLAG_HELP)
    .option('--worker', 'stay up when the queue is empty and deliver what arrives, until SIGTERM or Ctrl-C: run one or more per machine on a shared store')
    .addOption(new Option('--metrics-port <n>', 'serve Prometheus metrics on http://HOST:N/metrics while it runs (0: any free port)').argParser(integerFlag(0, 65535)))
    .addOption(new Option('--metrics-host <addr>', 'the address --metrics-port listens on').default('127.0.0.1'))
    .addOption(new Option('--fail-on <what>', 'exit 1 when messages end dead or parked (dead), or never').choices(['dead', 'never']).default('dead'))
    .option('--every <duration>', "pull connectors: run again this often (15m, 1h) until Ctrl-C, one line per run (default: the connector's 'every'; without either: once)")
    .option('--json', 'print the summary as one JSON document')
    .addHelpText(
      'after',
      examples([
        ['recon run connectors/push-invoices.yaml --input invoices.ndjson', 'enqueue and deliver'],
        ['recon run connectors/push-invoices.yaml', 'resume: deliver what is still queued (after a crash, Ctrl-C, an outage)'],
        ['export-orders | recon run push-orders.yaml --input - --format ndjson', 'from stdin'],
        ['recon run push-orders.yaml --input orders.csv --store sqlite:q.db --json', 'another store, JSON summary'],
        ['recon queue status && recon queue list --connector push-invoices --state dead', 'then look at what did not go through'],
        ['recon run connectors/pull-customers.yaml --every 15m', 'a pull connector: fetch new records into its sink every 15 minutes'],
        ['RECON_STORE=postgres://recon@db/recon recon run push-invoices.yaml --worker', 'a worker on a shared store: up until SIGTERM, more on other machines'],
        ['recon run push-invoices.yaml --worker --metrics-port 9464', 'with Prometheus metrics on 127.0.0.1:9464/metrics'],
      ]) +
        EXIT_CODES_HELP +
        "\n  run: 1 when the connector's queue holds dead or parked messages (--fail-on never: 0);" +
        '\n  2 for a bad connector or input (bad lines are reported by line number and skipped, the' +
        '\n  rest is delivered); 3 when the store cannot be opened or the vendor cannot be reached.' +
        '\n  Ctrl-C stops leasing, lets the calls in flight finish and exits 130; the rest stays queued.' +
        '\n  --worker: SIGTERM (or Ctrl-C) stops it the same way — no new leases, the calls in flight' +
        '\n  finish, leased messages not yet sent go back to the queue — and exits 0 after SIGTERM, 130' +
        '\n  after Ctrl-C. A worker that is killed outright loses its leases when they run out (a' +
        '\n  heartbeat extends them while it lives); another worker then delivers them.' +
        '\n  A pull connector exits 3 when a page fails for good or its sink fails (a non-zero exit of its command).',
    )
    .action(async (file: string, flags: RunFlags) => {
      const runtime = await import('../runtime/index.js');
      const loaded = await runtime.loadConnector(file, { cwd: output.cwd, env: output.env });
      // Every run, not once: verification off must never be forgotten.
      const tlsWarning = (await import('../config/index.js')).insecureTlsWarning(loaded.target);
      if (tlsWarning !== undefined) output.err(`recon: warning: ${tlsWarning}`);
      const location = await storeLocationFrom(flags.store, output.env, () => runtime.storeBesideConfig(loaded.config.file));
      const store = await runtime.openStore(location, { cwd: output.cwd });
      const owner = runtime.newOwnerId();
      if (loaded.definition.pull !== undefined) {
        await pullCommand(runtime, loaded, store, owner, flags, output);
        return;
      }
      const worker = flags.worker === true;
      let monitoring: RunMonitoring | undefined;
      try {
        monitoring = await startMonitoring(store, loaded, owner, flags);
      } catch (error) {
        await store.close();
        throw error;
      }
      if (worker) output.err(`recon: worker ${owner}: delivering ${loaded.definition.name} from ${printableStoreLocation(location)} until SIGTERM or Ctrl-C`);
      if (flags.metricsPort !== undefined) output.err(`recon: metrics: ${monitoring?.url ?? `http://${hostForUrl(flags.metricsHost)}:${flags.metricsPort}/metrics`}`);
      const interrupt = interruptOnce(
        output,
        worker ? 'no new messages are leased; the calls in flight finish, leased messages not yet sent go back to the queue' : 'no new calls; the calls in flight finish, the rest stays queued',
      );
      const progress = progressPrinter(output, runtime.progressLine);
      let summary: RunSummary;
      try {
        summary = await runtime.runConnector({
          loaded,
          store,
          owner,
          worker,
          ...(flags.input === undefined ? {} : { input: runtime.readInput(flags.input, flags.format ? { format: flags.format } : {}) }),
          ...(monitoring === undefined ? {} : { observer: monitoring.observer }),
          signal: interrupt.signal,
          onProgress: progress.update,
          onIdle: (idle) => {
            if (idle) progress.note('idle: queue empty, waiting for messages');
          },
          onInputProblem: (p) => output.err(`recon: ${flags.input === '-' ? '(stdin)' : flags.input}:${p.line}: ${p.message}`),
        });
      } finally {
        interrupt.dispose();
        progress.done();
        // The last snapshot is pushed on close: before the store goes.
        await monitoring?.close().catch((error: unknown) => output.err(`recon: metrics: ${(error as Error).message}`));
        await store.close();
      }
      if (flags.json) output.json(summary);
      else for (const line of summaryLines(summary)) output.out(line);
      if (interrupt.signal.aborted) {
        // A supervisor stopping a worker is how a worker's day ends, not a failure.
        output.exitCode = worker && interrupt.received() === 'SIGTERM' ? ExitCode.ok : 130;
        return;
      }
      if (summary.vendorUnreachable) {
        throw new RuntimeFailure('RECON_VENDOR_UNREACHABLE', `no call reached ${loaded.target.baseUrl}: every one failed to connect; the messages stay queued`, {
          hint: 'check that the vendor is up and the base URL in recon.yaml is right, then run again',
        });
      }
      if (summary.invalidLines > 0) output.exitCode = ExitCode.usage;
      // "Everything done" is the queue's state, not this run's: a resumed run that finds dead
      // messages from before still says so.
      else if (flags.failOn === 'dead' && summary.queue.dead + summary.queue.parked > 0) output.exitCode = ExitCode.findings;
    });
}

type Runtime = typeof import('../runtime/index.js');

/** What src/monitor's `startRunMonitoring` gives back. */
interface RunMonitoring {
  observer: RunObserver;
  close(): Promise<void>;
  url?: string;
}

/**
 * Metrics for this run: snapshots pushed to the store always (what `recon monitor` and `recon
 * status` read), and `/metrics` served when --metrics-port is given. Loaded only here, so
 * `recon --help` never loads prom-client.
 */
async function startMonitoring(store: Store, loaded: LoadedConnector, owner: string, flags: RunFlags): Promise<RunMonitoring> {
  const monitor = await import('../monitor/index.js');
  return monitor.startRunMonitoring({
    store,
    loaded,
    owner,
    ...(flags.metricsPort === undefined ? {} : { metricsPort: flags.metricsPort, metricsHost: flags.metricsHost }),
  });
}

/** An IPv6 address in a URL goes in brackets. */
function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** A pull connector: once, or every `--every` (or its `every`) until Ctrl-C (exit 130). */
async function pullCommand(runtime: Runtime, loaded: LoadedConnector, store: Store, owner: string, flags: RunFlags, output: Output): Promise<void> {
  if (flags.input !== undefined) {
    await store.close();
    throw new UsageError(`--input is for push connectors; ${loaded.definition.name} is a pull connector (it reads from the vendor into its sink)`);
  }
  if (flags.worker === true) {
    await store.close();
    throw new UsageError(`--worker is for push connectors; ${loaded.definition.name} is a pull connector: repeat it with --every (15m, 1h)`);
  }
  const every = flags.every ?? loaded.definition.pull?.every;
  let everyMs: number | undefined;
  try {
    if (every !== undefined) everyMs = (await import('../limits/index.js')).parseDuration(every, '--every') * 1000;
  } catch (error) {
    await store.close();
    throw error;
  }
  let monitoring: RunMonitoring;
  try {
    monitoring = await startMonitoring(store, loaded, owner, flags);
  } catch (error) {
    await store.close();
    throw error;
  }
  if (flags.metricsPort !== undefined) output.err(`recon: metrics: ${monitoring.url ?? `http://${hostForUrl(flags.metricsHost)}:${flags.metricsPort}/metrics`}`);
  const interrupt = interruptOnce(output, 'no new page is fetched; what is in the sink is recorded');
  const print = (summary: PullSummary) => (flags.json ? output.json(summary) : output.out(runtime.pullLine(summary)));
  const observer = monitoring.observer;
  try {
    if (everyMs === undefined) print(await runtime.runPull({ loaded, store, signal: interrupt.signal, observer }));
    else await runtime.pullEvery({ loaded, store, signal: interrupt.signal, everyMs, onRun: print, observer });
  } finally {
    interrupt.dispose();
    await monitoring.close().catch((error: unknown) => output.err(`recon: metrics: ${(error as Error).message}`));
    await store.close();
  }
  if (interrupt.signal.aborted) output.exitCode = 130;
}

/** What a person reads after a run: what happened, and what to do about what did not. */
function summaryLines(s: RunSummary): string[] {
  const lines = [
    `${s.connector}: ${s.done} done${s.foundByLookup ? ` (${s.foundByLookup} found at the vendor by lookup)` : ''}, ${s.dead} dead, ${s.parked} parked, ${s.retried} retried attempts, in ${(s.durationMs / 1000).toFixed(1)} s (${s.ratePerSecond}/s)`,
  ];
  if (s.enqueued + s.duplicates + s.invalidLines > 0) {
    lines.push(`input: ${s.enqueued} queued, ${s.duplicates} already known, ${s.invalidLines} bad line${s.invalidLines === 1 ? '' : 's'} skipped`);
  }
  lines.push(`queue: ${Object.entries(s.queue).map(([state, n]) => `${n} ${state}`).join(', ')}`);
  if (s.worker) lines.push(`worker ${s.owner} stopped: the other workers, or the next one started, deliver what is still queued`);
  else if (s.stopped) lines.push('stopped: run it again to deliver the rest');
  if (s.queue.dead + s.queue.parked > 0) {
    lines.push(`see why: recon queue list --connector ${s.connector} --state ${s.queue.dead > 0 ? 'dead' : 'parked'}; re-drive after a fix: recon queue retry --connector ${s.connector} --${s.queue.dead > 0 ? 'dead' : 'parked'}`);
  }
  return lines;
}

/** One line per second in logs; redrawn in place on a terminal. */
function progressPrinter(output: Output, line: (p: RunProgress) => string): { update(p: RunProgress): void; note(text: string): void; done(): void } {
  const tty = output.stderr.isTTY === true;
  let last = 0;
  return {
    /** A line of its own (the progress line, on a terminal, is redrawn after it). */
    note(text) {
      if (tty) output.stderr.write('\r\x1b[2K');
      output.err(`recon: ${text}`);
    },
    update(p) {
      const now = Date.now();
      if (p.phase === 'enqueue' || now - last < (tty ? 200 : 1000)) return;
      last = now;
      if (tty) output.stderr.write(`\r\x1b[2K${line(p)}`);
      else output.err(`recon: ${line(p)}`);
    },
    done() {
      if (tty) output.stderr.write('\r\x1b[2K');
    },
  };
}
