/**
 * Pull connectors against the Acme sandbox (`GET /customers`: 50 customers, paged with an
 * RFC 8288 Link header), with a SQLite store and an NDJSON file or a command as the sink, in a
 * workspace made by `initWorkspace`.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorWorkspace } from './helpers/runtime-workspace.js';
import { loadConnector } from '../src/runtime/connector/index.js';
import { pullEvery, pullStateKey, runPull, type PullState, type PullSummary } from '../src/runtime/pull/index.js';
import { runConnector } from '../src/runtime/run/index.js';
import { openStore, type Store } from '../src/runtime/store/index.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { runRecon } from './helpers/recon-cli.js';

const SECRET = 'pull-test-client-secret';
const env = { ACME_CLIENT_SECRET: SECRET };
const dirs: string[] = [];
const stores: Store[] = [];
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, faults: false, rateLimit: false, credentials: { clientSecret: SECRET } });
});
afterAll(async () => {
  await sandbox.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

function pullConnector(sink: object, pagination: object = { style: 'link-header', items: '/data' }): string {
  return `name: pull-customers
kind: pull
config: ../recon.yaml
operation: listCustomers
rateLimit: { limit: 6000, windowSeconds: 60 }
pagination: ${JSON.stringify(pagination)}
sink: ${JSON.stringify(sink)}
idField: /id
timeoutMs: 2000
`;
}

async function workspace(connector: string, at: RunningSandbox = sandbox): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'recon-pull-'));
  dirs.push(dir);
  await connectorWorkspace(dir, at.url, { 'pull-customers': connector });
  return { dir, file: join(dir, 'connectors', 'pull-customers.yaml') };
}

async function storeIn(dir: string): Promise<Store> {
  const store = await openStore(`sqlite:${join(dir, '.recon', 'recon.db')}`);
  stores.push(store);
  return store;
}

async function ndjsonIds(file: string): Promise<number[]> {
  const text = await readFile(file, 'utf8');
  return text.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { id: number }).id);
}

describe('runPull into an NDJSON file', () => {
  it('writes the 50 customers once; a second run appends nothing; the audit log verifies', async () => {
    const { dir, file } = await workspace(pullConnector({ file: '../out/customers.ndjson' }));
    const loaded = await loadConnector(file, { env });
    const store = await storeIn(dir);

    const first = await runPull({ loaded, store });
    expect(first).toMatchObject({ connector: 'pull-customers', records: 50, stopped: false, state: { records: 50 } });
    const ids = await ndjsonIds(join(dir, 'out', 'customers.ndjson'));
    expect(ids).toHaveLength(50);
    expect(new Set(ids).size).toBe(50);
    expect(first.newIds).toEqual(ids.map(String));

    const second = await runPull({ loaded, store });
    expect(second).toMatchObject({ records: 0, pages: 1, state: { records: 50 } });
    expect(await ndjsonIds(join(dir, 'out', 'customers.ndjson'))).toHaveLength(50);

    const audit = await store.queryAudit({ connector: 'pull-customers' });
    expect(audit).toHaveLength(first.pages + second.pages);
    expect(audit.every((r) => r.status === 200 && r.outcome === 'done' && r.method === 'GET')).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect(await store.verifyAudit()).toMatchObject({ ok: true });
  });

  it('resumes a run stopped mid-way from the last page written, with nothing twice', async () => {
    const { dir, file } = await workspace(pullConnector({ file: 'customers.ndjson' }, { style: 'link-header', items: '/data', pageSize: 10 }));
    const loaded = await loadConnector(file, { env });
    const store = await storeIn(dir);
    const controller = new AbortController();

    const stopped = await runPull({ loaded, store, signal: controller.signal, onProgress: (p) => p.pages === 2 && controller.abort() });
    expect(stopped).toMatchObject({ pages: 2, records: 20, stopped: true });
    const saved = (await store.getState(pullStateKey('pull-customers'))) as PullState;
    expect(saved).toMatchObject({ skip: 0, records: 20, next: { url: expect.stringContaining('page=3') } });

    const resumed = await runPull({ loaded, store });
    expect(resumed).toMatchObject({ pages: 3, records: 30, stopped: false, state: { records: 50 } });
    const ids = await ndjsonIds(join(dir, 'connectors', 'customers.ndjson'));
    expect(ids).toHaveLength(50);
    expect(new Set(ids).size).toBe(50);
  });

  it('walks page numbers (style page) to a short page', async () => {
    const { dir, file } = await workspace(pullConnector({ file: 'c.ndjson' }, { style: 'page', items: '/data', pageSize: 20 }));
    const store = await storeIn(dir);
    const summary = await runPull({ loaded: await loadConnector(file, { env }), store });
    expect(summary).toMatchObject({ pages: 3, records: 50, state: { next: { page: 3 }, skip: 10 } });
  });
});

describe('pullEvery', () => {
  it('runs again on the schedule until the signal, one summary per run', async () => {
    const { dir, file } = await workspace(pullConnector({ file: 'c.ndjson' }));
    const store = await storeIn(dir);
    const controller = new AbortController();
    const runs: PullSummary[] = [];
    await pullEvery({ loaded: await loadConnector(file, { env }), store, everyMs: 20, signal: controller.signal, onRun: (s) => runs.push(s) === 3 && controller.abort() });
    expect(runs.map((s) => s.records)).toEqual([50, 0, 0]);
  });
});

describe('a pull connector definition', () => {
  it('needs a sink, and a cursorPointer for style cursor', async () => {
    const { file } = await workspace(`name: pull-customers
kind: pull
config: ../recon.yaml
operation: listCustomers
rateLimit: { limit: 5, windowSeconds: 1 }
pagination: { style: cursor, items: /data }
`);
    await expect(loadConnector(file, { env })).rejects.toMatchObject({ code: 'RECON_CONNECTOR_INVALID', exitCode: 2, message: expect.stringContaining("'sink'") });
    await writeFile(file, pullConnector({ file: 'c.ndjson' }, { style: 'cursor', items: '/data' }));
    await expect(loadConnector(file, { env })).rejects.toMatchObject({ code: 'RECON_CONNECTOR_INVALID', message: expect.stringContaining('cursorPointer') });
  });
});

describe('runPull into a command', () => {
  it("writes the records to the command's stdin as NDJSON", async () => {
    const counter = "let n=0,b='';process.stdin.on('data',d=>b+=d).on('end',()=>{n=b.split('\\n').filter(Boolean).map(JSON.parse).length;require('fs').writeFileSync('count.txt',String(n))})";
    const { dir, file } = await workspace(pullConnector({ command: [process.execPath, '-e', counter] }));
    const store = await storeIn(dir);
    const summary = await runPull({ loaded: await loadConnector(file, { env }), store });
    expect(summary.records).toBe(50);
    expect(await readFile(join(dir, 'connectors', 'count.txt'), 'utf8')).toBe('50');
    expect(await store.getState(pullStateKey('pull-customers'))).toMatchObject({ records: 50 });
  });

  it('fails (exit 3) when the command exits non-zero, and keeps the position where it was', async () => {
    const { dir, file } = await workspace(pullConnector({ command: [process.execPath, '-e', 'process.exit(4)'] }));
    const store = await storeIn(dir);
    await expect(runPull({ loaded: await loadConnector(file, { env }), store })).rejects.toMatchObject({ code: 'RECON_PULL_SINK_FAILED', exitCode: 3 });
    expect(await store.getState(pullStateKey('pull-customers'))).toBeUndefined();
  });

  it('fails (exit 3) when the command cannot start', async () => {
    const { dir, file } = await workspace(pullConnector({ command: ['recon-no-such-command-xyz'] }));
    const store = await storeIn(dir);
    await expect(runPull({ loaded: await loadConnector(file, { env }), store })).rejects.toMatchObject({ code: 'RECON_PULL_SINK_FAILED', exitCode: 3 });
  });
});

describe('when the vendor adds records', () => {
  it('the next run writes only the new one, from the remembered last page', async () => {
    const own = await startSandbox({ port: 0, faults: false, rateLimit: false, credentials: { clientSecret: SECRET } });
    try {
      const { dir, file } = await workspace(pullConnector({ file: 'customers.ndjson' }), own);
      const store = await storeIn(dir);
      const loaded = await loadConnector(file, { env });
      expect(await runPull({ loaded, store })).toMatchObject({ records: 50 });

      await writeFile(join(dir, 'connectors', 'push-customers.yaml'), `name: push-customers
config: ../recon.yaml
operation: createCustomer
messageId: /organizationNumber
rateLimit: { limit: 6000, windowSeconds: 60 }
request:
  body:
    name: \${/name}
    organizationNumber: \${/organizationNumber}
    email: \${/email}
idempotency: { strategy: header }
`);
      const push = await loadConnector(join(dir, 'connectors', 'push-customers.yaml'), { env });
      const record = { name: 'Nordlys AS', organizationNumber: '998877665', email: 'post@nordlys.example' };
      expect(await runConnector({ loaded: push, store, input: (async function* () { yield { line: 1, record }; })() })).toMatchObject({ done: 1 });

      const next = await runPull({ loaded, store });
      expect(next).toMatchObject({ records: 1, state: { records: 51 } });
      const lines = (await readFile(join(dir, 'connectors', 'customers.ndjson'), 'utf8')).split('\n').filter(Boolean);
      expect(lines).toHaveLength(51);
      expect(JSON.parse(lines[50]!)).toMatchObject({ organizationNumber: '998877665' });
      expect(await store.verifyAudit()).toMatchObject({ ok: true });
    } finally {
      await own.close();
    }
  });
});

describe('recon run on a pull connector', () => {
  it('runs it once and prints one line; a failing sink command exits 3', async () => {
    const { dir } = await workspace(pullConnector({ file: 'customers.ndjson' }));
    const ok = await runRecon(['run', 'connectors/pull-customers.yaml'], { cwd: dir, env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^pull-customers: 50 new records in 2 pages/);

    const bad = await workspace(pullConnector({ command: [process.execPath, '-e', 'process.exit(1)'] }));
    const failed = await runRecon(['run', 'connectors/pull-customers.yaml'], { cwd: bad.dir, env });
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain('exited with 1');
  });
});
