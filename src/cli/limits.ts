/**
 * `recon limits`: measure a target's real rate limit without burning its quota — headers
 * first, then a budgeted ramp to the first refusal and a few probes to see how it recovers.
 */
import { dirname, join } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ReconConfig, TargetConfig } from '../config/index.js';
import { TARGET_FLAGS_HELP, targetFlagOptions, type TargetFlags } from '../config/target-flags.js';
import { ExitCode, UsageError } from '../errors.js';
import type { LimitsProgress } from '../limits/types.js';
import { integerFlag } from './flags.js';
import { EXIT_CODES_HELP, examples } from './help.js';
import type { Output } from './output.js';
import { interruptOnce } from './interrupt.js';
import { resolveTarget } from './target.js';

/** Must match MEASURE_DEFAULTS (src/limits/measure/options.ts); written here so --help loads nothing. */
const DEFAULT_BUDGET = 150;
const DEFAULT_MAX_DURATION = '2m';
const DEFAULT_MAX_RATE = '40/s';
/** Target flags that mean something else for a measurement (its own --budget, --max-rate). */
const NOT_FOR_LIMITS = new Set(['--budget', '--concurrency', '--rate-limit']);

interface LimitsFlags extends Partial<TargetFlags> {
  config?: string;
  target?: string;
  op?: string[];
  path?: string[];
  maxDuration: number;
  maxRate: number;
  out?: string;
  record: boolean;
  json?: boolean;
}

