/**
 * `recon init [dir]`: scaffold a review workspace.
 */
import type { Command } from 'commander';
import { EXIT_CODES_HELP, examples } from './help.js';
import type { Output } from './output.js';

interface InitFlags {
  force?: boolean;
  json?: boolean;
}

export function registerInitCommand(program: Command, output: Output): void {
  program
    .command('init')
    .summary('scaffold a review workspace (recon.yaml, specs/, fixtures/, review/, secrets/)')
    .description(
      'Create a review workspace: a commented recon.yaml whose example target is the bundled Acme\n' +
        'ERP sandbox (so that `recon sandbox` and `recon probe` work at once), a copy of its API\n' +
        'document in specs/, the folders fixtures/, review/ and secrets/ (git-ignored), a\n' +
        '.gitignore for local state and keys, and a README with next steps. An existing recon.yaml\n' +
        'is only replaced with --force; an existing README and .gitignore are kept (recon adds its\n' +
        'lines to the .gitignore).',
    )
    .argument('[dir]', 'folder to create or fill', '.')
    .option('--force', 'replace an existing recon.yaml and the example files')
    .option('--json', 'print what was created as JSON')
    .addHelpText(
      'after',
      examples([
        ['recon init', 'make the working directory a review workspace'],
        ['recon init acme-review', 'create ./acme-review'],
        ['recon init --force', 'start recon.yaml over (specs, fixtures and README are kept)'],
      ]) + EXIT_CODES_HELP,
    )
    .action(async (dir: string, flags: InitFlags) => {
      const { displayDir, initWorkspace } = await import('../init/index.js');
      const result = await initWorkspace(dir, { force: flags.force === true, cwd: output.cwd });
      if (flags.json) {
        output.json(result);
        return;
      }
      const c = output.color;
      const shown = displayDir(result, output.cwd);
      for (const file of result.created) output.out(`${c.green('created')}  ${file}`);
      for (const file of result.updated) output.out(`${c.yellow('updated')}  ${file}`);
      for (const file of result.kept) output.out(`${c.dim('kept   ')}  ${file}`);
      output.err('');
      output.err(`Review workspace ready in ${shown}. Next:`);
      if (shown !== '.') output.err(`  cd ${/[\s'"$]/.test(shown) ? JSON.stringify(shown) : shown}`);
      output.err('  recon sandbox &                              # the Acme ERP vendor emulator on port 4010');
      output.err('  export ACME_CLIENT_SECRET=acme-demo-secret');
      output.err('  recon probe                                  # then edit recon.yaml for your vendor');
    });
}
