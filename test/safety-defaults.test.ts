/**
 * Safety defaults, checked from the outside through the built CLI:
 * - TLS certificate verification is on unless a target turns it off, and then recon warns on
 *   every run;
 * - state and audit files are owner-only (.recon 0700, recon.db 0600, recordings 0600, secrets/ 0700);
 * - no secret in the arguments (or added to the environment) of a process recon spawns.
 */
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { CORPUS } from './helpers/hostile-corpus.js';
import { allFiles } from './helpers/hostile-canary.js';
import { runBounded } from './helpers/hostile-run.js';
import { connectorYaml } from './helpers/runtime-workspace.js';

const API = join(CORPUS, 'vendor', 'api.yaml');
const mode = async (path: string) => (await stat(path)).mode & 0o777;
const octal = (m: number) => `0${m.toString(8)}`;

describe('TLS verification is on unless a target turns it off, and then recon says so every run', () => {
  let server: HttpsServer;
  let url: string;
  let requests = 0;
  let dir: string;
  let certPath: string;
  beforeAll(async () => {
    certPath = join(CORPUS, 'tls', 'self-signed.pem');
    server = createHttpsServer({ cert: await readFile(certPath), key: await readFile(join(CORPUS, 'tls', 'test-only-key.pem')) }, (req, res) => {
      requests += 1;
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end('[{"id": 1, "name": "a"}]');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = await mkdtemp(join(tmpdir(), 'recon-safety-tls-'));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const config = (tls: string) => `version: 1
targets:
  vendor:
    baseUrl: ${url}
    spec: ${API}
    auth: { type: bearer, token: "\${env:RECON_SAFETY_TOKEN}" }
    budget: 5
${tls}`;
  const env = { RECON_SAFETY_TOKEN: 'safety-canary-token-81f3' };

  it('refuses a self-signed certificate by default: no request (so no credential) reaches the server', async () => {
    await writeFile(join(dir, 'recon.yaml'), config(''));
    const before = requests;
    const run = await runBounded(['probe', '--no-record'], { cwd: dir, env });
    expect(run.stdout + run.stderr).toMatch(/certificate|self[- ]signed|TLS/i);
    expect(run.code).not.toBe(0);
    expect(requests).toBe(before);
    expect(run.stderr).not.toMatch(/verification is OFF/);
  });

  it('trusts the vendor CA when tls.ca names it, with no warning', async () => {
    await writeFile(join(dir, 'recon.yaml'), config(`    tls: { ca: "\${file:${certPath}}" }\n`));
    const run = await runBounded(['probe', '--no-record'], { cwd: dir, env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/verification is OFF/);
  });

  it('with tls.rejectUnauthorized: false on the target: works, and warns on every run of every command that calls it', async () => {
    await writeFile(join(dir, 'recon.yaml'), config('    tls: { rejectUnauthorized: false }\n'));
    for (const args of [['probe', '--no-record'], ['probe', '--no-record'], ['limits', '--path', '/items', '--no-record', '--budget', '6', '--max-duration', '5s']]) {
      const run = await runBounded(args, { cwd: dir, env });
      expect(run.code, `${args.join(' ')}\n${run.stderr}`).toBe(0);
      expect(run.stderr, args.join(' ')).toMatch(/recon: warning: TLS certificate verification is OFF for target "vendor" \(https:\/\/127\.0\.0\.1:\d+\)/);
    }
  });

  it('recon run warns too', async () => {
    await writeFile(join(dir, 'recon.yaml'), config('    tls: { rejectUnauthorized: false }\n'));
    await mkdir(join(dir, 'connectors'), { recursive: true });
    await writeFile(join(dir, 'connectors', 'push.yaml'), `name: push\nconfig: ../recon.yaml\noperation: createItem\nmessageId: /id\nrateLimit: { limit: 600, windowSeconds: 60 }\nrequest:\n  body:\n    id: \${/id}\nidempotency: { strategy: header }\n`);
    await writeFile(join(dir, 'in.ndjson'), '{"id": 1}\n');
    const run = await runBounded(['run', 'connectors/push.yaml', '--input', 'in.ndjson', '--store', `sqlite:${join(dir, 'q.db')}`], { cwd: dir, env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/TLS certificate verification is OFF/);
  });

  it('--tls-insecure warns the same way', async () => {
    const run = await runBounded(['probe', '--base-url', url, '--spec', API, '--no-record', '--tls-insecure', '--budget', '3'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/TLS certificate verification is OFF/);
  });

  it('recon.yaml cannot turn verification off for every target at once (only for a named one)', async () => {
    await writeFile(join(dir, 'recon.yaml'), `tls: { rejectUnauthorized: false }\n${config('')}`);
    const run = await runBounded(['probe', '--no-record'], { cwd: dir, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/recon\.yaml:1:1 tls: unknown key 'tls'/);
  });
});

const PULL = (sink: string[]) => `name: pull-customers
kind: pull
config: ../recon.yaml
operation: listCustomers
rateLimit: { limit: 6000, windowSeconds: 60 }
pagination: { style: link-header, items: /data }
sink: { command: ${JSON.stringify(sink)} }
idField: /id
timeoutMs: 3000
`;

const PUSH = connectorYaml('push-orders-header', { id: 'orderNo', quantity: '1', settings: { rateLimit: { limit: 6000, windowSeconds: 60 }, timeoutMs: 3000 } });

describe('owner-only state and recordings; no secret in the arguments of a spawned process', () => {
  const SECRET = 'safety-canary-client-secret-6d2a';
  let sandbox: RunningSandbox;
  let dir: string;
  let spy: string;
  const env = { ACME_CLIENT_SECRET: SECRET };
  beforeAll(async () => {
    sandbox = await startSandbox({ faults: false, rateLimit: false, credentials: { clientSecret: SECRET } });
    dir = await mkdtemp(join(tmpdir(), 'recon-safety-'));
    spy = join(await mkdtemp(join(tmpdir(), 'recon-safety-spy-')), 'sink.json');
    const init = await runBounded(['init', '.'], { cwd: dir });
    expect(init.code).toBe(0);
    await writeFile(join(dir, 'recon.yaml'), (await readFile(join(dir, 'recon.yaml'), 'utf8')).replaceAll('http://127.0.0.1:4010/', `${sandbox.url}/`).replace(/rateLimit: 5 .*/, 'rateLimit: 50'));
    await mkdir(join(dir, 'connectors'));
    // The sink writes down what it was started with: its arguments and its environment.
    const sink = [process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(spy)}, JSON.stringify({ argv: process.argv, env: process.env })); process.stdin.resume();`];
    await writeFile(join(dir, 'connectors', 'pull-customers.yaml'), PULL(sink));
    await writeFile(join(dir, 'connectors', 'push-orders.yaml'), PUSH);
    await writeFile(join(dir, 'orders.ndjson'), '{"orderNo": "SO-1", "customer": 10001, "product": 5001}\n');
    for (const args of [['probe'], ['limits', '--budget', '20', '--max-duration', '10s'], ['run', 'connectors/pull-customers.yaml'], ['run', 'connectors/push-orders.yaml', '--input', 'orders.ndjson']]) {
      const run = await runBounded(args, { cwd: dir, env, timeoutMs: 60_000 });
      expect(run.code, `${args.join(' ')}\n${run.stderr}`).toBe(0);
    }
  }, 120_000);
  afterAll(async () => {
    await sandbox?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('.recon is 0700 and the SQLite store (and its -wal/-shm) 0600', async () => {
    expect(octal(await mode(join(dir, '.recon')))).toBe('0700');
    for (const name of await readdir(join(dir, '.recon'))) expect(`${name} ${octal(await mode(join(dir, '.recon', name)))}`).toBe(`${name} 0600`);
  });

  it('every recording (.har) is 0600, and the secrets/ folder recon init makes is 0700', async () => {
    const hars = (await allFiles(dir)).filter((file) => file.endsWith('.har'));
    expect(hars.length).toBeGreaterThanOrEqual(2);
    for (const har of hars) expect(`${har} ${octal(await mode(har))}`).toBe(`${har} 0600`);
    expect(octal(await mode(join(dir, 'secrets')))).toBe('0700');
  });

  it('audit export --out writes an owner-only file (0600)', async () => {
    const run = await runBounded(['audit', 'export', '--out', 'audit.ndjson'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(octal(await mode(join(dir, 'audit.ndjson')))).toBe('0600');
  });

  it('the sink command recon spawns gets no secret in its arguments, and none added to its environment', async () => {
    const seen = JSON.parse(await readFile(spy, 'utf8')) as { argv: string[]; env: Record<string, string> };
    expect(seen.argv.join(' ')).not.toContain(SECRET);
    // The environment recon was given is the user's to pass on; recon must not add a secret to it.
    const added = Object.entries(seen.env).filter(([name, value]) => value.includes(SECRET) && env[name as keyof typeof env] !== value);
    expect(added).toEqual([]);
    expect(Object.keys(seen.env).filter((name) => /TOKEN|SECRET|PASSWORD|KEY/i.test(name) && !(name in env))).toEqual([]);
  });
});
