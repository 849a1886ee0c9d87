/**
 * The SQLite store: the contract suite on real temp files, then what only a file can show —
 * processes racing on one file, a process killed mid-write, hand-edited audit rows, files that
 * are not ours, a lock held too long, a full disk.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { auditHash, canonicalJson, openStore, parseAuditTime, SqliteStore, storeFile, type AuditRecord, type Store } from '../src/runtime/store/index.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, RECON_APPLICATION_ID } from '../src/runtime/store/schema.js';
import { storeErrorFrom } from '../src/runtime/store/sqlite-errors.js';
import { storeContract } from './helpers/store-contract.js';

const ROOT = join(import.meta.dirname, '..');
const DIST_STORE = join(ROOT, 'dist', 'runtime', 'store', 'index.js');
const T0 = Date.parse('2026-01-01T00:00:00Z');

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'recon-store-'));
  dirs.push(dir);
  return dir;
}
const tempDb = () => join(tempDir(), 'recon.db');
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const stores: Store[] = [];
async function open(file: string, options: Parameters<typeof openStore>[1] = {}): Promise<Store> {
  const store = await openStore(file, options);
  stores.push(store);
  return store;
}
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

/** The connection behind a SqliteStore, for the tests that must reach past the interface. */
const connectionOf = (store: Store) => (store as unknown as { db: Database.Database }).db;

function record(i: number, overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    at: new Date(T0 + i * 60_000).toISOString(),
    connector: 'push-invoices',
    messageId: `INV-${i}`,
    attempt: 1,
    operation: 'createInvoice',
    method: 'POST',
    url: 'http://127.0.0.1:1/invoices',
    requestHeaders: [['idempotency-key', `k${i}`]],
    status: 201,
    durationMs: 3,
    idempotencyKey: `k${i}`,
    outcome: 'done',
    ...overrides,
  };
}

const batch = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: `M${from + i}`, payload: { n: from + i }, idempotencyKey: `k${from + i}` }));

const reopen = (store: Store) => openStore((store as SqliteStore).file);
storeContract('SQLite', () => openStore(`sqlite:${tempDb()}`), { reopen });
storeContract('SQLite, durability full', () => openStore(tempDb(), { durability: 'full' }), { reopen });

describe('store locations', () => {
  it.each([
    ['sqlite:data/q.db', '/srv/app/data/q.db'],
    ['sqlite:/var/lib/recon.db', '/var/lib/recon.db'],
    ['sqlite:///var/lib/recon.db', '/var/lib/recon.db'],
    ['data/q.db', '/srv/app/data/q.db'],
    ['/abs/q.db', '/abs/q.db'],
    ['', '/srv/app/.recon/recon.db'],
  ])('%s → %s', (given, want) => {
    expect(storeFile(given, '/srv/app')).toBe(want);
  });

  it.each([
    ['mysql://recon:s3cret@db/recon', 'RECON_STORE_UNSUPPORTED'],
    ['sqlite:', 'RECON_STORE_BAD_INPUT'],
    ['sqlite::memory:', 'RECON_STORE_BAD_INPUT'],
  ])('%s is refused (exit 2) without echoing a password', async (given, code) => {
    const error = await openStore(given).catch((e: unknown) => e);
    expect(error).toMatchObject({ code, exitCode: 2 });
    expect(String((error as Error).message)).not.toContain('s3cret');
  });

  it.each(['postgres://recon:s3cret@db:5432/recon', 'postgresql://db/recon'])('%s is not a SQLite file (exit 2), said without its password', (given) => {
    let error: unknown;
    try {
      storeFile(given, '/srv/app');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'RECON_STORE_UNSUPPORTED', exitCode: 2 });
    expect(String((error as Error).message)).not.toContain('s3cret');
  });

  it('creates .recon/recon.db under cwd by default, marked as a recon file', async () => {
    const cwd = tempDir();
    await (await open('', { cwd })).close();
    expect(existsSync(join(cwd, '.recon', 'recon.db'))).toBe(true);
    // application_id 'recn' at offset 68 of the header: `file` and sqlite tools can tell it is ours.
    expect(readFileSync(join(cwd, '.recon', 'recon.db')).subarray(68, 72).toString('latin1')).toBe('recn');
  });

  it('sets synchronous by durability: NORMAL by default, FULL when asked', async () => {
    expect(connectionOf(await open(tempDb())).pragma('synchronous', { simple: true })).toBe(1);
    expect(connectionOf(await open(tempDb(), { durability: 'full' })).pragma('synchronous', { simple: true })).toBe(2);
    expect(connectionOf(await open(tempDb())).pragma('journal_mode', { simple: true })).toBe('wal');
  });
});