export function registerLimitsCommand(program: Command, output: Output): void {
  const command = program
    .command('limits')
    .summary("measure a target's real rate limit without burning its quota")
    .description(
      'Find the rate limit a vendor really enforces. Free first: what the document says, and what the first ' +
        "response's headers say — complete headers (limit, remaining, reset or window) settle it in two calls. " +
        'Otherwise a ramp on one cheap, safe GET at a rising rate until the first refusal (429, a 503 with ' +
        'Retry-After, or a connection closed unanswered); Retry-After is honoured, then a few spaced probes show ' +
        'when calls succeed again and how many at once: the whole quota at once is a fixed window, a trickle ' +
        'a token bucket or a sliding window. Two --op/--path tell a global limit from a per-operation one. ' +
        'Prints the limit, window, burst, policy and scope, each with its source, confidence and evidence, and ' +
        'where the document disagrees. Every call is recorded as redacted HAR.',
    )
    .option('--config <file>', 'the review config (default: recon.yaml here or in a parent directory)')
    .option('--target <name>', 'which target of the config (default: the only one, else "sandbox")')
    .option('--op <operation>', 'operationId or "GET /path" of the document to call (repeat once to check the scope)', collect)
    .option('--path <path>', 'a concrete GET path below the base URL, e.g. /customers (repeat once to check the scope)', collect)
    .addOption(new Option('--budget <n>', `most requests to spend (default ${DEFAULT_BUDGET}, or the target's budget if lower)`).argParser(integerFlag(2, 100_000)))
    .addOption(new Option('--max-duration <time>', 'stop after this long, waits included: 90s, 2m, 1h').argParser(durationFlag).default(durationFlag(DEFAULT_MAX_DURATION), DEFAULT_MAX_DURATION))
    .addOption(new Option('--max-rate <rate>', 'the fastest recon sends: 40/s, 600/m').argParser(rateFlag).default(rateFlag(DEFAULT_MAX_RATE), DEFAULT_MAX_RATE))
    .option('--out <file>', 'write the result JSON here (default with a config: review/limits.json beside recon.yaml)')
    .option('--no-record', 'write no HAR of the calls')
    .option('--json', 'print the result as one JSON document');
  for (const option of targetFlagOptions()) if (!NOT_FOR_LIMITS.has(option.long ?? '')) command.addOption(option);
  command
    .addHelpText(
      'after',
      examples([
        ['recon limits', "the config's target, on the cheapest safe operation of its document"],
        ['recon limits --op listCustomers --op listProducts', 'two operations: is the limit shared?'],
        ["recon limits --base-url https://api.vendor.example/v1 --path /customers --header 'X-Api-Key: …' --out limits.json", 'without a config'],
        ['recon limits --budget 80 --max-duration 90s --max-rate 10/s', 'tighter manners for a fragile sandbox'],
      ]) +
        TARGET_FLAGS_HELP +
        '\n' +
        EXIT_CODES_HELP +
        '\n  limits exits 3 when the vendor could not be reached. Ctrl-C stops it (what was seen is still concluded and recorded; exit 130).',
    )
    .action(async (flags: LimitsFlags) => {
      const [{ resolveConfigPath, targetRecordingsDir, targetSecrets }, measure, { loadSpec, buildInventory }] = await Promise.all([
        import('../config/index.js'),
        import('../limits/index.js'),
        import('../spec/index.js'),
      ]);
      const { target, config } = await resolveTarget(flags, output, {
        message: 'no recon.yaml here or in a parent directory, and no --base-url',
        hint: "run 'recon init' to write one, or give --base-url and --path",
      });
      const tlsWarning = (await import('../config/index.js')).insecureTlsWarning(target);
      // Every run, not once: verification off must never be forgotten.
      if (tlsWarning !== undefined) output.err(`recon: warning: ${tlsWarning}`);
      const specLocation = target.spec === undefined ? undefined : config ? resolveConfigPath(config, target.spec) : target.spec;
      const spec = specLocation === undefined ? undefined : await loadSpec(specLocation, { cwd: output.cwd });
      const operations = measure.chooseOperations({ target, ...(spec ? { spec } : {}), ops: flags.op ?? [], paths: flags.path ?? [] });
      const hints = spec ? buildInventory(spec).rateLimits : undefined;
      const documented = hints ? measure.documentedLimit(hints) : undefined;
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const recordingPath = flags.record ? join(targetRecordingsDir(config, target.name, output.cwd), `limits-${stamp}.har`) : undefined;
      const out = flags.out ?? (config ? join(dirname(config.file), 'review', 'limits.json') : undefined);
      const interrupt = interruptOnce(output, 'no new calls; concluding from what was seen');
      const progress = progressReporter(output);
      const result = await measure
        .measureLimits({
          target,
          operations,
          ...(documented ? { documented } : {}),
          documentedHeaders: hints?.documentedHeaders.map((h) => h.name) ?? [],
          budget: flags.budget ?? Math.min(DEFAULT_BUDGET, config ? target.budget : DEFAULT_BUDGET),
          maxDurationMs: flags.maxDuration,
          maxRatePerSecond: flags.maxRate,
          redaction: config?.redaction ?? { headers: [], queryParams: [], jsonPaths: [] },
          secrets: [...(config?.secrets ?? []), ...targetSecrets(target)],
          ...(recordingPath !== undefined ? { recordingPath } : {}),
          onProgress: progress.update,
          signal: interrupt.signal,
        })
        .finally(() => {
          interrupt.dispose();
          progress.done();
        });
      if (out !== undefined) await measure.writeLimitsResult(out, result);
      if (flags.json) output.json(result);
      else {
        const [title, ...rest] = measure.summaryLines(result);
        output.out(output.color.bold(title));
        for (const line of rest) output.out(line.startsWith('  ! ') ? output.color.yellow(line) : line);
        if (out !== undefined) output.out(`result (JSON): ${out}`);
      }
      if (interrupt.signal.aborted) output.exitCode = 130;
      else if (!result.reachedVendor) {
        output.err(`recon: ${result.conclusion}`);
        output.exitCode = ExitCode.runtime;
      }
    });
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `90s`, `2m`, `1h`, `1500ms` or plain seconds → milliseconds. */
export function durationFlag(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('expected a duration such as 90s, 2m or 1h');
  const ms = Number(match[1]) * ({ ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 }[match[2] ?? 's'] ?? 1000);
  if (!(ms >= 1000 && ms <= 24 * 3_600_000)) throw new InvalidArgumentError('expected a duration from 1s to 24h');
  return ms;
}

/** `40/s`, `600/m`, `5000/h` or a plain number per second → requests per second. */
export function rateFlag(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|m|min|h))?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('expected a rate such as 40/s or 600/m');
  const perSecond = Number(match[1]) / ({ s: 1, sec: 1, m: 60, min: 60, h: 3600 }[match[2] ?? 's'] ?? 1);
  if (!(perSecond > 0 && perSecond <= 1000)) throw new InvalidArgumentError('expected a rate above 0 and at most 1000/s');
  return perSecond;
}

/** Phase changes as lines (they matter in CI logs too); the counters redrawn in place on a terminal. */
function progressReporter(output: Output): { update(p: LimitsProgress): void; done(): void } {
  const tty = output.stderr.isTTY === true;
  let phase = '';
  let last = 0;
  return {
    update(p) {
      const line = `${p.spent}/${p.budget} requests, ${p.ratePerSecond}/s, ${p.refusals} refused`;
      // Recovery follows the wait without a line of its own: the wait's line says what happens.
      if (p.phase !== phase && p.phase !== 'headers' && p.phase !== 'recovery') {
        phase = p.phase;
        const what = p.phase === 'ramp' ? 'headers do not settle it: ramping up until the first refusal' : `refused after ${p.spent} requests; ${p.message ?? 'probing for recovery'}`;
        output.err(`${tty ? '\r\x1b[2K' : ''}recon: ${what} (${line})`);
      }
      if (!tty || Date.now() - last < 100) return;
      last = Date.now();
      output.stderr.write(`\r\x1b[2K[${p.phase}] ${line}`);
    },
    done() {
      if (tty) output.stderr.write('\r\x1b[2K');
    },
  };
}


