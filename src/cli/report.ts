/**
 * `recon report`: the integration spec and the report, from the files the review wrote.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { integerFlag } from './flags.js';
import { EXIT_CODES_HELP, examples } from './help.js';
import type { Output } from './output.js';

interface ReportFlags {
  review?: string;
  out?: string;
  batchCalls?: number;
  deadline?: string;
  window?: string[];
  json?: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function registerReportCommand(program: Command, output: Output): void {
  program
    .command('report')
    .summary('write integration-spec.yaml, report.md and report.html from a review folder')
    .description(
      'Gather what the review produced (inventory.json, probe.json, drift.json + overlay.yaml, ' +
        'limits.json and their recordings) and write the integration spec that connectors read ' +
        '(validated against specs/integration-spec.schema.json), a Markdown report and one ' +
        'self-contained HTML report: summary, risk register, questions for the vendor, rate limit ' +
        'and batch plan, auth, coverage, pagination, idempotency, latency and drift per operation. ' +
        'Stages that are missing are named, with the command that fills them in.',
    )
    .option('--review <dir>', 'the review folder (default: review/ beside recon.yaml, else ./review)')
    .option('--out <dir>', 'where to write the three files (default: the review folder)')
    .option('--batch-calls <n>', 'plan a batch of this many calls at the measured limit', integerFlag(1, 1_000_000_000))
    .option('--deadline <duration>', 'the time the batch must fit in: 8h, 90m, 2d (with --batch-calls)')
    .option('--window <when>', 'when the batch may run, repeatable: "Mon-Fri 18:00-06:00" (with --batch-calls)', collect)
    .option('--json', 'print the files written, what is missing and the counts as one JSON document')
    .addHelpText(
      'after',
      examples([
        ['recon report', 'from review/ beside recon.yaml'],
        ['recon report --review acme/review --batch-calls 50000 --deadline 8h', 'and plan the monthly batch'],
        ['recon report --out /tmp/share', 'write the report elsewhere'],
      ]) + EXIT_CODES_HELP,
    )
    .action(async (flags: ReportFlags) => {
      const [{ writeReport }, { findConfig }, { parseDuration }, { dirname, join, resolve }, { mkdir }] = await Promise.all([
        import('../report/index.js'),
        import('../config/index.js'),
        import('../limits/plan/index.js'),
        import('node:path'),
        import('node:fs/promises'),
      ]);
      if ((flags.deadline !== undefined || flags.window !== undefined) && flags.batchCalls === undefined) {
        throw new UsageError('--deadline and --window describe a batch: give its size with --batch-calls');
      }
      const config = flags.review === undefined ? await findConfig(output.cwd) : undefined;
      const reviewDir = resolve(output.cwd, flags.review ?? (config ? join(dirname(config), 'review') : 'review'));
      const deadlineSeconds = flags.deadline === undefined ? undefined : parseDuration(flags.deadline, '--deadline');
      const out = flags.out === undefined ? undefined : resolve(output.cwd, flags.out);
      if (out !== undefined) await mkdir(out, { recursive: true });
      const written = await writeReport(reviewDir, {
        workspace: config ? dirname(config) : dirname(reviewDir),
        ...(out !== undefined ? { out } : {}),
        ...(flags.batchCalls !== undefined ? { batch: { calls: flags.batchCalls, ...(deadlineSeconds !== undefined ? { deadlineSeconds } : {}), ...(flags.window ? { windows: flags.window } : {}) } } : {}),
      });
      const { model, files, inputs } = written;
      if (flags.json) {
        output.json({ files, missing: model.missing, problems: inputs.problems, risks: model.risks.length, questions: model.questions.length });
        return;
      }
      for (const problem of inputs.problems) output.err(`recon: ${problem}`);
      for (const missing of model.missing) output.err(`recon: ${missing}`);
      const high = model.risks.filter((r) => r.severity === 'high').length;
      output.out(`${model.risks.length} risk(s) (${high} high), ${model.questions.length} question(s) for the vendor`);
      output.out(`Report:            ${files.html}`);
      output.out(`                   ${files.markdown}`);
      output.out(`Integration spec:  ${files.integrationSpec}`);
    });
}
