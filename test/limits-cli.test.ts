/**
 * `recon limits` through the built binary against the Acme sandbox (in-process, on loopback):
 * its X-RateLimit-* headers settle the limit in two calls; the document's 100/min disagrees.
 * A canary API key passed with --header must appear in no output and no file written.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BIN, runRecon } from './helpers/recon-cli.js';
import { ACME_SPEC_PATH, startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { durationFlag, rateFlag } from '../src/cli/limits.js';

const CANARY_KEY = 'canary-limits-cli-key-4d2b';
const CANARY_SECRET = 'canary-limits-cli-secret-8e1c';

async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

interface Result {
  requests: number;
  method: string;
  conclusion: string;
  estimate: { limit?: { value: number; source: string }; windowSeconds?: { value: number }; scope?: { value: string } };
  findings: { kind: string; documented?: { limit: number }; observed?: { limit: number } }[];
  recording?: string;
}

describe('recon limits (CLI)', () => {
  let sandbox: RunningSandbox;
  let dir: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, faults: false, rateLimitPerMinute: 20, credentials: { apiKey: CANARY_KEY, clientSecret: CANARY_SECRET } });
    dir = await mkdtemp(join(tmpdir(), 'recon-limits-cli-'));
  });
  afterAll(async () => {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('concludes from the headers in two calls, reports the disagreement, and leaks no secret', async () => {
    const cwd = await mkdtemp(join(dir, 'flags-'));
    const out = join(cwd, 'limits.json');
    const run = await runRecon(['limits', '--base-url', `${sandbox.url}/api/v1`, '--spec', ACME_SPEC_PATH, '--header', `X-Api-Key: ${CANARY_KEY}`, '--op', 'listCustomers', '--op', 'listProducts', '--out', out, '--json'], { cwd });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as Result;
    expect(result.requests).toBe(2);
    expect(result.method).toBe('headers');
    expect(result.estimate.limit).toMatchObject({ value: 20, source: 'headers' });
    expect(result.estimate.windowSeconds?.value).toBe(60);
    expect(result.estimate.scope?.value).toBe('global');
    expect(result.findings).toContainEqual(expect.objectContaining({ kind: 'limit-disagreement', documented: expect.objectContaining({ limit: 100 }), observed: expect.objectContaining({ limit: 20 }) }));
    expect(result.conclusion).toMatch(/^Limit: 20 requests per 60 s \(fixed window\) — headers, confidence \w+; the document says 100 per 60 s: disagreement$/);
    expect(JSON.parse(await readFile(out, 'utf8'))).toEqual(result);
    const written = await allFiles(cwd);
    expect(written).toHaveLength(2);
    expect(written).toContain(result.recording);
    for (const file of written) expect(await readFile(file, 'utf8'), file).not.toContain(CANARY_KEY);
    expect(run.stdout + run.stderr).not.toContain(CANARY_KEY);
  });

  it('prints a summary in words, and writes review/limits.json beside the config', async () => {
    const init = await runRecon(['init', 'ws'], { cwd: dir });
    expect(init.code).toBe(0);
    const ws = join(dir, 'ws');
    const file = join(ws, 'recon.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replaceAll('127.0.0.1:4010', new URL(sandbox.url).host));
    const run = await runRecon(['limits', '--no-record'], { cwd: ws, env: { ACME_CLIENT_SECRET: CANARY_SECRET } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Limit: 20 requests per 60 s \(fixed window\) — headers/);
    expect(run.stdout).toMatch(/limit-disagreement: the document says 100 requests per 60 s; the headers say 20 per 60 s/);
    const saved = JSON.parse(await readFile(join(ws, 'review', 'limits.json'), 'utf8')) as Result;
    expect(saved.estimate.limit?.value).toBe(20);
    expect(JSON.stringify(saved) + run.stdout + run.stderr).not.toContain(CANARY_SECRET);
  });

  it('explains bad input with exit 2', async () => {
    const noOp = await runRecon(['limits', '--base-url', `${sandbox.url}/api/v1`], { cwd: dir });
    expect(noOp.code).toBe(2);
    expect(noOp.stderr).toMatch(/no operation to measure: give --path/);
    const unknown = await runRecon(['limits', '--base-url', `${sandbox.url}/api/v1`, '--spec', ACME_SPEC_PATH, '--op', 'deleteEverything'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--op deleteEverything: no such operation/);
    const unsafe = await runRecon(['limits', '--base-url', `${sandbox.url}/api/v1`, '--spec', ACME_SPEC_PATH, '--op', 'createProduct'], { cwd: dir });
    expect(unsafe.code).toBe(2);
    expect(unsafe.stderr).toMatch(/only with safe calls/);
    const rate = await runRecon(['limits', '--base-url', `${sandbox.url}/api/v1`, '--path', '/customers', '--max-rate', 'fast'], { cwd: dir });
    expect(rate.code).toBe(2);
    expect(rate.stderr).toMatch(/--max-rate.*expected a rate such as 40\/s/);
  });

  it('Ctrl-C stops starting calls, still concludes and records, and exits 130', async () => {
    // A vendor that never limits and sends no headers: the ramp would run until the budget.
    const server = createServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('[]'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const out = join(dir, 'interrupted.json');
      const child = spawn(process.execPath, [BIN, 'limits', '--base-url', `http://127.0.0.1:${(server.address() as AddressInfo).port}`, '--path', '/items', '--max-rate', '4/s', '--out', out], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      setTimeout(() => child.kill('SIGINT'), 2_000);
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(130);
      expect(stderr).toMatch(/stopping: no new calls/);
      expect(stdout).toMatch(/stopped: interrupted \(Ctrl-C\)/);
      const saved = JSON.parse(await readFile(out, 'utf8')) as { requests: number; stoppedEarly: string };
      expect(saved.requests).toBeGreaterThan(0);
      expect(saved.requests).toBeLessThan(20);
      expect(saved.stoppedEarly).toMatch(/interrupted/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('exits 3 when the vendor cannot be reached', async () => {
    const run = await runRecon(['limits', '--base-url', 'http://127.0.0.1:9/api/v1', '--path', '/customers', '--no-record'], { cwd: dir });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/could not be reached: ECONNREFUSED/);
  });

  it('teaches with examples in --help', async () => {
    const run = await runRecon(['limits', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Examples:/);
    expect(run.stdout).toMatch(/--max-rate <rate>/);
    expect(run.stdout).not.toMatch(/--rate-limit/);
  });

  it.each([
    ['90s', 90_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1500ms', 1_500],
    ['45', 45_000],
  ])('--max-duration %s is %d ms', (given, want) => expect(durationFlag(given)).toBe(want));

  it.each([
    ['40/s', 40],
    ['600/m', 10],
    ['7200/h', 2],
    ['2.5', 2.5],
  ])('--max-rate %s is %d per second', (given, want) => expect(rateFlag(given)).toBe(want));

  it.each(['soon', '0s', '2d', '-5'])('--max-duration %s is refused', (given) => expect(() => durationFlag(given)).toThrow(/expected a duration/));
  it.each(['fast', '0/s', '5000/s'])('--max-rate %s is refused', (given) => expect(() => rateFlag(given)).toThrow(/expected a rate/));
});
