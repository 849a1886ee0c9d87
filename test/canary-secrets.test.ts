/**
 * Secrets and personal data never reach a file or a terminal (DESIGN.md "Principles").
 *
 * Canary values are planted everywhere a secret can come from — recon.yaml through ${env:} and
 * ${file:}, the environment, a connector's request template — and a leaky vendor (a proxy in
 * front of the Acme sandbox) echoes them back in every response body and header, with a national
 * identity number and an e-mail address in every record. Then every command runs end to end
 * through the built CLI in one workspace, with RECON_DEBUG=1, and every file written in the
 * workspace (recon's SQLite store byte by byte included) and everything printed is searched for
 * every canary.
 *
 * E-mail addresses: DESIGN.md's redaction rule lists what is always redacted (credentials, tokens,
 * cookies, configured fields, national identity numbers); an e-mail address is personal data that
 * recon redacts where the user configures it (`redaction.jsonPaths: ["**.email"]`, as here), so
 * that drift can still show the vendor's e-mail formats in reviews of company data.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { CANARIES, findCanaries, scanFiles, startLeakyVendor, type Leak, type LeakyVendor } from './helpers/hostile-canary.js';
import { runBounded, type BoundedRun } from './helpers/hostile-run.js';

const PUSH = `name: push-orders
config: ../recon.yaml
target: sandbox
operation: createOrder
messageId: /orderNo
rateLimit: { limit: 6000, windowSeconds: 60 }
request:
  headers:
    X-Partner-Token: ${CANARIES.templateKey}
  body:
    customerId: \${/customer}
    items:
      - productId: \${/product}
        quantity: 1
idempotency: { strategy: header }
vendorId: /id
timeoutMs: 3000
retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 }
`;

const PULL = `name: pull-customers
kind: pull
config: ../recon.yaml
target: sandbox
operation: listCustomers
rateLimit: { limit: 6000, windowSeconds: 60 }
pagination: { style: link-header, items: /data }
sink: { command: ["${process.execPath}", "-e", "process.stdin.resume()"] }
idField: /id
timeoutMs: 3000
`;

/** Every command a user runs on a workspace, in the order of the journey. */
const COMMANDS: string[][] = [
  ['spec', 'specs/acme-erp.openapi.yaml'],
  ['spec', 'specs/acme-erp.openapi.yaml', '--json'],
  ['probe'],
  ['probe', '--json'],
  // A secret on recon's own command line (a session header) must not reach the recording either.
  ['probe', '--header', `X-Session-Token: ${CANARIES.sessionCookie}`, '--budget', '20'],
  ['probe', '--target', 'production', '--budget', '3'],
  ['limits', '--budget', '40', '--max-duration', '20s'],
  ['drift', '--fail-on', 'never'],
  ['drift', '--format', 'markdown', '--out', 'review/drift.md', '--overlay-out', 'review/overlay-extra.yaml', '--profile', '--fail-on', 'never'],
  ['drift', '--format', 'sarif', '--out', 'review/drift.sarif', '--fail-on', 'never'],
  ['review', '--limits-budget', '40', '--batch-calls', '5000', '--deadline', '8h'],
  ['report'],
  ['report', '--json'],
  ['types', '--out', 'types/acme.ts'],
  ['plan', '--calls', '5000', '--from', 'review'],
  ['diff', 'specs/acme-erp.openapi.yaml', 'specs/acme-erp.openapi.yaml'],
  ['run', 'connectors/push-orders.yaml', '--input', 'orders.ndjson'],
  ['run', 'connectors/push-orders.yaml', '--input', 'orders.ndjson', '--json'],
  ['run', 'connectors/pull-customers.yaml'],
  ['queue', 'status'],
  ['queue', 'status', '--json'],
  ['queue', 'list', '--connector', 'push-orders'],
  ['queue', 'list', '--connector', 'push-orders', '--json'],
  ['queue', 'inspect', 'SO-1', '--connector', 'push-orders'],
  ['queue', 'inspect', 'SO-1', '--connector', 'push-orders', '--json'],
  ['audit', 'query'],
  ['audit', 'query', '--json'],
  ['audit', 'query', '--format', 'csv'],
  ['audit', 'export', '--out', 'audit-export.ndjson'],
  ['audit', 'export'],
  ['audit', 'verify'],
  ['status'],
  ['status', '--json'],
  ['monitor', 'rules', '--out', 'monitor-rules.yaml'],
  ['monitor', 'check'],
  ['monitor', 'check', '--json'],
  ['store', 'status'],
  ['store', 'status', '--json'],
  ['store', 'migrate', '--dry-run'],
];


