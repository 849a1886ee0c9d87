/**
 * `recon init`: the scaffolded workspace, its recon.yaml (which must load and must reach the
 * Acme sandbox), overwrite protection, and the built CLI.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRecon } from './helpers/recon-cli.js';
import { ConfigError, loadConfig, resolveConfigPath } from '../src/config/index.js';
import { UsageError } from '../src/errors.js';
import { initWorkspace } from '../src/init/index.js';
import { INVOICE_BODY } from '../src/init/templates.js';
import { ACME_SPEC_PATH, DEMO_CREDENTIALS, startSandbox } from '../src/sandbox/index.js';

const ENV = { ACME_CLIENT_SECRET: DEMO_CREDENTIALS.clientSecret };

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'recon-init-'));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('initWorkspace', () => {
  it('scaffolds a workspace in a new folder', async () => {
    const cwd = tempDir();
    const result = await initWorkspace('acme-review', { cwd });
    const dir = join(cwd, 'acme-review');
    expect(result).toEqual({
      dir,
      created: [
        'specs/',
        'fixtures/',
        'fixtures/bodies/',
        'review/',
        'secrets/',
        'recon.yaml',
        'specs/acme-erp.openapi.yaml',
        'fixtures/bodies/order.json',
        'fixtures/bodies/invoice.json',
        'review/.gitkeep',
        'secrets/.gitignore',
        '.gitignore',
        'README.md',
      ],
      updated: [],
      kept: [],
    });
    expect(readFileSync(join(dir, 'specs', 'acme-erp.openapi.yaml'), 'utf8')).toBe(readFileSync(ACME_SPEC_PATH, 'utf8'));
    expect(readFileSync(join(dir, 'secrets', '.gitignore'), 'utf8')).toBe('*\n!.gitignore\n');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['.recon/', 'secrets/', '*.pem', '*.key', '.env']));
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('## Next steps');
    if (process.platform !== 'win32') expect(statSync(join(dir, 'secrets')).mode & 0o077).toBe(0);
  });

  it('writes a recon.yaml that loads, with the Acme sandbox as its target', async () => {
    const cwd = tempDir();
    await initWorkspace('.', { cwd });
    const config = await loadConfig('recon.yaml', { cwd, env: ENV });
    const sandbox = config.targets.sandbox!;
    expect(sandbox).toMatchObject({
      baseUrl: 'http://127.0.0.1:4010/api/v1',
      spec: 'specs/acme-erp.openapi.yaml',
      auth: {
        type: 'oauth2-client-credentials',
        tokenUrl: 'http://127.0.0.1:4010/oauth/token',
        clientId: DEMO_CREDENTIALS.clientId,
        clientSecret: DEMO_CREDENTIALS.clientSecret,
        authMethod: 'client_secret_basic',
      },
      writes: false,
    });
    expect(existsSync(resolveConfigPath(config, sandbox.spec!))).toBe(true);
    expect(config.probe.calls).toEqual([
      { operation: 'createOrder', parameters: {}, body: { customerId: 10001, items: [{ productId: 5001, quantity: 3 }] }, headers: {}, idempotencyCheck: true },
      { operation: 'createInvoice', parameters: {}, body: JSON.parse(INVOICE_BODY), headers: {}, idempotencyCheck: true },
    ]);
    expect(config.secrets).toEqual([DEMO_CREDENTIALS.clientSecret]);
  });

  it('its credentials get a token from the Acme sandbox', async () => {
    const cwd = tempDir();
    await initWorkspace('.', { cwd });
    const auth = (await loadConfig('recon.yaml', { cwd, env: ENV })).targets.sandbox!.auth;
    if (auth.type !== 'oauth2-client-credentials') throw new Error('expected OAuth2');
    const sandbox = await startSandbox({ faults: false });
    try {
      const response = await fetch(new URL(new URL(auth.tokenUrl).pathname, sandbox.url), {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${auth.clientId}:${auth.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', ...(auth.scope ? { scope: auth.scope } : {}) }),
      });
      expect(response.status).toBe(200);
    } finally {
      await sandbox.close();
    }
  });

  it('names the missing variable when ACME_CLIENT_SECRET is not set', async () => {
    const cwd = tempDir();
    await initWorkspace('.', { cwd });
    const error = await loadConfig('recon.yaml', { cwd, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/^recon\.yaml:\d+:7 targets\.sandbox\.auth\.clientSecret: the environment variable ACME_CLIENT_SECRET is not set/);
  });

  it('refuses to overwrite recon.yaml without force', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'recon.yaml'), '# mine\n');
    const error = await initWorkspace('.', { cwd }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ code: 'RECON_INIT_EXISTS', exitCode: 2, message: 'recon.yaml already exists; recon init does not overwrite it' });
    expect(readFileSync(join(cwd, 'recon.yaml'), 'utf8')).toBe('# mine\n');
    expect(existsSync(join(cwd, 'specs'))).toBe(false);
  });

  it('with force, replaces recon.yaml, keeps the README and merges the .gitignore', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'recon.yaml'), '# mine\n');
    writeFileSync(join(cwd, 'README.md'), '# Our project\n');
    writeFileSync(join(cwd, '.gitignore'), 'node_modules/\n.env');
    mkdirSync(join(cwd, 'specs'));
    const result = await initWorkspace('.', { cwd, force: true });
    expect(result.updated).toEqual(['recon.yaml', '.gitignore']);
    expect(result.kept).toEqual(['README.md']);
    expect(result.created).not.toContain('specs/');
    expect(readFileSync(join(cwd, 'README.md'), 'utf8')).toBe('# Our project\n');
    expect(readFileSync(join(cwd, '.gitignore'), 'utf8')).toBe(
      'node_modules/\n.env\n\n# recon: local state, secrets and keys never go into git\n.recon/\nsecrets/\n*.pem\n*.key\n',
    );
    await loadConfig('recon.yaml', { cwd, env: ENV });
    // A second run adds nothing to the .gitignore.
    const again = await initWorkspace('.', { cwd, force: true });
    expect(again.kept).toContain('.gitignore');
  });

  it('refuses a file as the workspace folder', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'file'), '');
    await expect(initWorkspace('file', { cwd })).rejects.toMatchObject({ code: 'RECON_INIT_NOT_A_DIRECTORY', exitCode: 2 });
  });
});



describe('recon init (built CLI)', () => {
  it('creates a workspace, prints it as JSON, then refuses to overwrite it', async () => {
    const cwd = tempDir();
    const first = await runRecon(['init', 'review-ws', '--json'], { cwd: cwd });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout) as { dir: string; created: string[] };
    expect(result.created).toContain('recon.yaml');
    expect(existsSync(join(cwd, 'review-ws', 'specs', 'acme-erp.openapi.yaml'))).toBe(true);

    const second = await runRecon(['init', 'review-ws'], { cwd: cwd });
    expect(second.code).toBe(2);
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain('recon: error: review-ws/recon.yaml already exists');
    expect(second.stderr).toContain('--force');
    expect(second.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);

    const forced = await runRecon(['init', 'review-ws', '--force'], { cwd: cwd });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('updated  recon.yaml');
    expect(forced.stderr).toContain('cd review-ws');
  });

  it('--help has examples and exit codes', async () => {
    const run = await runRecon(['init', '--help'], { cwd: tempDir() });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: recon init');
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain('Exit codes:');
  });
});
