/**
 * The built CLI (`bin/recon.js`), run as a user runs it. `npm test` builds first.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runRecon } from './helpers/recon-cli.js';

const recon = (args: string[], env: Record<string, string> = {}) => runRecon(args, { env });
const FIXTURES = join(ROOT, 'fixtures');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;



const NO_STACK = /\n\s+at .+:\d+:\d+/;

describe('recon (global)', () => {
  it('prints its version', async () => {
    const run = await recon(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  it('teaches in --help: commands, exit codes, environment', async () => {
    const run = await recon(['--help']);
    expect(run.code).toBe(0);
    for (const text of ['spec', 'sandbox', 'demo', 'Exit codes:', '2  usage or input error', 'NO_COLOR', 'recon demo']) {
      expect(run.stdout).toContain(text);
    }
  });

  it.each(['spec', 'sandbox', 'demo'])('%s --help has examples and exit codes', async (command) => {
    const run = await recon([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: recon ${command}`);
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain('Exit codes:');
  });

  it.each([
    [['--bogus'], /unknown option '--bogus'/],
    [['spec', 'x.yaml', '--bogus'], /unknown option '--bogus'/],
    [['nonsense'], /unknown command 'nonsense'/],
    [['spec'], /missing required argument 'file-or-url'/],
    [['spec', 'x.yaml', '--max-size', 'lots'], /--max-size <MB>.*whole|--max-size <MB>.*number/],
    [['spec', 'x.yaml', '--format', 'xml'], /--format <format>.*Allowed choices are text, json/],
    [['sandbox', '--port', '70000'], /--port <n>.*0 to 65535/],
    [['spec', 'x.yaml', '--header', 'no colon'], /--header.*Name: value/],
  ])('usage error %j exits 2 with one clear message', async (args, says) => {
    const run = await recon(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(says);
    expect(run.stderr).toMatch(/--help/);
    expect(run.stderr).not.toMatch(NO_STACK);
  });
});

describe('recon spec', () => {
  it.each([
    ['specs/tripletex/tripletex-swagger-2.0.json', 'Tripletex API', 729],
    ['specs/tripletex/tripletex-openapi-3.0.json', 'Tripletex API', 739],
    ['specs/fiken/fiken-api-2.0.0.yaml', 'Fiken API', 134],
    ['specs/24sevenoffice/rest.yaml', '24SevenOffice Public API', 58],
    ['specs/24sevenoffice/payroll.json', 'Payroll API documentation', 35],
  ])('%s --json', async (file, title, operations) => {
    const run = await recon(['spec', join(FIXTURES, file), '--json']);
    expect(run.code).toBe(0);
    const inventory = JSON.parse(run.stdout) as { title: string; counts: { operations: number }; operations: unknown[]; gaps: unknown[] };
    expect(inventory.title).toBe(title);
    expect(inventory.counts.operations).toBe(operations);
    expect(inventory.operations).toHaveLength(operations);
    expect(run.stderr).toBe('');
  });

  it('prints a readable inventory of Tripletex', async () => {
    const run = await recon(['spec', 'fixtures/specs/tripletex/tripletex-swagger-2.0.json']);
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain('Tripletex API');
    expect(out).toContain('Swagger 2.0 (converted to OpenAPI 3.0 in memory)');
    expect(out).toContain('729 operations on 486 paths');
    expect(out).toContain('https://tripletex.no/v2');
    expect(out).toMatch(/tokenAuthScheme: HTTP basic\s+used by \d+ operation/);
    expect(out).toContain('X-Rate-Limit-Limit');
    expect(out).toContain('list them with --operations');
    expect(out).toMatch(/Gaps/);
    expect(out).not.toMatch(/\x1b\[/); // not a terminal: no colour
  });

  it('filters operations', async () => {
    const run = await recon(['spec', 'fixtures/specs/tripletex/tripletex-openapi-3.0.json', '--filter', 'sendToLedger']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/PUT\s+\/ledger\/voucher\/\{id\}\/:sendToLedger/);
  });

  it('honours FORCE_COLOR and NO_COLOR', async () => {
    const file = 'fixtures/specs/24sevenoffice/payroll.json';
    expect((await recon(['spec', file], { FORCE_COLOR: '1' })).stdout).toMatch(/\x1b\[1m/);
    expect((await recon(['spec', file], { FORCE_COLOR: '0' })).stdout).not.toMatch(/\x1b\[/);
    expect((await recon(['spec', file], { NO_COLOR: '1' })).stdout).not.toMatch(/\x1b\[/);
  });

  it('--fail-on error exits 1 when the document has errors', async () => {
    const file = join(FIXTURES, 'duplicate-operation-ids.yaml');
    const none = await recon(['spec', file]);
    expect(none.code).toBe(0);
    const failing = await recon(['spec', file, '--fail-on', 'error', '--json']);
    expect(failing.code).toBe(1);
    expect(JSON.parse(failing.stdout).gaps).toContainEqual(expect.objectContaining({ kind: 'duplicate-operation-id' }));
    expect(failing.stderr).toMatch(/gap\(s\) of severity error/);
  });

  it('stops quietly when the reader of its output goes away (| head)', async () => {
    const child = spawn(process.execPath, [BIN, 'spec', join(FIXTURES, 'specs/tripletex/tripletex-swagger-2.0.json'), '--operations'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it('never prints a --header secret, even when the fetch fails', async () => {
    const canary = 'canary-4f1c2e9d-secret';
    const run = await recon(['spec', 'http://127.0.0.1:9/openapi.json', '--header', `Authorization: Bearer ${canary}`, '--timeout', '2']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/could not fetch/);
    expect(run.stdout + run.stderr).not.toContain(canary);
  });

  const bad = readdirSync(join(FIXTURES, 'bad')).filter((f) => f !== 'proto-keys.json');
  it.each(bad)('bad input %s: exit 2, one line naming the file, no stack', async (file) => {
    const run = await recon(['spec', join('fixtures/bad', file), '--timeout', '2']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`fixtures/bad/${file}`);
    expect(run.stderr).toMatch(/^recon: error: /);
    expect(run.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(run.stderr).not.toMatch(NO_STACK);
  });
});

describe('recon sandbox and demo', () => {
  it('runs the sandbox until SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'sandbox', '--port', '0', '--json', '--no-faults'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const info = await new Promise<{ api: string; credentials: { apiKey: string } }>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        try {
          resolve(JSON.parse(stdout));
        } catch {
          // not complete yet
        }
      });
      child.on('error', reject);
      setTimeout(() => reject(new Error(`no address in time: ${stdout}`)), 10_000);
    });
    const response = await fetch(`${info.api}/customers`, { headers: { 'X-Api-Key': info.credentials.apiKey } });
    expect(response.status).toBe(200);
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGTERM');
    expect(await closed).toBe(0);
  });

});
