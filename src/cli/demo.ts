/**
 * `recon demo`: a whole review of the bundled Acme ERP sandbox (no network needed), explained
 * for someone who has never seen recon.
 */
import type { Command } from 'commander';
import { integerFlag } from './flags.js';
import { EXIT_CODES_HELP, examples } from './help.js';
import { interruptOnce } from './interrupt.js';
import type { Output } from './output.js';

interface DemoFlags {
  seed: number;
  out?: string;
  json?: boolean;
}

export function registerDemoCommand(program: Command, output: Output): void {
  program
    .command('demo')
    .summary('review the bundled Acme ERP sandbox end to end, offline, in under a minute')
    .description(
      'Start the Acme ERP sandbox — a pretend vendor API on this machine that, like real vendors, ' +
        'does not quite do what its documentation says — and run the whole review against it: ' +
        'inventory the document, probe the API, measure the rate limit, diff the responses ' +
        'against the document, and write the report, the vendor questions and the integration ' +
        'spec. Nothing leaves this machine. The workspace stays, so every stage can be re-run.',
    )
    .option('--seed <n>', "seed for the sandbox's data and faults", integerFlag(0, 2 ** 31 - 1), 42)
    .option('--out <dir>', 'keep the demo workspace in this folder (its recon.yaml is replaced); default: a new temp folder')
    .option('--json', 'print the result (files, risks, questions) as one JSON document')
    .addHelpText(
      'after',
      examples([
        ['recon demo', 'the whole review, explained; then open the report it names'],
        ['recon demo --out acme-demo', 'keep the workspace here, to re-run stages by hand'],
        ['recon demo --json', 'the files and the risk register as data'],
      ]) + EXIT_CODES_HELP,
    )
    .action(async (flags: DemoFlags) => {
      const { runDemo, DEMO_BATCH } = await import('../demo/index.js');
      const c = output.color;
      const say = (line = '') => (flags.json ? undefined : output.out(line));
      say(`${c.bold('recon demo')} — a technical review of ${c.bold('"Acme ERP"')}, a pretend vendor API running on this machine.`);
      say(c.dim('Like real vendors, it does not quite do what its documentation says. recon measures where.'));
      say();
      const interrupt = interruptOnce(output, 'no new calls; the stages finish with what they have');
      const demo = await runDemo({
        seed: flags.seed,
        cwd: output.cwd,
        ...(flags.out !== undefined ? { out: flags.out } : {}),
        onStage: (e) => {
          if (e.status !== 'start') say(`  ${c.dim(`[${e.index}/${e.of}]`)} ${STAGE_NAMES[e.stage]!.padEnd(34)} ${e.message}`);
        },
        signal: interrupt.signal,
      }).finally(() => interrupt.dispose());
      const { model, files } = demo;
      if (flags.json) {
        output.json({ workspace: demo.workspace, files, durationMs: demo.durationMs, summary: model.summary, rateLimit: model.rateLimit, batch: model.batch, risks: model.risks, questions: model.questions, missing: model.missing });
        return;
      }
      say();
      say(c.bold('What the review found'));
      if (model.rateLimit) {
        const documented = model.rateLimit.documented ? `; the document promises ${model.rateLimit.documented.limit} per ${model.rateLimit.documented.windowSeconds} s` : '';
        say(`  Rate limit   ${model.rateLimit.limit} requests per ${model.rateLimit.windowSeconds} s, measured${documented}`);
      }
      if (model.batch) {
        const hours = (model.batch.sendingSeconds / 3600).toFixed(1);
        say(`  Batch        ${DEMO_BATCH.calls.toLocaleString('en')} calls take ${hours} h at that limit: ${model.batch.fits ? 'fits' : c.red('does not fit')} an 8 h night`);
      }
      const high = model.risks.filter((r) => r.severity === 'high').length;
      say(`  Risks        ${model.risks.length} (${high} high). The first ones:`);
      for (const risk of model.risks.slice(0, 6)) say(`    ${risk.severity === 'high' ? c.red('!') : c.yellow('·')} ${risk.title}`);
      say(`  Questions    ${model.questions.length} for the vendor, each with its evidence, ready to send`);
      say();
      say(`${c.bold('Open the report')}  ${files.html}`);
      say(`                 ${files.markdown}`);
      say(`For connectors   ${files.integrationSpec}`);
      say();
      say(c.dim(`The workspace is ${demo.workspace} (recon.yaml, recordings, review/). The sandbox has stopped;`));
      say(c.dim(`run \`recon sandbox\` to keep one running, and \`recon review\` in a workspace of your own (\`recon init\`). ${(demo.durationMs / 1000).toFixed(1)} s.`));
      if (interrupt.signal.aborted) output.exitCode = 130;
    });
}

const STAGE_NAMES: Record<string, string> = {
  spec: 'read the vendor document',
  probe: 'call the API (budgeted, recorded)',
  limits: 'measure the rate limit',
  drift: 'diff responses vs the document',
  report: 'write the report',
};
