/**
 * `recon diff <old> <new>`: what changed between two versions of a vendor's API document, and
 * which changes break the connectors built on the old one.
 */
import { Option, type Command } from 'commander';
import { ExitCode } from '../errors.js';
import { LOAD_SPEC_DEFAULTS } from '../spec/defaults.js';
import { headerFlag, numberFlag } from './flags.js';
import { EXIT_CODES_HELP, examples } from './help.js';
import type { Output } from './output.js';

interface DiffFlags {
  json?: boolean;
  format: 'text' | 'json' | 'markdown';
  failOn: 'breaking' | 'any' | 'never';
  allowUnresolved?: boolean;
  maxSize: number;
  timeout: number;
  header?: Record<string, string>;
}

export function registerDiffCommand(program: Command, output: Output): void {
  program
    .command('diff')
    .summary('what changed between two versions of an API document, breaking or not')
    .description(
      "Compare two versions of a vendor's API document (OpenAPI 3.0/3.1 or Swagger 2.0, in any " +
        'mix: a 2.0 → 3.0 migration of the same API diffs cleanly) operation by operation, and ' +
        'report each change with a stable kind and whether it breaks a client that sends the old ' +
        'requests and reads the old responses: removed operations and properties, new required ' +
        'parameters, changed types, new enum values and nullability in responses, changed success ' +
        'statuses, security and base paths. Descriptions and summaries are not reported.',
    )
    .argument('<old>', 'the document the integration was built against (file or URL)')
    .argument('<new>', "the vendor's new document (file or URL)")
    .option('--json', 'print the diff as one JSON document (same as --format json)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .addOption(
      new Option('--fail-on <changes>', 'exit 1 when changes of this kind are found')
        .choices(['breaking', 'any', 'never'])
        .default('breaking'),
    )
    .option('--allow-unresolved', 'compare even when $refs cannot be resolved (what they point to is skipped)')
    .option('--max-size <MB>', 'refuse documents larger than this', numberFlag(0.001, 4096), LOAD_SPEC_DEFAULTS.maxBytes / 1024 / 1024)
    .option('--timeout <seconds>', 'give up fetching a URL after this long', numberFlag(0.1, 3600), LOAD_SPEC_DEFAULTS.timeoutMs / 1000)
    .option('--header <name: value>', 'send this header when fetching URLs (repeatable)', headerFlag)
    .addHelpText(
      'after',
      examples([
        ['recon diff vendor/v1.yaml vendor/v2.yaml', 'changes by operation, breaking first; exit 1 if any break'],
        ['recon diff old.json new.json --json', 'the changes as data: kind, breaking, operation, location'],
        ['recon diff swagger.json openapi.yaml --fail-on never', 'a 2.0 → 3.0 migration; report, never fail'],
        ['recon diff v1.yaml v2.yaml --format markdown > CHANGES.md', 'a table per operation for a pull request'],
      ]) + EXIT_CODES_HELP,
    )
    .action(async (oldLocation: string, newLocation: string, flags: DiffFlags) => {
      const { diffSpecFiles, renderSpecDiffMarkdown, renderSpecDiffText } = await import('../drift/spec-diff/index.js');
      const diff = await diffSpecFiles(oldLocation, newLocation, {
        cwd: output.cwd,
        maxBytes: Math.round(flags.maxSize * 1024 * 1024),
        timeoutMs: Math.round(flags.timeout * 1000),
        allowUnresolved: flags.allowUnresolved === true,
        ...(flags.header ? { headers: flags.header } : {}),
      });
      const format = flags.json ? 'json' : flags.format;
      if (format === 'json') output.json(diff);
      else if (format === 'markdown') output.stdout.write(renderSpecDiffMarkdown(diff));
      else output.stdout.write(renderSpecDiffText(diff, output.color));

      const failing = flags.failOn === 'breaking' ? diff.summary.breaking : flags.failOn === 'any' ? diff.changes.length : 0;
      if (failing > 0) {
        output.err(`recon: ${failing} ${flags.failOn === 'breaking' ? 'breaking change(s)' : 'change(s)'} (--fail-on ${flags.failOn})`);
        output.exitCode = ExitCode.findings;
      }
    });
}
