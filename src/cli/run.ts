/**
 * `recon run CONNECTOR`: enqueue an input, then deliver the connector's queue to the vendor.
 */
import { Option, type Command } from 'commander';
import { ExitCode, RuntimeFailure, UsageError } from '../errors.js';
import { EXIT_CODES_HELP, examples } from './help.js';
import { interruptOnce } from './interrupt.js';
import type { Output } from './output.js';
// Types only: erased at build time, so `recon --help` loads none of the runtime.
import type { LoadedConnector, PullSummary, RunProgress, RunSummary, Store } from '../runtime/index.js';

interface RunFlags {
  input?: string;
  format?: 'ndjson' | 'csv' | 'json';
  store?: string;
  json?: boolean;
  failOn: 'dead' | 'never';
  every?: string;
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
    .option('--store <location>', "the store: sqlite:PATH (default: .recon/recon.db beside the connector's recon.yaml)")
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
      ]) +
        EXIT_CODES_HELP +
        "\n  run: 1 when the connector's queue holds dead or parked messages (--fail-on never: 0);" +
        '\n  2 for a bad connector or input (bad lines are reported by line number and skipped, the' +
        '\n  rest is delivered); 3 when the store cannot be opened or the vendor cannot be reached.' +
        '\n  Ctrl-C stops leasing, lets the calls in flight finish and exits 130; the rest stays queued.' +
        '\n  A pull connector exits 3 when a page fails for good or its sink fails (a non-zero exit of its command).',
    )
    .action(async (file: string, flags: RunFlags) => {
      const runtime = await import('../runtime/index.js');
      const loaded = await runtime.loadConnector(file, { cwd: output.cwd, env: output.env });
      const store = await runtime.openStore(flags.store ?? runtime.storeBesideConfig(loaded.config.file), { cwd: output.cwd });
      if (loaded.definition.pull !== undefined) {
        await pullCommand(runtime, loaded, store, flags, output);
        return;
      }
      const interrupt = interruptOnce(output, 'no new calls; the calls in flight finish, the rest stays queued');
      const progress = progressPrinter(output, runtime.progressLine);
      let summary: RunSummary;
      try {
        summary = await runtime.runConnector({
          loaded,
          store,
          ...(flags.input === undefined ? {} : { input: runtime.readInput(flags.input, flags.format ? { format: flags.format } : {}) }),
          signal: interrupt.signal,
          onProgress: progress.update,
          onInputProblem: (p) => output.err(`recon: ${flags.input === '-' ? '(stdin)' : flags.input}:${p.line}: ${p.message}`),
        });
      } finally {
        interrupt.dispose();
        progress.done();
        await store.close();
      }
      if (flags.json) output.json(summary);
      else for (const line of summaryLines(summary)) output.out(line);
      if (interrupt.signal.aborted) {
        output.exitCode = 130;
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

/** A pull connector: once, or every `--every` (or its `every`) until Ctrl-C (exit 130). */
async function pullCommand(runtime: Runtime, loaded: LoadedConnector, store: Store, flags: RunFlags, output: Output): Promise<void> {
  if (flags.input !== undefined) {
    await store.close();
    throw new UsageError(`--input is for push connectors; ${loaded.definition.name} is a pull connector (it reads from the vendor into its sink)`);
  }
  const every = flags.every ?? loaded.definition.pull?.every;
  let everyMs: number | undefined;
  try {
    if (every !== undefined) everyMs = (await import('../limits/index.js')).parseDuration(every, '--every') * 1000;
  } catch (error) {
    await store.close();
    throw error;
  }
  const interrupt = interruptOnce(output, 'no new page is fetched; what is in the sink is recorded');
  const print = (summary: PullSummary) => (flags.json ? output.json(summary) : output.out(runtime.pullLine(summary)));
  try {
    if (everyMs === undefined) print(await runtime.runPull({ loaded, store, signal: interrupt.signal }));
    else await runtime.pullEvery({ loaded, store, signal: interrupt.signal, everyMs, onRun: print });
  } finally {
    interrupt.dispose();
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
  if (s.stopped) lines.push('stopped: run it again to deliver the rest');
  if (s.queue.dead + s.queue.parked > 0) {
    lines.push(`see why: recon queue list --connector ${s.connector} --state ${s.queue.dead > 0 ? 'dead' : 'parked'}; re-drive after a fix: recon queue retry --connector ${s.connector} --${s.queue.dead > 0 ? 'dead' : 'parked'}`);
  }
  return lines;
}

/** One line per second in logs; redrawn in place on a terminal. */
function progressPrinter(output: Output, line: (p: RunProgress) => string): { update(p: RunProgress): void; done(): void } {
  const tty = output.stderr.isTTY === true;
  let last = 0;
  return {
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