describe('canonical JSON and audit times', () => {
  it.each([
    ['keys sorted at every depth', { b: 1, a: { d: 1, c: [{ z: 1, y: 2 }] } }, '{"a":{"c":[{"y":2,"z":1}],"d":1},"b":1}'],
    ['undefined dropped, null kept', { b: undefined, a: null }, '{"a":null}'],
    ['arrays keep their order', [3, 1, 2], '[3,1,2]'],
    ['unicode as is', { name: 'Ærlig Østerås' }, '{"name":"Ærlig Østerås"}'],
  ])('%s', (_name, given, want) => {
    expect(canonicalJson(given)).toBe(want);
  });

  it.each([
    ['2026-01-01', Date.parse('2026-01-01T00:00:00Z')],
    ['2026-01-01T10:00', Date.parse('2026-01-01T10:00:00Z')],
    ['2026-01-01T10:00:00.5Z', Date.parse('2026-01-01T10:00:00.500Z')],
    ['2026-01-01T10:00:00+01:00', Date.parse('2026-01-01T09:00:00Z')],
  ])('%s', (given, want) => {
    expect(parseAuditTime(given, 'since')).toBe(want);
  });

  it.each(['yesterday', '01/02/2026', '2026-02-30x', ''])('"%s" is refused naming the field', (given) => {
    expect(() => parseAuditTime(given, 'since')).toThrow(expect.objectContaining({ code: 'RECON_STORE_BAD_INPUT', message: expect.stringContaining('since') }));
  });
});

describe('two stores on one file', () => {
  it('never lease the same message, over many interleaved rounds', async () => {
    const file = tempDb();
    const a = await open(file);
    const b = await open(file);
    await a.enqueue('c', batch(0, 600), T0);
    const seen = new Map<string, string>();
    for (let round = 0; round < 100; round++) {
      const [fromA, fromB] = await Promise.all([a.lease('c', 'A', 4, 60_000, T0 + round), b.lease('c', 'B', 3, 60_000, T0 + round)]);
      for (const [owner, got] of [['A', fromA], ['B', fromB]] as const) {
        for (const m of got) {
          expect(seen.get(m.id), `${m.id} leased twice`).toBeUndefined();
          seen.set(m.id, owner);
          expect(await (owner === 'A' ? b : a).complete('c', m.id, owner === 'A' ? 'B' : 'A', {}, T0)).toBe(false);
          expect(await (owner === 'A' ? a : b).complete('c', m.id, owner, {}, T0)).toBe(true);
        }
      }
    }
    expect(seen.size).toBe(600);
    expect((await b.stats('c'))[0]?.counts.done).toBe(600);
  });

  it('in separate processes leasing at once, each message goes to one process only', async () => {
    const file = tempDb();
    const store = await open(file);
    await store.enqueue('c', batch(0, 1500), T0);
    const script = writeScript(`
      const store = await openStore(process.argv[2], { busyTimeoutMs: 20000 });
      const owner = process.argv[3];
      const mine = [];
      // Start together: ready, then wait for the parent's go, so no process drains the queue alone.
      process.stdout.write('ready\\n');
      await new Promise((resolve) => process.stdin.once('data', resolve));
      for (;;) {
        const leased = await store.lease('c', owner, 7, 600000, Date.now());
        if (leased.length === 0) break;
        for (const m of leased) {
          if (!(await store.complete('c', m.id, owner, { vendorId: owner }, Date.now()))) throw new Error('lost ' + m.id);
          mine.push(m.id);
        }
      }
      await store.close();
      console.log(JSON.stringify(mine));
    `);
    const results = await runTogether(script, ['p1', 'p2', 'p3'].map((owner) => [file, owner]));
    const all = results.flatMap((r) => JSON.parse(r.stdout) as string[]);
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(all).toHaveLength(1500);
    expect(new Set(all).size).toBe(1500);
    // Each process really took part (or the test proved nothing about racing).
    expect(results.filter((r) => (JSON.parse(r.stdout) as string[]).length > 0).length).toBeGreaterThan(1);
    const done = await store.list('c', { state: 'done' });
    expect(done).toHaveLength(1500);
    expect(done.every((m) => m.attempts === 1)).toBe(true);
  });
});

