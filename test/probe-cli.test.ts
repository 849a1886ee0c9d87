/**
 * `recon probe` through the built binary, on a workspace made by `recon init`, against the
 * Acme sandbox: the canary secrets must appear in no file recon wrote and in no output.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { BIN, runRecon } from './helpers/recon-cli.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';

const recon = (args: string[], cwd: string, env: Record<string, string> = {}) => runRecon(args, { cwd, env });


async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('recon probe (CLI)', () => {
  let sandbox: RunningSandbox;
  let dir: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, faults: false, credentials: { clientSecret: 'canary-cli-secret-0c8e', apiKey: 'canary-cli-key-91fa' } });
    dir = await mkdtemp(join(tmpdir(), 'recon-probe-cli-'));
    const init = await recon(['init', 'review'], dir);
    expect(init.code).toBe(0);
    // Point the generated config at this test's sandbox port.
    const file = join(dir, 'review', 'recon.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replaceAll('127.0.0.1:4010', new URL(sandbox.url).host));
  });
  afterAll(async () => {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('probes the workspace target and leaks no secret anywhere', async () => {
    const cwd = join(dir, 'review');
    // Only what the probe writes counts (the workspace's README quotes the public demo secret).
    const before = new Map<string, string>();
    for (const file of await allFiles(cwd)) before.set(file, await readFile(file, 'utf8'));
    const run = await recon(['probe', '--json'], cwd, { ACME_CLIENT_SECRET: sandbox.credentials.clientSecret });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { coverage: { probed: number }; recording: string; auth: { ok: boolean }[] };
    expect(result.auth[0]!.ok).toBe(true);
    expect(result.coverage.probed).toBeGreaterThanOrEqual(9);
    const written = (await allFiles(join(cwd, 'fixtures'))).filter((f) => f.endsWith('.har'));
    expect(written).toEqual([result.recording]);
    const changed = [];
    for (const file of await allFiles(cwd)) {
      const text = await readFile(file, 'utf8');
      if (before.get(file) === text) continue;
      changed.push(file);
      expect(text, file).not.toContain(sandbox.credentials.clientSecret);
    }
    expect(changed).toEqual([result.recording]);
    expect(run.stdout).not.toContain(sandbox.credentials.clientSecret);
  });

  it('works without a config from flags, with an API key from the environment', async () => {
    const out = join(dir, 'flags.har');
    const run = await recon(
      ['probe', '--base-url', `${sandbox.url}/api/v1`, '--spec', join(dir, 'review', 'specs', 'acme-erp.openapi.yaml'), '--api-key-header', 'X-Api-Key', '--api-key-env', 'ACME_KEY', '--out', out, '--budget', '12'],
      dir,
      { ACME_KEY: sandbox.credentials.apiKey },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/12 of 12 requests|of 12 requests/);
    expect(run.stdout).toContain('stopped early: budget of 12 requests spent');
    expect(await readFile(out, 'utf8')).not.toContain(sandbox.credentials.apiKey);
  });

  it('explains what is missing: no config, an unknown target, an env var not set', async () => {
    const none = await recon(['probe'], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no recon\.yaml here or in a parent directory/);
    const unknown = await recon(['probe', '--target', 'prod'], join(dir, 'review'), { ACME_CLIENT_SECRET: 'x' });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no target "prod"/);
    const unset = await recon(['probe'], join(dir, 'review'));
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/ACME_CLIENT_SECRET/);
  });

  it('Ctrl-C stops gracefully and still writes the recording', async () => {
    const slow = await startSandbox({ port: 0, faults: false, latencyMs: 300 });
    try {
      const out = join(dir, 'interrupted.har');
      const child = spawn(process.execPath, [BIN, 'probe', '--base-url', `${slow.url}/api/v1`, '--spec', join(dir, 'review', 'specs', 'acme-erp.openapi.yaml'), '--api-key-header', 'X-Api-Key', '--api-key-env', 'ACME_KEY', '--out', out, '--concurrency', '1'], {
        env: { PATH: process.env.PATH ?? '', ACME_KEY: slow.credentials.apiKey },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      setTimeout(() => child.kill('SIGINT'), 1_200);
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(130);
      expect(stderr).toMatch(/stopping: finishing the calls in flight/);
      expect(stdout).toMatch(/stopped early: interrupted/);
      const har = JSON.parse(await readFile(out, 'utf8')) as { log: { entries: unknown[] } };
      expect(har.log.entries.length).toBeGreaterThan(0);
      expect(har.log.entries.length).toBeLessThan(10);
    } finally {
      await slow.close();
    }
  });

  it('exits 3 when nothing could be probed', async () => {
    const run = await recon(['probe', '--base-url', 'http://127.0.0.1:9/api/v1', '--spec', join(dir, 'review', 'specs', 'acme-erp.openapi.yaml'), '--no-record', '--budget', '3'], dir);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/nothing could be probed.*ECONNREFUSED/);
  });
});
