/**
 * `recon demo`: run the review journey on the bundled Acme ERP sandbox (no network needed).
 */
import type { Command } from 'commander';
import { integerFlag } from './flags.js';
import { EXIT_CODES_HELP, examples } from './help.js';
import type { Output } from './output.js';

export function registerDemoCommand(program: Command, output: Output): void {
  program
    .command('demo')
    .summary('review the bundled Acme ERP sandbox, offline, in a few seconds')
    .description(
      'Start the Acme ERP sandbox on a free loopback port, inventory its documented API, make a ' +
        'first authenticated contact, and show where the document and the API already disagree. ' +
        'Nothing leaves this machine.',
    )
    .option('--seed <n>', "seed for the sandbox's data and faults", integerFlag(0, 2 ** 31 - 1), 42)
    .option('--json', 'print the result as one JSON document')
    .addHelpText('after', examples([['recon demo', 'the whole journey, explained'], ['recon demo --json', 'the same as data']]) + EXIT_CODES_HELP)
    .action(async (flags: { seed: number; json?: boolean }) => {
      const [{ runDemo }, { ACME_SPEC_PATH }] = await Promise.all([import('../demo/index.js'), import('../sandbox/index.js')]);
      const c = output.color;
      if (!flags.json) output.out(c.bold('recon demo') + c.dim(' — the Acme ERP sandbox, reviewed on loopback'));
      const result = await runDemo({
        seed: flags.seed,
        cwd: output.cwd,
        onStep: (step) => {
          if (!flags.json) output.out(`  ${step.ok ? c.green('ok  ') : c.red('FAIL')} ${step.name.padEnd(46)} ${step.detail} ${c.dim(`(${step.ms} ms)`)}`);
        },
      });
      if (flags.json) {
        output.json(result);
        return;
      }
      const inv = result.inventory;
      output.out('');
      output.out(c.bold('What the document promises'));
      for (const s of inv.securitySchemes) output.out(`  auth: ${s.name} (${s.type}), used by ${s.operations} operations`);
      for (const h of inv.idempotency.headers) output.out(`  idempotency: ${h.name} on ${h.operations.join(', ')}`);
      for (const s of inv.rateLimits.statements.slice(0, 1)) output.out(`  rate limit: "${s.text}"`);
      output.out('');
      output.out(c.bold('Where the API already disagrees with it'));
      if (result.contradictions.length === 0) output.out(c.dim('  nothing in the first contact'));
      for (const item of result.contradictions) {
        output.out(`  ${c.yellow('!')} ${item.topic}${item.operation ? ` ${c.dim(item.operation)}` : ''}: ${item.text}`);
      }
      output.out('');
      output.out(c.bold('Next'));
      output.out(`  recon sandbox                   keep the sandbox running and try it with curl`);
      output.out(`  recon spec ${ACME_SPEC_PATH} --operations`);
      output.out(`                                  every documented operation and its gaps`);
      if (result.steps.some((s) => !s.ok)) output.exitCode = 3;
    });
}
