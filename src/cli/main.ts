/**
 * The recon command line: declares the commands, then one place turns every error into a
 * message on stderr and an exit code (DESIGN.md "Exit codes").
 */
import { Command, CommanderError } from 'commander';
import { ExitCode, isReconError } from '../errors.js';
import { createOutput, type Output } from './output.js';
import { registerSpecCommand } from './spec.js';
import { registerDiffCommand } from './diff.js';
import { registerSandboxCommand } from './sandbox.js';
import { registerDemoCommand } from './demo.js';
import { registerInitCommand } from './init.js';
import { registerProbeCommand } from './probe.js';
import { registerDriftCommand } from './drift.js';
import { registerReviewCommand } from './review.js';
import { registerReportCommand } from './report.js';
import { registerLimitsCommand } from './limits.js';
import { registerPlanCommand } from './plan.js';
import { registerTypesCommand } from './types.js';
import { registerRunCommand } from './run.js';
import { registerQueueCommand } from './queue.js';
import { registerAuditCommand } from './audit.js';
import { registerStoreCommand } from './store.js';
import { registerMonitorCommand } from './monitor.js';
import { registerStatusCommand } from './status.js';
import { registerProxyCommand } from './proxy.js';
import { EXIT_CODES_HELP } from './help.js';
import { RECON_VERSION } from '../version.js';

export interface MainOptions {
  output?: Output;
}

export function buildProgram(output: Output): Command {
  const program = new Command('recon')
    .description(
      'Measure a vendor API against its documentation before you quote a fixed price: ' +
        "inventory the vendor's document, probe its sandbox with budgeted, authenticated calls " +
        'recorded as redacted HAR, diff what came back against the document, measure the real ' +
        'rate limit, and write the report, the questions for the vendor and the integration spec ' +
        'that connectors read. Try it all on the bundled Acme ERP sandbox: recon demo.',
    )
    .version(RECON_VERSION, '-V, --version', 'print the recon version')
    .helpOption('-h, --help', 'show help for recon or a command')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => output.stdout.write(text),
      writeErr: (text) => output.stderr.write(text),
      // Errors are printed once, by main(), in recon's own format.
      outputError: () => undefined,
    })
    .addHelpText(
      'after',
      `
Getting started:
  $ recon demo                              review the bundled Acme ERP sandbox end to end
  $ recon spec specs/vendor-openapi.yaml    inventory a vendor's API document
  $ recon init review && cd review          a review workspace with a commented recon.yaml
  $ recon review                            probe, limits, drift and the report for its target
  $ recon drift --spec api.yaml --har x.har diff a browser's or proxy's recording
  $ recon <command> --help                  flags, defaults and examples of a command
${EXIT_CODES_HELP}

Environment:
  NO_COLOR=1       no colour; FORCE_COLOR=0..3 forces it off or on (colour is off when not a terminal)
  RECON_DEBUG=1    print stack traces of unexpected errors`,
    );
  registerInitCommand(program, output);
  registerSpecCommand(program, output);
  registerProbeCommand(program, output);
  registerDriftCommand(program, output);
  registerLimitsCommand(program, output);
  registerPlanCommand(program, output);
  registerReviewCommand(program, output);
  registerReportCommand(program, output);
  registerTypesCommand(program, output);
  registerRunCommand(program, output);
  registerQueueCommand(program, output);
  registerAuditCommand(program, output);
  registerStatusCommand(program, output);
  registerMonitorCommand(program, output);
  registerStoreCommand(program, output);
  registerDiffCommand(program, output);
  registerSandboxCommand(program, output);
  registerProxyCommand(program, output);
  registerDemoCommand(program, output);
  return program;
}

/** Run the CLI; resolves to the exit code. Never throws. */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const output = options.output ?? createOutput();
  if (!options.output) exitQuietlyOnClosedPipe();
  const program = buildProgram(output);
  try {
    await program.parseAsync(argv);
    return output.exitCode;
  } catch (error) {
    return reportError(error, output, program, argv);
  }
}

/** `recon spec … | head`: the reader went away; that is not an error worth a stack trace. */
function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }
}

function reportError(error: unknown, output: Output, program: Command, argv: string[]): number {
  const red = output.errColor.red;
  if (error instanceof CommanderError) {
    // --help and --version end with a CommanderError too; they are successes.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
      return ExitCode.ok;
    }
    const message = error.message.replace(/^error:\s*/, '');
    const command = commandNameFrom(program, argv);
    output.err(`${red('recon: error:')} ${message}`);
    output.err(`  run '${command} --help' for the flags and examples`);
    return ExitCode.usage;
  }
  if (isReconError(error)) {
    output.err(`${red('recon: error:')} ${error.message}`);
    if (error.hint) output.err(`  ${error.hint}`);
    if (output.env.RECON_DEBUG) output.err(String(error.stack));
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  output.err(`${red('recon: internal error:')} ${message}`);
  output.err('  this is a bug in recon; rerun with RECON_DEBUG=1 and report the output');
  if (output.env.RECON_DEBUG) output.err(String(error instanceof Error ? error.stack : error));
  return ExitCode.runtime;
}

/** `recon spec` when the failing command was `spec`, for the "--help" pointer. */
function commandNameFrom(program: Command, argv: string[]): string {
  const first = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const sub = program.commands.find((c) => c.name() === first);
  return sub ? `recon ${sub.name()}` : 'recon';
}