describe('several processes creating one new store at once', () => {
  it('all open it, none fails, and the schema is made once', async () => {
    const file = tempDb();
    const script = writeScript(`
      process.stdout.write('ready\\n');
      await new Promise((resolve) => process.stdin.once('data', resolve));
      const store = await openStore(process.argv[2], { busyTimeoutMs: 20000 });
      const result = await store.enqueue('c', [{ id: process.argv[3], payload: 1, idempotencyKey: 'k' }], Date.now());
      await store.close();
      console.log(JSON.stringify(result));
    `);
    const results = await runTogether(script, ['a', 'b', 'c', 'd'].map((id) => [file, id]));
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const store = await open(file);
    expect((await store.list('c')).map((m) => m.id).sort()).toEqual(['a', 'b', 'c', 'd']);
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT version FROM recon_schema_version').all()).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
    raw.close();
  });
});

describe('a process killed with SIGKILL', () => {
  it('loses nothing it reported done, and leaves a sound file and chain (3 kills in a row)', async () => {
    const file = tempDb();
    const script = writeScript(`
      const store = await openStore(process.argv[2]);
      const start = Number(process.argv[3]);
      for (let i = start; ; i++) {
        const ids = Array.from({ length: 50 }, (_, j) => ({ id: i + '-' + j, payload: { i, j, pad: 'x'.repeat(200) }, idempotencyKey: 'k' + i + '-' + j }));
        await store.enqueue('c', ids, Date.now());
        for (const m of await store.lease('c', 'child', 20, 600000, Date.now())) {
          await store.audit({ at: new Date().toISOString(), connector: 'c', messageId: m.id, attempt: m.attempts, operation: 'op', method: 'POST', url: 'http://x/', requestHeaders: [], durationMs: 1, idempotencyKey: m.idempotencyKey, outcome: 'done' });
          await store.complete('c', m.id, 'child', { vendorId: 'v' + m.id }, Date.now());
        }
        process.stdout.write('done ' + i + '\\n');
      }
    `);
    const reported: number[] = [];
    for (let kill = 0; kill < 3; kill++) {
      const start = kill * 100_000;
      const child = spawnNode(script, [file, String(start)]);
      let out = '';
      await new Promise<void>((resolve) => {
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          // Let it run a random while past its first batches, then kill it mid-whatever.
          if (/done \d+\n/.test(out) && !child.killed) setTimeout(() => child.kill('SIGKILL'), 20 + Math.random() * 150);
        });
        child.on('exit', () => resolve());
      });
      expect(child.signalCode).toBe('SIGKILL');
      reported.push(...[...out.matchAll(/done (\d+)\n/g)].map((m) => Number(m[1])));
    }
    expect(reported.length).toBeGreaterThanOrEqual(3);

    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
    const store = await open(file);
    for (const i of reported) {
      for (const j of [0, 49]) expect(await store.get('c', `${i}-${j}`), `batch ${i} was reported done`).toBeDefined();
    }
    // Batches are all or nothing: the one being written at the kill is entirely there or entirely not.
    const counts = (await store.stats('c'))[0]!.counts;
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total % 50).toBe(0);
    expect(await store.verifyAudit()).toMatchObject({ ok: true });
  });
});

