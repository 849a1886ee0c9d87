/**
 * `recon plan` through the built binary (`npm test` builds first).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runRecon } from './helpers/recon-cli.js';

const NO_STACK = /\n\s+at .+:\d+:\d+/;
const FRIDAY = '2026-12-04T18:00:00+01:00';

describe('recon plan', () => {
  it('--help teaches with examples and exit codes', async () => {
    const run = await runRecon(['plan', '--help']);
    expect(run.code).toBe(0);
    for (const text of ['Usage: recon plan', 'Examples:', 'Exit codes:', '--limit <rate>', '100/min', 'Mon-Fri 18:00-06:00']) expect(run.stdout).toContain(text);
  });

  it('is listed by recon --help', async () => {
    const run = await runRecon(['--help']);
    expect(run.stdout).toMatch(/plan\s+\[options\]\s+how long a batch/);
  });

  it('says in plain words that 50,000 calls at 100/min miss an 8h deadline, and what would fit', async () => {
    const run = await runRecon(['plan', '--calls', '50000', '--limit', '100/min', '--deadline', '8h', '--start', FRIDAY, '--safety', '0.9']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('50,000 calls at 100/min, sent at 90/min (a 10% safety margin): 9h 15m of sending.');
    expect(run.stdout).toContain('Finish:   Sat 5 Dec 2026 03:15 (UTC+01:00)');
    expect(run.stdout).toContain('does NOT fit: 1h 15m too long');
    expect(run.stdout).toContain('a limit of ≥ 116/min would fit the deadline');
  });

  it('--json prints exactly one JSON document', async () => {
    const run = await runRecon(['plan', '--calls', '100_000', '--limit', '100 per 60s', '--window', 'Mon-Fri 18:00-06:00', '--start', FRIDAY, '--json', '--safety', '0.9']);
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(plan).toMatchObject({
      calls: 100_000,
      limit: { requests: 100, windowSeconds: 60, text: '100/min' },
      start: '2026-12-04T18:00:00+01:00',
      finish: '2026-12-08T00:31:07+01:00',
      spansDays: 5,
      windows: { used: 2 },
      fits: true,
    });
  });

  it('fits nights and weekends before a deadline date-time', async () => {
    const run = await runRecon([
      'plan', '--calls', '200,000', '--limit', '100/min',
      '--window', 'Mon-Fri 18:00-06:00', '--window', 'Sat,Sun 00:00-24:00',
      '--start', FRIDAY, '--deadline', '2026-12-08T06:00+01:00', '--safety', '0.9',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Windows:  Mon-Fri 18:00-06:00 + Sat,Sun 00:00-24:00 — 1 window used');
    expect(run.stdout).toContain('Finish:   Sun 6 Dec 2026 07:02 (UTC+01:00) — 3 calendar days');
    expect(run.stdout).toMatch(/Deadline: Tue 8 Dec 2026 06:00 \(UTC\+01:00\) — fits, with 1d 22h to spare/);
  });

  it('reads the limit recon limits measured (--from a directory)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recon-plan-cli-'));
    const estimate = { limit: { value: 60, source: 'measured', confidence: 0.9, evidence: [] }, windowSeconds: { value: 60, source: 'measured', confidence: 0.9, evidence: [] } };
    writeFileSync(join(dir, 'limits.json'), JSON.stringify({ target: 'sandbox', estimate }));
    const run = await runRecon(['plan', '--calls', '5400', '--from', dir, '--safety', '1', '--start', '2026-12-04T09:00Z']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('5,400 calls at 60/min (measured, confidence 0.9, from');
    expect(run.stdout).toContain('1h 30m of sending');
  });

  it('points at the bulk endpoints of a document given with --spec', async () => {
    const spec = join(ROOT, 'fixtures', 'specs', 'tripletex', 'tripletex-openapi-3.0.json');
    const run = await runRecon(['plan', '--calls', '50000', '--limit', '100/min', '--deadline', '8h', '--spec', spec, '--json', '--safety', '0.9']);
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as { suggestions: { kind: string; operations?: string[] }[] };
    const bulk = plan.suggestions.find((s) => s.kind === 'bulk-endpoints');
    expect(bulk?.operations).toContain('POST /invoice/list');
  });

  it.each([
    [['plan', '--limit', '100/min'], /required option '--calls <n>'/],
    [['plan', '--calls', 'many', '--limit', '100/min'], /--calls <n>.*whole number/],
    [['plan', '--calls', '10'], /give the rate limit: --limit 100\/min or --from/],
    [['plan', '--calls', '10', '--limit', '100/min', '--from', 'review'], /either --limit or --from, not both/],
    [['plan', '--calls', '10', '--limit', '100/fortnight'], /--limit <rate>.*100\/min, 100\/minute, 10\/s, 5000\/hour, 100000\/day or "100 per 60s"/],
    [['plan', '--calls', '10', '--limit', '100/min', '--window', 'nights'], /--window <when>.*Mon-Fri 18:00-06:00/],
    [['plan', '--calls', '10', '--limit', '100/min', '--deadline', 'soon'], /--deadline "soon" is neither a duration/],
    [['plan', '--calls', '10', '--limit', '100/min', '--start', 'tomorrow'], /--start "tomorrow" is not an ISO 8601 date-time/],
    [['plan', '--calls', '10', '--limit', '100/min', '--safety', '2'], /--safety <share>.*0.1 to 1/],
    [['plan', '--calls', '10', '--from', 'no/such/dir'], /--from no\/such\/dir: no such file or directory/],
  ])('usage error %j exits 2 with one clear message', async (args, says) => {
    const run = await runRecon(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(says);
    expect(run.stderr).not.toMatch(NO_STACK);
  });
});
