/**
 * `recon sandbox`: run the bundled Acme ERP vendor emulator until interrupted.
 */
import { Option, type Command } from 'commander';
import { integerFlag, numberFlag } from './flags.js';
import { EXIT_CODES_HELP, examples } from './help.js';
import { untilStopped } from './interrupt.js';
import type { Output } from './output.js';
import { statsLine } from './proxy.js';

interface SandboxFlags {
  port: number;
  host: string;
  seed: number;
  release: '1' | '2';
  faults: boolean;
  rateLimit: number;
  unlimited?: boolean;
  deliveryFaults?: number;
  deliverySlow: number;
  latency: number;
  inject?: string;
  json?: boolean;
}

export function registerSandboxCommand(program: Command, output: Output): void {
  program
    .command('sandbox')
    .summary('run the Acme ERP sandbox, a vendor emulator that deviates from its own docs')
    .description(
      'Run the bundled "Acme ERP" vendor emulator on loopback until Ctrl-C. It behaves like the ' +
        'vendors in the field, including the ways their APIs differ from their documentation ' +
        '(see "What the Acme ERP sandbox shows" in the README). Its state is in memory and the ' +
        'same --seed gives the same data, faults and timings.',
    )
    .option('--port <n>', 'port to listen on (0 picks a free one)', integerFlag(0, 65535), 4010)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--seed <n>', 'seed for data, faults and slow responses', integerFlag(0, 2 ** 31 - 1), 42)
    .addOption(new Option('--release <n>', "the vendor's release: 2 renames a field and changes a type").choices(['1', '2']).default('1'))
    .option('--no-faults', 'no seeded 503s and slow responses')
    .option('--latency <ms>', 'added to every response, like a vendor across the internet', integerFlag(0, 60_000), 0)
    .option('--rate-limit <per-minute>', 'requests per minute each client may make (the document promises 100)', integerFlag(1, 1_000_000_000), 60)
    .option('--unlimited', 'no rate limit at all, and no X-RateLimit-* headers (load and crash tests)')
    .option('--delivery-faults <rate>', 'share 0..1 of POST /invoices and /orders that fail: 503, HTML 500, slow after create, dropped after create', numberFlag(0, 1))
    .option('--delivery-slow <ms>', 'how long a slow delivery fault waits after the create', integerFlag(0, 60_000), 3000)
    .option(
      '--inject <spec>',
      'put the fault-injecting proxy in front (resets, timeouts, slow/truncated bodies, HTML 5xx, 429 storms, wrong ' +
        "content types; spec as in 'recon proxy --help'): the URL printed is the proxy's. Not the same as " +
        "--no-faults, which only turns off the sandbox's own seeded 503s and slow answers",
    )
    .option('--json', 'print the URL, spec path and credentials as JSON once listening')
    .addHelpText(
      'after',
      examples([
        ['recon sandbox', 'listen on http://127.0.0.1:4010 (documented at /api/v1)'],
        ['recon sandbox --port 0 --json', 'a free port; the address as JSON on stdout'],
        ['recon sandbox --release 2 --no-faults', "next month's release, without random faults"],
        ['recon sandbox --inject lost=0.05,storm=0.01:5:retry-after=1', 'behind the fault proxy: lost answers and 429 storms'],
      ]) + EXIT_CODES_HELP,
    )
    .action(async (flags: SandboxFlags) => {
      const { startSandbox, startFaultProxy, loadFaultSpec, formatFaultSpec, ACME_SPEC_PATH } = await import('../sandbox/index.js');
      // Bad spec first: exit 2 before anything listens.
      const spec = flags.inject === undefined ? undefined : loadFaultSpec(flags.inject, { flag: '--inject', cwd: output.cwd });
      const sandbox = await startSandbox({
        port: spec === undefined ? flags.port : 0,
        host: flags.host,
        seed: flags.seed,
        release: flags.release === '2' ? 2 : 1,
        faults: flags.faults,
        rateLimitPerMinute: flags.rateLimit,
        rateLimit: !flags.unlimited,
        ...(flags.deliveryFaults === undefined ? {} : { deliveryFaults: { rate: flags.deliveryFaults, slowMs: flags.deliverySlow } }),
        latencyMs: flags.latency,
      });
      let proxy: Awaited<ReturnType<typeof startFaultProxy>> | undefined;
      try {
        if (spec !== undefined) proxy = await startFaultProxy({ target: sandbox.url, spec, seed: flags.seed, port: flags.port, host: flags.host });
      } catch (error) {
        await sandbox.close();
        throw error;
      }
      const url = proxy?.url ?? sandbox.url;
      const info = {
        url,
        api: `${url}/api/v1`,
        spec: ACME_SPEC_PATH,
        credentials: sandbox.credentials,
        seed: flags.seed,
        release: Number(flags.release),
        faults: flags.faults,
        ...(proxy === undefined || spec === undefined ? {} : { injected: formatFaultSpec(spec), sandboxUrl: sandbox.url }),
      };
      if (flags.json) {
        output.json(info);
      } else {
        const c = output.color;
        output.out(`${c.bold('Acme ERP sandbox')} listening on ${c.cyan(info.api)}  (seed ${info.seed}, release ${info.release}, faults ${info.faults ? 'on' : 'off'})`);
        if (info.injected !== undefined) output.out(`  fault proxy     ${info.injected} (the sandbox itself: ${info.sandboxUrl})`);
        output.out(`  documented in   ${info.spec}`);
        output.out(`  OAuth2 token    POST ${sandbox.url}/oauth/token  client_id=${info.credentials.clientId} client_secret=${info.credentials.clientSecret}`);
        output.out(`  API key         X-Api-Key: ${info.credentials.apiKey}`);
        output.out(`  try             curl -H 'X-Api-Key: ${info.credentials.apiKey}' ${info.api}/customers`);
      }
      output.err(output.errColor.dim('Ctrl-C stops the sandbox.'));
      await untilStopped();
      await proxy?.close();
      await sandbox.close();
      if (proxy !== undefined) output.err(statsLine(proxy.stats()));
      output.err(`sandbox stopped after ${sandbox.requestCount()} request(s)`);
    });
}