describe('a tampered audit log', () => {
  async function logOf(n: number): Promise<string> {
    const file = tempDb();
    const store = await openStore(file);
    for (let i = 1; i <= n; i++) await store.audit(record(i));
    expect(await store.verifyAudit()).toEqual({ ok: true, records: n });
    await store.close();
    return file;
  }
  function tamper(file: string, sql: string, ...params: unknown[]): void {
    const raw = new Database(file);
    raw.prepare(sql).run(...params);
    raw.close();
  }
  async function verify(file: string) {
    return (await open(file)).verifyAudit();
  }

  it('an edited record is named by its seq', async () => {
    const file = await logOf(20);
    tamper(file, `UPDATE recon_audit SET content = replace(content, '"status":201', '"status":200') WHERE seq = 17`);
    expect(await verify(file)).toEqual({ ok: false, records: 20, brokenAt: { seq: 17, reason: 'record 17 was changed (its hash no longer matches its content)' } });
  });

  it('an edited search column (what queries read) is caught too', async () => {
    const file = await logOf(20);
    tamper(file, 'UPDATE recon_audit SET status = 500 WHERE seq = 9');
    expect((await verify(file)).brokenAt).toEqual({ seq: 9, reason: 'record 9 was changed (its status column no longer matches its hashed content)' });
  });

  it('an edit that recomputed the hash still breaks the next link, and names the edited record', async () => {
    const file = await logOf(20);
    const raw = new Database(file);
    const row = raw.prepare('SELECT content, prev_hash FROM recon_audit WHERE seq = 5').get() as { content: string; prev_hash: string };
    const content = canonicalJson({ ...(JSON.parse(row.content) as object), responseBody: 'forged' });
    raw.prepare('UPDATE recon_audit SET content = ?, hash = ? WHERE seq = 5').run(content, auditHash(row.prev_hash, content));
    raw.close();
    expect((await verify(file)).brokenAt).toEqual({ seq: 5, reason: 'record 5 was changed (record 6 recorded a different hash for it)' });
  });

  it.each([
    [9, 'record 9 is missing'],
    [1, 'record 1 is missing'],
    [20, 'record 20 is missing'],
  ])('a deleted record %i is reported missing', async (seq, reason) => {
    const file = await logOf(20);
    tamper(file, 'DELETE FROM recon_audit WHERE seq = ?', seq);
    expect(await verify(file)).toEqual({ ok: false, records: 19, brokenAt: { seq, reason } });
  });

  it('after a prune the chain verifies from the checkpoint, and a deletion after it is still caught', async () => {
    const file = await logOf(20);
    const store = await open(file);
    expect(await store.pruneAudit(new Date(T0 + 10 * 60_000).toISOString())).toBe(9);
    expect(await store.verifyAudit()).toEqual({ ok: true, records: 11 });
    tamper(file, 'DELETE FROM recon_audit WHERE seq = 10');
    expect((await store.verifyAudit()).brokenAt).toEqual({ seq: 10, reason: 'record 10 is missing' });
  });
});

