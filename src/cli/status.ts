/**
 * `recon status`: one screen for a person — every connector's state, queue, throughput, error
 * rate, latency against the review's baseline, last delivery, workers and firing alerts.
 */
import type { Command } from 'commander';
import { integerFlag } from './flags.js';
import { EXIT_CODES_HELP, examples } from './help.js';
import type { Output } from './output.js';
import { STORE_FLAG_HELP, storeLocationFrom } from './store-flag.js';
import { MONITOR_DEFAULTS } from '../monitor/defaults.js';

interface StatusFlags {
  store?: string;
  watch?: number | true;
  window: number;
  json?: boolean;
}

export function registerStatusCommand(program: Command, output: Output): void {
  program
    .command('status')
    .summary('every connector at a glance: state, queue, rate, errors, latency, workers, alerts')
    .description(
      'One screen from the store: each connector is running (a worker or a run reports), idle, stalled (messages wait and ' +
        'nothing delivers them, or a run died) or failing (errors, latency, a silent source); with its queue, delivery ' +
        "rate, error rate, p95 latency against the review's baseline, last delivery, workers and firing alerts. " +
        'It only reads: alerts are notified by recon monitor check.',
    )
    .option('--store <location>', STORE_FLAG_HELP)
    .option('--watch [seconds]', `redraw every few seconds (default ${MONITOR_DEFAULTS.watchSeconds}) until Ctrl-C`, integerFlag(1, 3600))
    .option('--window <seconds>', 'range of the rates and percentiles', integerFlag(1, 86_400), MONITOR_DEFAULTS.windowSeconds)
    .option('--json', 'print one JSON document (with --watch: one a line per refresh)')
    .addHelpText('after', examples([['recon status', 'once'], ['recon status --watch 2', 'a live screen']]) + EXIT_CODES_HELP + '\n  status: 3 when there is no store yet (run a connector first).')
    .action(async (flags: StatusFlags) => {
      const m = await import('../monitor/index.js');
      const { defaultStoreLocation } = await import('../runtime/index.js');
      const location = await storeLocationFrom(flags.store, output.env, () => defaultStoreLocation(output.cwd));
      const store = await m.openExistingStore(location, { cwd: output.cwd });
      const tty = output.stdout.isTTY === true;
      const draw = async () => {
        const report = await m.statusReport({ store, now: Date.now(), windowSeconds: flags.window });
        if (flags.json) {
          if (flags.watch) output.stdout.write(JSON.stringify(report) + '\n');
          else output.json(report);
        }
        else {
          if (flags.watch && tty) output.stdout.write('\x1b[H\x1b[2J');
          for (const line of m.statusLines(report)) output.out(line);
          if (flags.watch && !tty) output.out('');
        }
      };
      try {
        if (flags.watch === undefined) {
          await draw();
          return;
        }
        const everyMs = (flags.watch === true ? MONITOR_DEFAULTS.watchSeconds : flags.watch) * 1000;
        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          while (!stop.signal.aborted) {
            await draw();
            await new Promise<void>((done) => {
              const timer = setTimeout(done, everyMs);
              stop.signal.addEventListener('abort', () => (clearTimeout(timer), done()), { once: true });
            });
          }
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      } finally {
        await store.close();
      }
    });
}
