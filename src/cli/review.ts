/**
 * `recon review`: the whole review of one target in one go (spec → probe → limits → drift →
 * report), with one progress display.
 */
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { integerFlag } from './flags.js';
import { EXIT_CODES_HELP, examples } from './help.js';
import { interruptOnce } from './interrupt.js';
import type { Output } from './output.js';
import { resolveTarget } from './target.js';

interface ReviewFlags {
  config?: string;
  target?: string;
  skip?: string[];
  batchCalls?: number;
  deadline?: string;
  window?: string[];
  limitsBudget: number;
  json?: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];
const STAGES = ['spec', 'probe', 'limits', 'drift', 'report'];

export function registerReviewCommand(program: Command, output: Output): void {
  program
    .command('review')
    .summary('run the whole review of a target: spec, probe, limits, drift and the report')
    .description(
      "Run every stage of the technical review against one target of recon.yaml, in order, and " +
        'write each stage\'s result into review/ beside it: inventory.json, probe.json (+ HAR), ' +
        'limits.json (+ HAR), drift.json and overlay.yaml, then integration-spec.yaml, report.md ' +
        'and report.html. Each stage can still be run alone (recon probe, recon drift …) and ' +
        '`recon report` rebuilds the report from the files.',
    )
    .option('--config <file>', 'the review config (default: recon.yaml here or in a parent directory)')
    .option('--target <name>', 'which target of the config (default: the only one, else "sandbox")')
    .addOption(new Option('--skip <stage>', 'leave a stage out (repeatable); the report still reads its earlier file').choices(STAGES.filter((s) => s !== 'report')).argParser(collect))
    .option('--batch-calls <n>', 'plan a batch of this many calls at the measured limit (e.g. the monthly run)', integerFlag(1, 1_000_000_000))
    .option('--deadline <duration>', 'the time the batch must fit in: 8h, 90m, 2d (with --batch-calls)')
    .option('--window <when>', 'when the batch may run, repeatable: "Mon-Fri 18:00-06:00" (with --batch-calls)', collect)
    .option('--limits-budget <n>', 'most requests the rate-limit measurement may spend', integerFlag(1, 100_000), 150)
    .option('--json', 'print the files written and the summary as one JSON document')
    .addHelpText(
      'after',
      examples([
        ['recon review', "the config's only target (or \"sandbox\")"],
        ['recon review --batch-calls 50000 --deadline 8h', 'and say whether the monthly batch fits a night'],
        ['recon review --skip limits', 'when the vendor forbids load tests; an earlier limits.json is still used'],
      ]) + EXIT_CODES_HELP,
    )
    .action(async (flags: ReviewFlags) => {
      const [{ runReview }, { parseDuration }] = await Promise.all([import('../review/index.js'), import('../limits/plan/index.js')]);
      if ((flags.deadline !== undefined || flags.window !== undefined) && flags.batchCalls === undefined) {
        throw new UsageError('--deadline and --window describe a batch: give its size with --batch-calls');
      }
      const { target, config } = await resolveTarget({ ...(flags.config ? { config: flags.config } : {}), ...(flags.target ? { target: flags.target } : {}) }, output, {
        message: 'recon review needs a recon.yaml (here or in a parent directory)',
        hint: "run 'recon init' to write one, or 'recon demo' to see a review of the bundled sandbox",
      });
      if (config === undefined) throw new UsageError('recon review needs a recon.yaml');
      const tlsWarning = (await import('../config/index.js')).insecureTlsWarning(target);
      // Every run, not once: verification off must never be forgotten.
      if (tlsWarning !== undefined) output.err(`recon: warning: ${tlsWarning}`);
      const deadlineSeconds = flags.deadline === undefined ? undefined : parseDuration(flags.deadline, '--deadline');
      const interrupt = interruptOnce(output, 'no new calls; the stages finish with what they have');
      const result = await runReview({
        config,
        target,
        ...(flags.skip ? { skip: flags.skip as ('spec' | 'probe' | 'limits' | 'drift')[] } : {}),
        ...(flags.batchCalls !== undefined ? { batch: { calls: flags.batchCalls, ...(deadlineSeconds !== undefined ? { deadlineSeconds } : {}), ...(flags.window ? { windows: flags.window } : {}) } } : {}),
        limitsBudget: flags.limitsBudget,
        onStage: (e) => output.err(`${output.errColor.dim(`[${e.index}/${e.of}]`)} ${e.stage.padEnd(6)} ${e.status === 'start' ? output.errColor.dim(e.message) : e.message}`),
        signal: interrupt.signal,
      }).finally(() => interrupt.dispose());
      if (flags.json) {
        output.json({ reviewDir: result.reviewDir, files: result.report.files, recordings: result.recordings, missing: result.report.model.missing, risks: result.report.model.risks.length, questions: result.report.model.questions.length });
        return;
      }
      output.out(`Report:            ${result.report.files.html}`);
      output.out(`                   ${result.report.files.markdown}`);
      output.out(`Integration spec:  ${result.report.files.integrationSpec}`);
      if (interrupt.signal.aborted) output.exitCode = 130;
    });
}