describe('files that are not a usable store', () => {
  it('a garbage file: not a recon store (exit 3), left as it was', async () => {
    const file = join(tempDir(), 'recon.db');
    writeFileSync(file, 'this is not a database, it is a shopping list\n'.repeat(100));
    const before = readFileSync(file);
    await expect(openStore(file)).rejects.toMatchObject({ code: 'RECON_STORE_NOT_A_STORE', exitCode: 3, message: expect.stringContaining(file) });
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it("someone else's SQLite database: refused and untouched", async () => {
    const file = tempDb();
    const raw = new Database(file);
    raw.exec("CREATE TABLE customers (id INTEGER); INSERT INTO customers VALUES (1)");
    raw.close();
    await expect(openStore(file)).rejects.toMatchObject({ code: 'RECON_STORE_NOT_A_STORE', exitCode: 3, message: expect.stringContaining('not a recon store') });
    const again = new Database(file);
    expect(again.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([{ name: 'customers' }]);
    again.close();
  });

  it('a store written by a newer recon: refused, saying so', async () => {
    const file = tempDb();
    await (await openStore(file)).close();
    const raw = new Database(file);
    raw.prepare("INSERT INTO recon_schema_version VALUES (99, 'from the future', '2030-01-01')").run();
    raw.close();
    await expect(openStore(file)).rejects.toMatchObject({ code: 'RECON_STORE_TOO_NEW', exitCode: 3, message: expect.stringMatching(/version 99.*newer recon/) });
  });

  it('reopening a current store changes nothing and keeps its data', async () => {
    const file = tempDb();
    const first = await openStore(file);
    await first.enqueue('c', batch(0, 3), T0);
    await first.close();
    const second = await open(file);
    expect((await second.stats('c'))[0]?.counts.queued).toBe(3);
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT version FROM recon_schema_version').all()).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
    raw.close();
  });

  it('a directory where the file should be: cannot be opened (exit 3)', async () => {
    await expect(openStore(tempDir())).rejects.toMatchObject({ code: 'RECON_STORE_UNWRITABLE', exitCode: 3 });
  });

  it('a path whose directory cannot be made: unwritable (exit 3)', async () => {
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, '');
    await expect(openStore(join(blocker, 'recon.db'))).rejects.toMatchObject({ code: 'RECON_STORE_UNWRITABLE', exitCode: 3 });
  });
});

describe('upgrading an older store', () => {
  /** A store file as recon wrote it at schema `version`, with one message and one state entry. */
  function storeAtVersion(file: string, version: number): void {
    const raw = new Database(file);
    raw.pragma('journal_mode = WAL');
    raw.exec('CREATE TABLE recon_schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)');
    raw.pragma(`application_id = ${RECON_APPLICATION_ID}`);
    for (const migration of MIGRATIONS.filter((m) => m.version <= version)) {
      raw.exec(migration.sql);
      raw.prepare('INSERT INTO recon_schema_version VALUES (?, ?, ?)').run(migration.version, migration.description, '2026-01-01T00:00:00.000Z');
    }
    raw.prepare("INSERT INTO recon_messages (connector, id, payload, state, not_before, enqueued_at, updated_at, idempotency_key) VALUES ('c', 'M1', '{}', 'queued', 1, 1, 1, 'k')").run();
    if (version >= 2) raw.prepare("INSERT INTO recon_state VALUES ('pull:c', '{\"page\":2}', 1)").run();
    raw.close();
  }

  it.each([1, 2])('a version %i store moves to the latest schema, keeps its data and gains workers', async (version) => {
    const file = tempDb();
    storeAtVersion(file, version);
    const store = await open(file);
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT version FROM recon_schema_version ORDER BY version').all()).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    raw.close();
    expect(LATEST_SCHEMA_VERSION).toBe(3);
    expect((await store.get('c', 'M1'))?.state).toBe('queued');
    if (version >= 2) expect(await store.getState('pull:c')).toEqual({ page: 2 });
    await store.lease('c', 'w1', 1, 60_000, Date.now());
    await store.heartbeat({ owner: 'w1', connector: 'c', host: 'h', pid: 1, startedAt: 1, state: 'running', inFlight: 1, mode: 'worker' }, 60_000, Date.now());
    expect(await store.workers()).toMatchObject([{ owner: 'w1', leases: 1 }]);
  });
});

describe('file modes', () => {
  const mode = (path: string) => statSync(path).mode & 0o777;

  it('a store recon creates is private: its directories 0700, the file and its -wal and -shm 0600', async () => {
    const base = tempDir();
    const file = join(base, 'project', '.recon', 'recon.db');
    const store = await open(file);
    await store.enqueue('c', batch(0, 1), T0);
    expect(mode(join(base, 'project'))).toBe(0o700);
    expect(mode(join(base, 'project', '.recon'))).toBe(0o700);
    for (const path of [file, `${file}-wal`, `${file}-shm`]) {
      expect(existsSync(path), path).toBe(true);
      expect(mode(path), path).toBe(0o600);
    }
  });

  it('a directory or file that already exists keeps its mode', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const file = join(dir, 'recon.db');
    await (await openStore(file)).close();
    chmodSync(file, 0o640);
    await (await open(file)).close();
    expect(mode(dir)).toBe(0o755);
    expect(mode(file)).toBe(0o640);
  });
});

describe('locks and a full disk', () => {
  const holdLock = (file: string, ms: number) =>
    spawnNode(
      `import Database from ${JSON.stringify(join(ROOT, 'node_modules', 'better-sqlite3', 'lib', 'index.js'))};
       const db = new Database(process.argv[2]);
       db.exec('BEGIN IMMEDIATE');
       console.log('locked');
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.argv[3]));
       db.exec('COMMIT');`,
      [file, String(ms)],
    );
  const whenLocked = (child: ChildProcess) => new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', () => resolve())));

  it('waits for a lock another process holds briefly, instead of failing', async () => {
    const file = tempDb();
    const store = await open(file, { busyTimeoutMs: 10_000 });
    const child = holdLock(file, 400);
    await whenLocked(child);
    const started = Date.now();
    expect(await store.enqueue('c', batch(0, 1), T0)).toEqual({ added: 1, duplicates: 0 });
    expect(Date.now() - started).toBeGreaterThan(200);
    await exited(child);
  });

  it('a lock held too long: RECON_STORE_LOCKED (exit 3) naming the file, and the batch is not half-written', async () => {
    const file = tempDb();
    const store = await open(file, { busyTimeoutMs: 150 });
    const child = holdLock(file, 1500);
    await whenLocked(child);
    await expect(store.enqueue('c', batch(0, 10), T0)).rejects.toMatchObject({ code: 'RECON_STORE_LOCKED', exitCode: 3, message: expect.stringContaining(file) });
    await expect(openStore(file, { busyTimeoutMs: 150 })).rejects.toMatchObject({ code: 'RECON_STORE_LOCKED' });
    await exited(child);
    expect(await store.list('c')).toEqual([]);
  });

  it('disk full: exit 3 "nothing accepted was lost" — every accepted batch is there, the failed one is not', async () => {
    const store = await open(tempDb());
    const db = connectionOf(store);
    // A real SQLITE_FULL: cap the file a few pages above its size.
    db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 20}`);
    let accepted = 0;
    let error: unknown;
    for (let i = 0; i < 100 && error === undefined; i++) {
      const messages = batch(i * 10, 10).map((m) => ({ ...m, payload: 'x'.repeat(2000) }));
      await store.enqueue('c', messages, T0).then(() => (accepted += 10), (e: unknown) => (error = e));
    }
    expect(error).toMatchObject({ code: 'RECON_STORE_DISK_FULL', exitCode: 3, message: expect.stringContaining('disk full: nothing accepted was lost') });
    expect(accepted).toBeGreaterThan(0);
    expect((await store.list('c')).map((m) => m.id)).toEqual(Array.from({ length: accepted }, (_, i) => `M${i}`));
    db.pragma('max_page_count = 1073741823');
    expect(await store.enqueue('c', batch(accepted, 10), T0)).toEqual({ added: 10, duplicates: 0 });
  });

  it('a disk that reports ENOSPC as an I/O error is a full disk too', () => {
    const error = storeErrorFrom(Object.assign(new Error('disk I/O error: ENOSPC'), { code: 'SQLITE_IOERR_WRITE' }), '/x/recon.db', 5000);
    expect(error).toMatchObject({ code: 'RECON_STORE_DISK_FULL', exitCode: 3 });
    const bug = new TypeError('not ours');
    expect(storeErrorFrom(bug, '/x', 5000)).toBe(bug);
  });

  it('SqliteStore.open is the same store without the location parsing', async () => {
    const store = SqliteStore.open(tempDb());
    stores.push(store);
    expect(await store.enqueue('c', batch(0, 2), T0)).toEqual({ added: 2, duplicates: 0 });
  });
});

/** A child script that imports the built store (`npx tsc` first; `npm test` builds). */
function writeScript(body: string): string {
  if (!existsSync(DIST_STORE)) throw new Error(`${DIST_STORE} is missing: run \`npx tsc -p tsconfig.json\` first`);
  return `import { openStore } from ${JSON.stringify(DIST_STORE)};\n${body}`;
}

function spawnNode(source: string, args: string[], stdin: 'ignore' | 'pipe' = 'ignore'): ChildProcess {
  const file = join(tempDir(), 'child.mjs');
  writeFileSync(file, source);
  return spawn(process.execPath, [file, ...args], { stdio: [stdin, 'pipe', 'inherit'] });
}

/** Start one child per argument list; once every one has printed "ready", tell them all to go. */
async function runTogether(source: string, argLists: string[][]): Promise<{ code: number | null; stdout: string }[]> {
  const children = argLists.map((args) => {
    const child = spawnNode(source, args, 'pipe');
    let stdout = '';
    const ready = new Promise<void>((resolve) =>
      child.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.startsWith('ready\n')) resolve();
      }),
    );
    const closed = new Promise<{ code: number | null; stdout: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout: stdout.slice('ready\n'.length) })));
    return { child, ready, closed };
  });
  await Promise.all(children.map((c) => c.ready));
  for (const { child } of children) child.stdin!.end('go\n');
  return Promise.all(children.map((c) => c.closed));
}
