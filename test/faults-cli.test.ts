/**
 * `recon proxy` and `recon sandbox --inject` as a user runs them: bad fault specs exit 2 naming
 * the key, a running proxy in front of the Acme sandbox injects what it says, and --verbose
 * names faults without ever printing a credential.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { BIN, runRecon } from './helpers/recon-cli.js';

let dir: string;
let sandbox: RunningSandbox;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recon-faults-cli-'));
  sandbox = await startSandbox({ faults: false, rateLimit: false });
});
afterAll(async () => {
  await sandbox?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('bad fault specs: exit 2, the key named, no stack trace', () => {
  const cases: [string, string, RegExp][] = [
    ['an unknown kind', 'lost=0.1,resett=0.2', /--faults: resett: unknown key/],
    ['a rate out of range', 'lost=1.5', /--faults: lost: expected a rate from 0 to 1, got "1.5"/],
    ['a rate that is not a number', 'timeout=often', /--faults: timeout: expected a rate from 0 to 1/],
    ['rates adding up past 1', 'lost=0.6,html500=0.6', /rates add up to 1.2; at most 1/],
    ['an unknown option', 'storm=0.1:5:retry-afte=1', /--faults: storm:retry-afte: unknown option \(storm takes: rate, length, retry-after\)/],
    ['a bad option value', 'storm=0.1:0', /--faults: storm:length: expected a whole number from 1 to 100000/],
    ['an option on a kind without any', 'lost=0.1:9', /--faults: lost:9: unexpected option \(lost takes only a rate\)/],
    ['a bad status', 'html500=0.1:404', /--faults: html500:status: expected a whole number from 500 to 599/],
    ['a bad wrong-type mode', 'wrong-type=0.1:mode=xml', /--faults: wrong-type:mode: "xml" is not a mode/],
    ['a key given twice', 'lost=0.1,lost=0.2', /--faults: lost: given twice/],
    ['no value', 'lost', /--faults lost: no such file, and not an inline spec/],
    ['a bad method', 'lost=0.1,method=P0ST', /--faults: method: "P0ST" is not an HTTP method/],
    ['a bad path', 'lost=0.1,path=invoices', /--faults: path: "invoices" must start with \/ or \*/],
  ];
  it.each(cases)('%s', async (_name, spec, message) => {
    const run = await runRecon(['proxy', '--to', sandbox.url, '--faults', spec]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the file and the key of a YAML spec', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'faults:\n  lost: 0.1\n  slow: { rate: 0.1, bytesPerSecnd: 5 }\n');
    const run = await runRecon(['proxy', '--to', sandbox.url, '--faults', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}: faults.slow.bytesPerSecnd: unknown option (slow takes: rate, bytesPerSecond)`);
    await writeFile(file, 'faults: [lost\n');
    const syntax = await runRecon(['proxy', '--to', sandbox.url, '--faults', file]);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/bad\.yaml:\d+:\d+: not valid YAML or JSON/);
  });

  it('recon sandbox --inject checks its spec the same way, before listening', async () => {
    const run = await runRecon(['sandbox', '--port', '0', '--inject', 'reset=0.1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--inject: reset: unknown key/);
  });

  it('a bad --to is exit 2', async () => {
    const run = await runRecon(['proxy', '--to', 'ftp://example.com', '--faults', 'lost=0.1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/http:\/\/ or https:\/\//);
  });
});

/** Start the CLI, wait for its JSON document on stdout, hand back the child and the document. */
async function startCli(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; info: Record<string, unknown>; stderr: () => string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const info = await new Promise<Record<string, unknown>>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      try {
        resolve(JSON.parse(stdout) as Record<string, unknown>);
      } catch {
        // not complete yet
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  return { child, info, stderr: () => stderr };
}

async function stop(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
}

describe('a running proxy', () => {
  it('recon proxy --json: injects on schedule, names faults with --verbose, never a secret, and reports on Ctrl-C', async () => {
    const spec = join(dir, 'faults.yaml');
    await writeFile(spec, '# only invoice creates\nmethod: POST\npath: "*/invoices"\nfaults:\n  html500: 1\n');
    const { child, info, stderr } = await startCli(['proxy', '--to', sandbox.url, '--faults', spec, '--port', '0', '--json', '--verbose']);
    expect(info).toMatchObject({ target: sandbox.url, faults: 'html500=1:500,method=POST,path=*/invoices', seed: 1 });
    const url = String(info.url);
    const key = sandbox.credentials.apiKey;
    const list = await fetch(`${url}/api/v1/customers?api_key=${key}`, { headers: { 'X-Api-Key': key } });
    expect(list.status).toBe(200);
    const create = await fetch(`${url}/api/v1/invoices?token=${key}`, { method: 'POST', headers: { 'X-Api-Key': key, Authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{}' });
    expect(create.status).toBe(500);
    expect(create.headers.get('content-type')).toMatch(/text\/html/);
    expect(await stop(child)).toBe(0);
    expect(stderr()).toContain('fault html500: POST /api/v1/invoices');
    expect(stderr()).toContain('proxy stopped: 2 request(s), 1 passed, faults: html500 1');
    expect(stderr()).not.toContain(key);
  });

  it('recon sandbox --inject: the printed URL is the proxy in front of the sandbox', async () => {
    const { child, info, stderr } = await startCli(['sandbox', '--port', '0', '--json', '--no-faults', '--inject', 'storm=1:2:retry-after=3']);
    expect(info.injected).toBe('storm=1:2:retry-after=3');
    expect(info.url).not.toBe(info.sandboxUrl);
    const credentials = info.credentials as { apiKey: string };
    const res = await fetch(`${String(info.api)}/customers`, { headers: { 'X-Api-Key': credentials.apiKey } });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    const direct = await fetch(`${String(info.sandboxUrl)}/api/v1/customers`, { headers: { 'X-Api-Key': credentials.apiKey } });
    expect(direct.status).toBe(200);
    expect(await stop(child)).toBe(0);
    expect(stderr()).toContain('faults: storm 1');
  });

  it('--help teaches the spec and the go-live use', async () => {
    const help = await runRecon(['proxy', '--help']);
    expect(help.code).toBe(0);
    for (const kind of ['reset-before', 'lost', 'timeout', 'slow', 'truncate', 'html500', 'storm', 'wrong-type']) expect(help.stdout).toContain(kind);
    expect(help.stdout).toMatch(/before\s+go-live/);
    const sandboxHelp = await runRecon(['sandbox', '--help']);
    expect(sandboxHelp.stdout).toMatch(/--inject <spec>/);
    expect(sandboxHelp.stdout).toMatch(/Not\s+the same as --no-faults/);
  });
});
