/**
 * Text rendering of a probe result, and the live progress line. Reads the result; decides nothing.
 */
import type { ProbeProgress, ProbeResult } from '../probe/index.js';
import type { Output } from './output.js';

export function renderProbe(result: ProbeResult, output: Output): void {
  const c = output.color;
  const out = output.out;
  out(`${c.bold('Probe of')} ${result.target} ${c.dim(result.baseUrl)}`);
  out(`  ${result.requests} of ${result.budget} requests in ${(result.durationMs / 1000).toFixed(1)} s; ${result.coverage.probed} of ${result.coverage.documented} documented operations called`);
  if (result.stoppedEarly) out(`  ${c.yellow('stopped early:')} ${result.stoppedEarly}`);
  if (result.recording) out(`  recording (redacted HAR): ${result.recording}`);

  out('');
  out(c.bold('Auth'));
  for (const auth of result.auth) {
    const state = auth.ok === true ? c.green('works') : auth.ok === false ? c.red('FAILED') : c.yellow('not shown');
    const facts = [
      auth.tokenLifetimeSeconds !== undefined ? `token lives ${auth.tokenLifetimeSeconds} s` : undefined,
      auth.grantedScopes?.length ? `scopes ${auth.grantedScopes.join(' ')}` : undefined,
      auth.clockSkewSeconds !== undefined ? `clock skew ${auth.clockSkewSeconds} s` : undefined,
      auth.tokenRequests > 0 ? `${auth.tokenRequests} token request(s), ${auth.refreshes} refresh(es)` : undefined,
    ].filter(Boolean);
    out(`  ${auth.scheme === auth.type ? auth.type : `${auth.scheme} (${auth.type})`}: ${state}${facts.length ? `  ${c.dim(facts.join(', '))}` : ''}`);
    if (auth.failure) out(`    ${c.red(auth.failure.stage)}: ${auth.failure.message}${auth.failure.status ? ` (HTTP ${auth.failure.status})` : ''}${auth.failure.body ? `\n    ${c.dim(auth.failure.body)}` : ''}`);
  }

  out('');
  out(c.bold('Operations') + c.dim('  calls, statuses, latency p50/p95/max ms, bytes, content types'));
  const width = Math.min(52, Math.max(10, ...result.operations.map((o) => o.operation.length)));
  for (const op of result.operations) {
    const statuses = Object.entries(op.statuses).map(([s, n]) => `${colourStatus(c, s)}×${n}`).join(' ');
    const failures = Object.entries(op.failures).map(([code, n]) => c.red(`${code}×${n}`)).join(' ');
    out(`  ${op.operation.padEnd(width)} ${String(op.calls).padStart(3)}  ${[statuses, failures].filter(Boolean).join(' ').padEnd(14)} ${`${op.latencyMs.p50}/${op.latencyMs.p95}/${op.latencyMs.max}`.padStart(14)} ${String(op.bytes).padStart(8)}  ${c.dim(op.contentTypes.join(', '))}`);
  }

  const skipped = result.coverage.entries.filter((e) => e.status === 'skipped');
  if (skipped.length > 0) {
    out('');
    out(c.bold('Not called') + c.dim(`  ${skipped.length} operation(s), and why`));
    for (const entry of skipped) out(`  ${entry.operation.padEnd(width)} ${c.dim(entry.reason ?? '')}`);
  }

  if (result.pagination.length > 0) {
    out('');
    out(c.bold('Pagination'));
    for (const p of result.pagination) {
      const verdict = p.agrees ? c.green('as documented') : c.yellow('differs from the document');
      out(`  ${p.operation}: documented ${p.documented}, observed ${p.observed}, ${p.pagesFollowed} page(s), ${p.itemsSeen} items — ${verdict}`);
      for (const note of p.notes) out(`    ${c.yellow('!')} ${note}`);
    }
  }
  if (result.idempotency.length > 0) {
    out('');
    out(c.bold('Idempotency'));
    for (const i of result.idempotency) {
      const paint = i.verdict === 'honoured' ? c.green : i.verdict === 'ignored' ? c.red : c.yellow;
      out(`  ${i.operation} (${i.header}): ${paint(i.verdict)} — ${i.detail}`);
    }
  }
  if (result.created.length > 0) {
    out('');
    out(c.bold('Created on the vendor') + c.dim('  clean these up'));
    for (const r of result.created) out(`  ${r.operation}: ${r.id ?? ''}${r.location ? ` ${c.dim(r.location)}` : ''}`);
  }
  if (result.problems.length > 0) {
    out('');
    out(c.bold('Problems'));
    const seen = new Set<string>();
    for (const p of result.problems) {
      const line = `${p.operation ? `${p.operation}: ` : ''}${p.code} ${p.message}`;
      if (seen.has(line)) continue;
      seen.add(line);
      out(`  ${c.red('!')} ${line}`);
    }
  }
}

function colourStatus(c: Output['color'], status: string): string {
  if (status.startsWith('2')) return c.green(status);
  if (status === '429' || status.startsWith('5')) return c.red(status);
  if (status.startsWith('4')) return c.yellow(status);
  return status;
}

/** A progress line on stderr, redrawn in place; only when stderr is a terminal. */
export function progressLine(output: Output): { update(p: ProbeProgress): void; done(): void } {
  const tty = output.stderr.isTTY === true;
  let last = 0;
  return {
    update(p) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100 && p.done < p.budget) return;
      last = now;
      const width = 24;
      const filled = Math.min(width, Math.round((p.done / Math.max(1, p.budget)) * width));
      const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
      const line = `[${bar}] ${p.done}/${p.budget} requests, ${p.errors} error(s), ${p.rate}/s ${p.current ?? ''}`;
      output.stderr.write(`\r\x1b[2K${line.slice(0, 120)}`);
    },
    done() {
      if (tty) output.stderr.write('\r\x1b[2K');
    },
  };
}