describe('canary scan: no secret or personal data in any file or output, across every command', () => {
  let sandbox: RunningSandbox;
  let vendor: LeakyVendor;
  let dir: string;
  const runs: { args: string[]; run: BoundedRun }[] = [];
  const planted = new Set<string>();

  beforeAll(async () => {
    sandbox = await startSandbox({ faults: false, credentials: { clientSecret: CANARIES.clientSecret } });
    vendor = await startLeakyVendor(sandbox.url);
    dir = await mkdtemp(join(tmpdir(), 'recon-canary-'));
    const env = { ACME_CLIENT_SECRET: CANARIES.clientSecret, RECON_CANARY_PASSWORD: CANARIES.password, RECON_DEBUG: '1' };
    const recon = (args: string[]) => runBounded(args, { cwd: dir, env, timeoutMs: 90_000, heapMb: 512 });

    runs.push({ args: ['init', '.'], run: await recon(['init', '.']) });
    const config = (await readFile(join(dir, 'recon.yaml'), 'utf8'))
      .replaceAll('http://127.0.0.1:4010/', `${vendor.url}/`)
      .replace('writes: false', 'writes: true')
      .replace(/rateLimit: 5 .*/, 'rateLimit: 40')
      .replace('      X-Tenant: demo', '      X-Tenant: demo\n      X-Api-Key: ${file:./secrets/api-key}\n      X-Tenant-Secret: ${env:RECON_CANARY_PASSWORD}')
      .replace('jsonPaths: [customer.ssn, "**.iban"]', 'jsonPaths: [customer.ssn, "**.iban", "**.email"]')
      .replace(
        '\n# The probe plan.',
        `  production:
    baseUrl: ${vendor.url}/api/v1
    spec: specs/acme-erp.openapi.yaml
    auth:
      type: jwt-bearer
      tokenUrl: ${vendor.url}/oauth/token
      issuer: 00000000-0000-0000-0000-000000000000
      audience: https://maskinporten.example/
      scope: vendor:erp.read
      privateKey: \${file:./secrets/maskinporten.key}
    budget: 5

# The probe plan.`,
      );
    expect(config).toContain('X-Api-Key: ${file:./secrets/api-key}');
    expect(config).toContain('privateKey: ${file:./secrets/maskinporten.key}');
    await writeFile(join(dir, 'recon.yaml'), config);
    await writeFile(join(dir, 'secrets', 'api-key'), `${CANARIES.apiKey}\n`);
    await writeFile(join(dir, 'secrets', 'maskinporten.key'), CANARIES.privateKeyPem);
    await chmod(join(dir, 'secrets', 'maskinporten.key'), 0o600);
    await mkdir(join(dir, 'connectors'), { recursive: true });
    await mkdir(join(dir, 'types'), { recursive: true });
    await writeFile(join(dir, 'connectors', 'push-orders.yaml'), PUSH);
    await writeFile(join(dir, 'connectors', 'pull-customers.yaml'), PULL);
    await writeFile(join(dir, 'orders.ndjson'), Array.from({ length: 5 }, (_, i) => JSON.stringify({ orderNo: `SO-${i + 1}`, customer: 10001, product: 5001 })).join('\n') + '\n');
    // What the test itself wrote with a canary in it: the user's own secrets and definitions.
    for (const file of ['recon.yaml', 'secrets/api-key', 'secrets/maskinporten.key', 'connectors/push-orders.yaml']) planted.add(file);

    for (const args of COMMANDS) runs.push({ args, run: await recon(args) });
  }, 600_000);

  afterAll(async () => {
    await vendor?.close();
    await sandbox?.close();
    if (process.env.CANARY_KEEP !== undefined) await writeFile(process.env.CANARY_KEEP, JSON.stringify({ dir, runs }, null, 1));
    else if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('every command ran (exit 0 or 1, no internal error)', () => {
    // RECON_DEBUG=1 prints stack traces on purpose; the corpus test checks there are none without it.
    const failed = runs
      .filter(({ run }) => (run.code !== 0 && run.code !== 1) || /internal error/.test(run.stderr))
      .map(({ args, run }) => `recon ${args.join(' ')} → exit ${run.code}\n${run.stderr.slice(0, 800)}`);
    // `probe --target production` is expected to fail to authenticate (the sandbox knows no JWT grant): exit 3 is right there.
    expect(failed.filter((f) => !f.startsWith('recon probe --target production') || !/exit 3/.test(f))).toEqual([]);
    expect(vendor.requests).toBeGreaterThan(50);
  });

  it('no canary in anything printed', () => {
    const leaks: Leak[] = runs.flatMap(({ args, run }) => [...findCanaries(`recon ${args.join(' ')} (stdout)`, run.stdout), ...findCanaries(`recon ${args.join(' ')} (stderr)`, run.stderr)]);
    expect(leaks).toEqual([]);
  });

  it('no canary in any file written in the workspace, the SQLite store included', async () => {
    const { scanned, leaks } = await scanFiles(dir, planted);
    // The scan covers what every stage writes: recordings, review files, reports, types, the store.
    for (const expected of [/^\.recon\/recon\.db$/, /^fixtures\/sandbox\/.*\.har$/, /^review\/integration-spec\.yaml$/, /^review\/report\.html$/, /^review\/report\.md$/, /^review\/limits\.json$/, /^review\/probe\.json$/, /^types\/acme\.ts$/, /^audit-export\.ndjson$/]) {
      expect(scanned.some((name) => expected.test(name)), `${expected} was written`).toBe(true);
    }
    expect(leaks).toEqual([]);
  });

  it('the canaries really travelled: the vendor saw the secrets recon sent, and echoed personal data back', async () => {
    // A sanity check of the test itself: a scan that finds nothing because nothing was planted proves nothing.
    const har = runs.find(({ args }) => args.join(' ') === 'probe --json');
    expect(har?.run.code).toBe(0);
    const db = await readFile(join(dir, '.recon', 'recon.db'));
    expect(db.length).toBeGreaterThan(10_000);
    // The echoed national id was redacted by recognition (no configuration), in the store and in the recordings.
    expect(db.includes('<redacted:fnr>')).toBe(true);
    const { readdir } = await import('node:fs/promises');
    const hars = (await readdir(join(dir, 'fixtures', 'sandbox'))).filter((name) => name.endsWith('.har'));
    const recording = await readFile(join(dir, 'fixtures', 'sandbox', hars[0]!), 'utf8');
    expect(recording).toContain('<redacted:fnr>');
    expect(recording).toMatch(/\\"email\\":\\"<redacted:field>\\"/);
    expect(sandbox.requestCount()).toBeGreaterThan(50);
  });
});
