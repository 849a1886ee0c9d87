/**
 * `recon proxy`: the fault-injecting proxy in front of any vendor, until interrupted.
 */
import type { Command } from 'commander';
import { integerFlag } from './flags.js';
import { EXIT_CODES_HELP, examples } from './help.js';
import { untilStopped } from './interrupt.js';
import type { Output } from './output.js';
import type { FaultProxyStats } from '../sandbox/index.js';

interface ProxyFlags {
  to: string;
  faults: string;
  seed?: number;
  port: number;
  host: string;
  json?: boolean;
  verbose?: boolean;
}

export const FAULT_SPEC_HELP = `
Fault spec (inline kind=rate pairs, comma-separated, or a YAML/JSON file with the same keys):
  reset-before=R            connection reset before the request reaches the vendor
  lost=R                    the vendor acts on the request, then the connection is reset:
                            "processed but response lost"
  timeout=R[:processed]     the connection is held and never answered (processed: the vendor
                            acted on it first)
  slow=R[:BYTES_PER_S]      the vendor's answer trickles at 1 byte/s (or the rate given)
  truncate=R                Content-Length promises the whole body, half is sent, then close
  html500=R[:STATUS][:processed]  an HTML error page, 500 (or 501..599); processed: after the
                            vendor acted on the request
  storm=R[:N][:retry-after=S]  N consecutive 429s (default 5), with Retry-After: S if given
  wrong-type=R[:MODE]       json-as-html (the answer relabelled text/html), html-as-json (an
                            HTML page labelled application/json, after the vendor acted), or
                            both (default, half each)
  method=POST|PUT           only requests with these methods get faults
  path=/api/v1/invoices|*/orders   only these paths (* is any text; the query is ignored)
  seed=N                    the schedule's seed (--seed wins)
  R is the share 0..1 of matching requests; the rates add up to at most 1. Matching request n
  gets its fault from (seed, n) alone (a storm, once drawn, also takes the next N-1): the same
  seed gives the same schedule on every run.`;

export function registerProxyCommand(program: Command, output: Output): void {
  program
    .command('proxy')
    .summary("inject vendor and network faults between a connector and a vendor's sandbox")
    .description(
      'Run a fault-injecting HTTP proxy in front of a vendor until Ctrl-C. Point your connector (recon or ' +
        "your own code) at the proxy's URL instead of the vendor's sandbox, and it meets, on a seeded " +
        'schedule, what production will throw at it: connections reset before and after the vendor acted, ' +
        'answers that never come or trickle in, truncated bodies, HTML error pages, 429 storms with and ' +
        'without Retry-After, and JSON labelled as HTML. Run your connector through it before go-live, then ' +
        'count at the vendor: every record must exist exactly once. Everything else passes through unchanged ' +
        '(streamed; Host is rewritten to the vendor). Nothing it sees is logged: --verbose prints the method ' +
        'and path of each fault, never a header, query or body.',
    )
    .requiredOption('--to <url>', "the vendor's base URL (http:// or https://; TLS is verified, NODE_EXTRA_CA_CERTS adds a CA)")
    .requiredOption('--faults <spec>', 'which faults, how often: kind=rate pairs or a YAML/JSON file (below)')
    .option('--seed <n>', "the schedule's seed (default: the spec's seed, else 1)", integerFlag(0, 2 ** 31 - 1))
    .option('--port <n>', 'port to listen on (0 picks a free one)', integerFlag(0, 65535), 4011)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--verbose', 'print each fault (method and path) on stderr as it is injected')
    .option('--json', 'print the URL, target, spec and seed as JSON once listening')
    .addHelpText(
      'after',
      FAULT_SPEC_HELP +
        '\n' +
        examples([
          ['recon proxy --to https://sandbox.vendor.example --faults lost=0.05,timeout=0.02', 'then point the connector at http://127.0.0.1:4011'],
          ["recon proxy --to http://127.0.0.1:4010 --faults 'lost=0.1,storm=0.02:5:retry-after=1,method=POST'", 'only writes get faults'],
          ['recon proxy --to https://sandbox.vendor.example --faults faults.yaml --seed 7 --port 0 --json', 'a file spec, a free port, the address as JSON'],
          ['recon sandbox --inject lost=0.05,html500=0.05', 'the bundled Acme sandbox behind the proxy, in one command'],
        ]) +
        EXIT_CODES_HELP +
        '\n  proxy: 2 for a bad --to or fault spec (the message names the key); 3 when it cannot listen.' +
        '\n  On Ctrl-C it prints what it injected (by kind) and exits 0.',
    )
    .action(async (flags: ProxyFlags) => {
      const { startFaultProxy, loadFaultSpec, formatFaultSpec } = await import('../sandbox/index.js');
      const spec = loadFaultSpec(flags.faults, { flag: '--faults', cwd: output.cwd });
      const proxy = await startFaultProxy({
        target: flags.to,
        spec,
        port: flags.port,
        host: flags.host,
        ...(flags.seed === undefined ? {} : { seed: flags.seed }),
        ...(flags.verbose ? { onFault: (e) => output.err(`fault ${e.kind}${e.mode ? ` (${e.mode})` : ''}: ${e.method} ${e.path}`) } : {}),
      });
      const target = new URL(flags.to);
      const info = { url: proxy.url, target: target.origin + target.pathname.replace(/\/$/, ''), faults: formatFaultSpec(spec), seed: proxy.seed };
      if (flags.json) output.json(info);
      else {
        const c = output.color;
        output.out(`${c.bold('recon fault proxy')} listening on ${c.cyan(proxy.url)} → ${info.target}  (seed ${info.seed})`);
        output.out(`  faults   ${info.faults}`);
        output.out(`  use      ${proxy.url} wherever the vendor's base URL went`);
      }
      output.err(output.errColor.dim('Ctrl-C stops the proxy.'));
      await untilStopped();
      await proxy.close();
      output.err(statsLine(proxy.stats()));
    });
}

/** `proxy stopped: 120 request(s), 109 passed, faults: lost 6, storm 5`. */
export function statsLine(stats: FaultProxyStats): string {
  const faults = Object.entries(stats.faults).filter(([, n]) => n > 0).map(([kind, n]) => `${kind} ${n}`);
  return `proxy stopped: ${stats.requests} request(s), ${stats.passed} passed, faults: ${faults.length === 0 ? 'none' : faults.join(', ')}${stats.upstreamErrors > 0 ? `, ${stats.upstreamErrors} vendor unreachable (502)` : ''}`;
}
