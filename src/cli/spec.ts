/**
 * `recon spec <file-or-url>`: the inventory of a vendor's API document.
 */
import { Option, type Command } from 'commander';
import { ExitCode } from '../errors.js';
import type { Gap } from '../spec/index.js';
import { LOAD_SPEC_DEFAULTS } from '../spec/defaults.js';
import { headerFlag, numberFlag } from './flags.js';
import { EXIT_CODES_HELP, examples } from './help.js';
import type { Output } from './output.js';
import { renderInventory } from './render-inventory.js';

interface SpecFlags {
  json?: boolean;
  format: 'text' | 'json';
  operations?: boolean;
  gaps?: boolean;
  filter?: string;
  failOn: 'none' | 'error' | 'warning';
  allowUnresolved?: boolean;
  maxSize: number;
  timeout: number;
  header?: Record<string, string>;
}

const SEVERITY_RANK: Record<Gap['severity'], number> = { info: 0, warning: 1, error: 2 };

export function registerSpecCommand(program: Command, output: Output): void {
  program
    .command('spec')
    .summary("inventory a vendor's OpenAPI/Swagger document")
    .description(
      "Load a vendor's API document (OpenAPI 3.0/3.1 or Swagger 2.0; JSON or YAML; a file or an " +
        'http(s) URL; $refs to other files and URLs followed) and print its inventory: servers, ' +
        'operations, security schemes and who uses them, what the document says about rate limits ' +
        'and idempotency, and the gaps a review must raise with the vendor.',
    )
    .argument('<file-or-url>', 'the API document')
    .option('--json', 'print the inventory as one JSON document (same as --format json)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--operations', 'list every operation (by default the list is shown when there are at most 60)')
    .option('--gaps', 'list every gap (by default each kind shows its first few)')
    .option('--filter <text>', 'only operations whose method, path, operationId or tag contains <text>')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a gap of this severity or worse is found')
        .choices(['none', 'error', 'warning'])
        .default('none'),
    )
    .option('--allow-unresolved', 'inventory the document even when $refs cannot be resolved (they are listed as gaps)')
    .option('--max-size <MB>', 'refuse documents larger than this', numberFlag(0.001, 4096), LOAD_SPEC_DEFAULTS.maxBytes / 1024 / 1024)
    .option('--timeout <seconds>', 'give up fetching a URL after this long', numberFlag(0.1, 3600), LOAD_SPEC_DEFAULTS.timeoutMs / 1000)
    .option('--header <name: value>', 'send this header when fetching URLs (repeatable), e.g. an Authorization header', headerFlag)
    .addHelpText(
      'after',
      examples([
        ['recon spec specs/tripletex-openapi.json', 'summary, security, rate-limit hints and gaps'],
        ['recon spec api.yaml --operations --filter invoice', 'list the operations about invoices'],
        ['recon spec https://api.example.com/openapi.json --json', 'the inventory as data'],
        ['recon spec api.yaml --fail-on error', 'exit 1 in CI when the document has errors'],
      ]) + EXIT_CODES_HELP,
    )
    .action(async (location: string, flags: SpecFlags) => {
      const { buildInventory, loadSpec } = await import('../spec/index.js');
      const spec = await loadSpec(location, {
        cwd: output.cwd,
        maxBytes: Math.round(flags.maxSize * 1024 * 1024),
        timeoutMs: Math.round(flags.timeout * 1000),
        allowUnresolved: flags.allowUnresolved === true,
        ...(flags.header ? { headers: flags.header } : {}),
      });
      const inventory = buildInventory(spec);
      if (flags.filter !== undefined) {
        const needle = flags.filter.toLowerCase();
        inventory.operations = inventory.operations.filter((op) =>
          [op.method, op.path, op.operationId ?? '', ...op.tags].some((field) => field.toLowerCase().includes(needle)),
        );
      }
      if (flags.json || flags.format === 'json') output.json(inventory);
      else renderInventory(inventory, output, { allOperations: flags.operations === true || flags.filter !== undefined, allGaps: flags.gaps === true });

      if (flags.failOn !== 'none') {
        const threshold = SEVERITY_RANK[flags.failOn];
        const failing = inventory.gaps.filter((g) => SEVERITY_RANK[g.severity] >= threshold).length;
        if (failing > 0) {
          output.err(`recon: ${failing} gap(s) of severity ${flags.failOn} or worse (--fail-on ${flags.failOn})`);
          output.exitCode = ExitCode.findings;
        }
      }
    });
}
