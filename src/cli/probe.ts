/**
 * `recon probe`: budgeted, authenticated, safe calls against a target, recorded as redacted HAR.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
// The flag definitions and defaults, without the config loader (and Ajv): --help and every other
// command start without them.
import { CONFIG_DEFAULTS } from '../config/defaults.js';
import { TARGET_FLAGS_HELP, targetFlagOptions, type TargetFlags } from '../config/target-flags.js';
import { ExitCode, UsageError } from '../errors.js';
import { integerFlag } from './flags.js';
import { EXIT_CODES_HELP, examples } from './help.js';
import type { Output } from './output.js';
import { progressLine, renderProbe } from './render-probe.js';
import { interruptOnce } from './interrupt.js';
import { resolveTarget } from './target.js';

interface ProbeFlags extends Partial<TargetFlags> {
  config?: string;
  target?: string;
  out?: string;
  record: boolean;
  maxPages?: number;
  json?: boolean;
}

export function registerProbeCommand(program: Command, output: Output): void {
  const command = program
    .command('probe')
    .summary('make real, budgeted calls to a vendor sandbox and record them as redacted HAR')
    .description(
      'Call every safe (GET/HEAD) operation of the document that the plan can reach — parameters from ' +
        'the plan, then the document\'s examples, then ids discovered in list responses — plus the ' +
        "plan's explicit calls when the target allows writes. Reports auth (does it work, token " +
        'lifetime, scopes, clock skew), per-operation status codes and latency, pagination as ' +
        'documented vs observed, the idempotency check, and which operations were not called and why. ' +
        'Every exchange is recorded as HAR 1.2 with secrets and national identity numbers redacted ' +
        'before anything is written. Reads recon.yaml (found in this or a parent directory) unless ' +
        '--base-url is given.',
    )
    .option('--config <file>', 'the review config (default: recon.yaml here or in a parent directory)')
    .option('--target <name>', 'which target of the config to probe (default: the only one, else "sandbox")')
    .option('--out <file>', 'where to write the HAR (default: <recordings>/<target>/<timestamp>.har)')
    .option('--no-record', 'write no HAR')
    .option('--max-pages <n>', `pages followed per list operation (default ${CONFIG_DEFAULTS.probe.maxPages})`, integerFlag(1, 1000))
    .option('--json', 'print the result as one JSON document');
  for (const option of targetFlagOptions()) command.addOption(option);
  command
    .addHelpText(
      'after',
      examples([
        ['recon probe', 'the config\'s only target (or "sandbox")'],
        ['recon probe --target test --budget 50', 'another target, at most 50 requests'],
        ['recon probe --base-url http://127.0.0.1:4010/api/v1 --spec acme.yaml --api-key-header X-Api-Key --api-key-env ACME_KEY', 'a first look without a config'],
      ]) +
        TARGET_FLAGS_HELP +
        '\n' +
        EXIT_CODES_HELP +
        '\n  The probe exits 3 only when nothing could be probed (vendor unreachable, auth failed on every call).' +
        '\n  Ctrl-C stops it gracefully (calls in flight finish, the recording is written; exit 130); a second Ctrl-C quits at once.',
    )
    .action(async (flags: ProbeFlags) => {
      const [{ resolveConfigPath, targetRecordingsDir, targetSecrets }, { runProbe }, { loadSpec }] = await Promise.all([
        import('../config/index.js'),
        import('../probe/index.js'),
        import('../spec/index.js'),
      ]);
      const { target, config } = await resolveTarget(flags, output);
      const tlsWarning = (await import('../config/index.js')).insecureTlsWarning(target);
      // Every run, not once: verification off must never be forgotten.
      if (tlsWarning !== undefined) output.err(`recon: warning: ${tlsWarning}`);
      const specLocation = target.spec === undefined ? undefined : config ? resolveConfigPath(config, target.spec) : target.spec;
      if (specLocation === undefined) {
        throw new UsageError(`target "${target.name}" names no API document`, { hint: 'add spec: to the target in recon.yaml, or pass --spec <file-or-url>' });
      }
      const spec = await loadSpec(specLocation, { cwd: output.cwd });
      const plan = config?.probe ?? { parameters: {}, operations: {}, calls: [], ...CONFIG_DEFAULTS.probe };
      const recordingPath = !flags.record ? undefined : (flags.out ?? join(targetRecordingsDir(config, target.name, output.cwd), `${new Date().toISOString().replace(/[:.]/g, '-')}.har`));
      const progress = progressLine(output);
      const interrupt = interruptOnce(output, 'finishing the calls in flight and writing the recording');
      const result = await runProbe({
        spec,
        target,
        plan: flags.maxPages === undefined ? plan : { ...plan, maxPages: flags.maxPages },
        redaction: config?.redaction ?? { headers: [], queryParams: [], jsonPaths: [] },
        secrets: [...(config?.secrets ?? []), ...targetSecrets(target)],
        ...(recordingPath !== undefined ? { recordingPath } : {}),
        onProgress: (p) => progress.update(p),
        signal: interrupt.signal,
      }).finally(() => interrupt.dispose());
      progress.done();
      if (flags.json) output.json(result);
      else renderProbe(result, output);
      if (interrupt.signal.aborted) {
        output.exitCode = 130; // the shell's code for "ended by Ctrl-C", after a graceful stop
      } else if (!result.reachedVendor) {
        output.err(`recon: nothing could be probed on ${target.baseUrl}${result.problems[0] ? `: ${result.problems[0].code} ${result.problems[0].message}` : ''}`);
        output.exitCode = ExitCode.runtime;
      }
    });
}

