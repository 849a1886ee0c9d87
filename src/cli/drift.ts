/**
 * `recon drift`: diff recorded responses against the vendor's document.
 */
import { Option, type Command } from 'commander';
import { ExitCode, UsageError } from '../errors.js';
import { LOAD_SPEC_DEFAULTS } from '../spec/defaults.js';
import { numberFlag } from './flags.js';
import { EXIT_CODES_HELP, examples } from './help.js';
import type { Output } from './output.js';

type Format = 'text' | 'json' | 'markdown' | 'junit' | 'sarif';
const FORMATS: Format[] = ['text', 'json', 'markdown', 'junit', 'sarif'];

interface DriftFlags {
  spec?: string;
  config?: string;
  target?: string;
  har?: string[];
  from?: string[];
  format: Format;
  json?: boolean;
  out?: string;
  failOn: 'error' | 'warning' | 'never';
  overlay?: string[];
  overlayOut?: string;
  profile?: boolean;
  baseline?: string[];
  strict: boolean;
  allowUnresolved?: boolean;
  maxSize: number;
  secretEnv?: string[];
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function registerDriftCommand(program: Command, output: Output): void {
  program
    .command('drift')
    .summary('diff recorded responses against the documented schemas')
    .description(
      'Read recordings (HAR 1.2 from `recon probe`, a browser, a proxy or Postman), match each ' +
        "exchange to its documented operation, and report every way the vendor's responses differ " +
        'from its document: undocumented operations, statuses, content types, headers and ' +
        'properties; missing required properties and headers; wrong types, nulls, enum values, ' +
        'formats and constraints; and what the document promises that was never observed. ' +
        'Findings are folded per operation, status and JSON pointer with "seen in N of M".',
    )
    .option('--spec <file-or-url>', "the vendor's OpenAPI 3.x / Swagger 2.0 document (default: the target's in recon.yaml)")
    .option('--har <file>', 'a HAR recording (repeatable)', collect)
    .option('--from <dir>', "every .har file under this directory (repeatable; default with a config: the target's recordings)", collect)
    .option('--config <file>', 'the review config (default: recon.yaml here or in a parent directory), used when --spec is not given')
    .option('--target <name>', 'which target of the config (default: the only one, else "sandbox")')
    .addOption(new Option('--format <format>', 'report format').choices(FORMATS).default('text'))
    .option('--json', 'same as --format json')
    .option('--out <file>', 'write the report to this file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding of this severity or worse is found').choices(['error', 'warning', 'never']).default('error'))
    .option('--overlay <file>', 'apply this OpenAPI Overlay to the document before diffing (repeatable, in order)', collect)
    .option('--overlay-out <file>', 'write an OpenAPI Overlay 1.0 that makes the document match what was observed')
    .option('--profile', 'add the data profile: null rates, formats, non-unique keys, mixed formats')
    .option('--baseline <har-or-dir>', 'an earlier recording of the same operations: report what the vendor changed since (repeatable)', collect)
    .option('--secret-env <VAR>', 'redact the value of this environment variable wherever it appears (repeatable): the credentials a browser HAR may hold', collect)
    .option('--no-strict', 'do not report properties the document does not declare')
    .option('--allow-unresolved', 'diff even when $refs cannot be resolved (they accept anything)')
    .option('--max-size <MB>', 'refuse documents larger than this', numberFlag(0.001, 4096), LOAD_SPEC_DEFAULTS.maxBytes / 1024 / 1024)
    .addHelpText(
      'after',
      examples([
        ['recon drift', "in a workspace: the target's document against everything recon probe recorded"],
        ['recon drift --spec specs/acme.yaml --from fixtures/', 'summary grouped by operation, worst first'],
        ['recon drift --spec api.yaml --har run.har --overlay-out fix.overlay.yaml', 'also write the corrections as an Overlay'],
        ['recon drift --spec api.yaml --har run.har --overlay fix.overlay.yaml', 'diff again with the corrections applied'],
        ['recon drift --spec api.yaml --from rec/ --format sarif --out drift.sarif', 'for GitHub code scanning'],
        ['recon drift --spec api.yaml --from today/ --baseline last-week/', 'what changed in the vendor since last week'],
        ['recon drift --spec api.yaml --har export.har --profile --format markdown', 'a Markdown report with the data profile'],
      ]) +
        '\nSeverity: error = the document is contradicted; warning = reality has more than the document ' +
        'says; info = unverified (documented, never observed) or a fact about the data.\n' +
        EXIT_CODES_HELP,
    )
    .action(async (flags: DriftFlags) => {
      const recordings = [...(flags.har ?? []), ...(flags.from ?? [])];
      const format: Format = flags.json ? 'json' : flags.format;
      const workspace = flags.spec === undefined ? await fromWorkspace(flags, output) : undefined;
      const spec = flags.spec ?? workspace!.spec;
      if (recordings.length === 0 && workspace !== undefined) recordings.push(workspace.recordings);
      if (recordings.length === 0) throw new UsageError('give the recordings to diff with --har FILE or --from DIR');
      const secrets = [...(workspace?.secrets ?? [])];
      for (const name of flags.secretEnv ?? []) {
        const value = output.env[name];
        if (value === undefined || value === '') throw new UsageError(`--secret-env ${name}: the environment variable is not set`);
        secrets.push(value);
      }
      const [{ reviewDrift }, render, { writeFile }, { stringify }] = await Promise.all([
        import('../drift/review.js'),
        import('../drift/render/index.js'),
        import('node:fs/promises'),
        import('yaml'),
      ]);
      const progress = output.stderr.isTTY === true ? (message: string) => output.stderr.write(`\r\u001b[2K${message}`) : undefined;
      const { createRedactor } = await import('../http/redact/index.js');
      const review = await reviewDrift({
        redactor: createRedactor({ secrets }),
        spec,
        recordings,
        cwd: output.cwd,
        strictProperties: flags.strict,
        overlay: flags.overlayOut !== undefined,
        ...(flags.overlay ? { overlays: flags.overlay } : {}),
        ...(flags.profile ? { profile: true } : {}),
        ...(flags.baseline ? { baseline: flags.baseline } : {}),
        load: { maxBytes: Math.round(flags.maxSize * 1024 * 1024), allowUnresolved: flags.allowUnresolved === true },
        ...(progress ? { onProgress: progress } : {}),
      });
      if (progress) output.stderr.write('\r\u001b[2K');
      const { report } = review;

      for (const applied of review.spec.source.overlays ?? []) {
        for (const unmatched of applied.unmatched) output.err(`recon: ${applied.source}: action ${unmatched.index} matched nothing (${unmatched.target})`);
      }
      if (flags.overlayOut !== undefined && review.overlay !== undefined) {
        const path = (await import('node:path')).resolve(output.cwd, flags.overlayOut);
        const text = flags.overlayOut.endsWith('.json') ? JSON.stringify(review.overlay.overlay, null, 2) + '\n' : stringify(review.overlay.overlay, { lineWidth: 0 });
        await writeFile(path, text);
        output.err(`recon: wrote ${flags.overlayOut}: ${review.overlay.overlay.actions.length} action(s) correcting ${review.overlay.corrected} finding(s)`);
        for (const note of review.overlay.notes.slice(0, 10)) output.err(`recon: overlay: ${note}`);
      }

      const text =
        format === 'json'
          ? JSON.stringify(report, null, 2)
          : format === 'markdown'
            ? render.renderDriftMarkdown(report)
            : format === 'junit'
              ? render.renderDriftJUnit(report)
              : format === 'sarif'
                ? JSON.stringify(render.renderDriftSarif(report, { regionOf: await (await import('../drift/regions.js')).documentRegions(review.spec, report.findings.map((f) => f.location)) }), null, 2)
                : render.renderDriftText(report, flags.out === undefined ? { color: output.color } : {});
      if (flags.out !== undefined) {
        await writeFile((await import('node:path')).resolve(output.cwd, flags.out), text.endsWith('\n') ? text : `${text}\n`);
        output.err(`recon: wrote ${flags.out} (${format})`);
      } else if (format === 'json') {
        output.json(report);
      } else {
        output.out(text.replace(/\n$/, ''));
      }

      const failing = flags.failOn === 'never' ? 0 : report.summary.findings.error + (flags.failOn === 'warning' ? report.summary.findings.warning : 0);
      if (failing > 0) {
        output.err(`recon: ${failing} finding(s) of severity ${flags.failOn} or worse (--fail-on ${flags.failOn})`);
        output.exitCode = ExitCode.findings;
      }
    });
}

/** Without --spec: the target's document, its recordings folder and its secrets, from recon.yaml. */
async function fromWorkspace(flags: DriftFlags, output: Output): Promise<{ spec: string; recordings: string; secrets: string[] }> {
  const [{ resolveTarget }, { resolveConfigPath, targetRecordingsDir, targetSecrets }] = await Promise.all([import('./target.js'), import('../config/index.js')]);
  const { target, config } = await resolveTarget({ ...(flags.config ? { config: flags.config } : {}), ...(flags.target ? { target: flags.target } : {}) }, output, {
    message: 'no --spec, and no recon.yaml here or in a parent directory',
    hint: "pass --spec <file-or-url> with --har/--from, or run 'recon init'",
  });
  if (target.spec === undefined) throw new UsageError(`target "${target.name}" names no API document`, { hint: 'add spec: to the target in recon.yaml, or pass --spec' });
  return {
    spec: config ? resolveConfigPath(config, target.spec) : target.spec,
    recordings: targetRecordingsDir(config, target.name, output.cwd),
    secrets: [...(config?.secrets ?? []), ...targetSecrets(target)],
  };
}
