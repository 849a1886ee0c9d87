/**
 * The PostgreSQL store: the contract suite (caller time) on a fresh schema per test, then what
 * only PostgreSQL shows — workers migrating at once, older and newer schemas, a worker whose
 * clock is a minute off, replies lost after a commit, a server restart in the middle of work,
 * tampering seen through the extra columns, and the tables as a dashboard reads them.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  auditHash,
  canonicalJson,
  migratePg,
  openStore,
  parsePgLocation,
  PostgresStore,
  storeSchemaStatus,
  type AuditRecord,
  type Store,
} from '../src/runtime/store/index.js';
import { closedPort, sharedPg, withSchema } from './helpers/pg.js';
import { startPrivateCluster, type PrivateCluster } from './helpers/pg-cluster.js';
import { storeContract } from './helpers/store-contract.js';

const db = await sharedPg();
afterAll(() => db.dropSchemas());

const C = 'push-invoices';
const opened: Store[] = [];
async function open(location: string, options: Parameters<typeof openStore>[1] = {}): Promise<Store> {
  const store = await openStore(location, options);
  opened.push(store);
  return store;
}
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

function record(i: number, overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    at: new Date(Date.parse('2026-01-01T00:00:00Z') + i * 1000).toISOString(),
    connector: C,
    messageId: `INV-${i}`,
    attempt: 1,
    operation: 'createInvoice',
    method: 'POST',
    url: `http://127.0.0.1:1/invoices/${i}`,
    requestHeaders: [['idempotency-key', `k${i}`]],
    status: 201,
    durationMs: 3 + (i % 7),
    idempotencyKey: `k${i}`,
    outcome: 'done',
    ...overrides,
  };
}
const messages = (n: number, from = 1) => Array.from({ length: n }, (_, i) => ({ id: `INV-${from + i}`, payload: { n: from + i }, idempotencyKey: `k${from + i}` }));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!db.available)(`PostgreSQL store ${db.skipReason}`, () => {
  storeContract('PostgreSQL', () => openStore(db.freshLocation(), { time: 'caller' }), {
    reopen: (store) => openStore(withSchema(db.url, (store as PostgresStore).location.schema), { time: 'caller' }),
  });

  describe('migrations', () => {
    it('8 workers opening a new schema at once: all succeed, one set of tables, each migration recorded once', async () => {
      const location = db.freshLocation();
      const stores = await Promise.all(Array.from({ length: 8 }, () => open(location)));
      expect(stores.every((s) => s.engine === 'postgres')).toBe(true);
      const schema = db.schemaOf(location);
      const tables = await db.sql<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema]);
      expect(tables.map((t) => t.table_name)).toEqual(['recon_audit', 'recon_audit_chain', 'recon_messages', 'recon_schema_version', 'recon_state', 'recon_workers']);
      expect(await db.sql(`SELECT version FROM "${schema}".recon_schema_version ORDER BY version`)).toEqual([{ version: 1 }, { version: 2 }]);
      expect(await db.sql(`SELECT count(*)::int AS n FROM "${schema}".recon_audit_chain`)).toEqual([{ n: 1 }]);
    });

    it('an older schema is migrated forward on open; status and the dry run read it without changing it', async () => {
      const location = db.freshLocation();
      const where = parsePgLocation(location);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query('BEGIN');
      expect(await migratePg(client, where, 1)).toEqual({ from: 0, to: 1 });
      await client.query('COMMIT');
      await client.end();
      const before = await storeSchemaStatus(location);
      expect(before).toMatchObject({ engine: 'postgres', schema: where.schema, current: 1, latest: 2, pending: [{ version: 2, description: 'workers and their heartbeats' }] });
      expect(before.sql).toContain(`CREATE TABLE "${where.schema}".recon_workers`);
      expect(before.sql).not.toContain('recon_messages (');
      expect((await storeSchemaStatus(location)).current).toBe(1);
      await open(location);
      expect(await storeSchemaStatus(location)).toMatchObject({ current: 2, pending: [], sql: '' });
    });

    it('a new schema: the dry run gives the whole script and creates nothing', async () => {
      const location = db.freshLocation();
      const status = await storeSchemaStatus(location);
      expect(status).toMatchObject({ current: 0, latest: 2 });
      expect(status.sql).toMatch(/^BEGIN;\nSELECT pg_advisory_xact_lock/);
      expect(status.sql).toMatch(/COMMIT;$/);
      expect(await db.sql('SELECT 1 FROM pg_namespace WHERE nspname = $1', [db.schemaOf(location)])).toEqual([]);
    });

    it('a schema written by a newer recon is refused (exit 3), naming both versions', async () => {
      const location = db.freshLocation();
      await (await openStore(location)).close();
      await db.sql(`INSERT INTO "${db.schemaOf(location)}".recon_schema_version (version, description) VALUES (7, 'from the future')`);
      const error = await openStore(location).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'RECON_STORE_TOO_NEW', exitCode: 3 });
      expect((error as Error).message).toMatch(/version 7.*up to 2/);
    });

    it.each([
      ['a schema name that is not a plain identifier', `${db.url}?schema=x";drop`, 'RECON_STORE_BAD_INPUT'],
      ['a schema name too long', `${db.url}?schema=${'s'.repeat(64)}`, 'RECON_STORE_BAD_INPUT'],
    ])('%s is refused (exit 2)', async (_, location, code) => {
      await expect(openStore(location)).rejects.toMatchObject({ code, exitCode: 2 });
    });
  });

  describe('connection errors (exit 3, no password shown)', () => {
    it('a missing database: RECON_STORE_NO_DATABASE with the createdb to run', async () => {
      const url = new URL(db.url);
      url.password = 'pa55word';
      url.pathname = '/recon_no_such_database';
      const error = (await openStore(url.toString()).catch((e: unknown) => e)) as Error & { hint?: string };
      expect(error).toMatchObject({ code: 'RECON_STORE_NO_DATABASE', exitCode: 3 });
      expect(error.hint).toContain('createdb');
      expect(`${error.message} ${error.hint}`).not.toContain('pa55word');
    });

    it('nothing listening: RECON_STORE_UNREACHABLE after waiting openWaitMs', async () => {
      const port = await closedPort();
      const started = Date.now();
      const error = await openStore(`postgres://u:pa55word@127.0.0.1:${port}/x`, { openWaitMs: 400 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'RECON_STORE_UNREACHABLE', exitCode: 3, location: `postgres://u:***@127.0.0.1:${port}/x` });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(String((error as Error).message)).not.toContain('pa55word');
    });
  });

  describe('time', () => {
    it('database time: a worker whose clock is a minute ahead cannot take a lease before it really ran out', async () => {
      const location = db.freshLocation();
      const a = await open(location);
      const b = await open(location);
      const ahead = () => Date.now() + 60_000;
      await a.enqueue(C, messages(1), Date.now());
      const [leased] = await a.lease(C, 'worker-a', 1, 800, Date.now());
      expect(Math.abs(leased!.leaseUntil! - (Date.now() + 800))).toBeLessThan(300);
      // By B's clock A's lease ran out 59 s ago; by the database's it has not.
      expect(await b.lease(C, 'worker-b', 1, 800, ahead())).toEqual([]);
      // B's heartbeat: its leaseUntil comes back in its own frame, its age by the database's clock.
      const beat = await b.heartbeat({ owner: 'worker-b', connector: C, host: 'b', pid: 2, startedAt: ahead(), state: 'running', inFlight: 0, mode: 'worker' }, 800, ahead());
      expect(Math.abs(beat.leaseUntil - (ahead() + 800))).toBeLessThan(300);
      const [info] = await a.workers(C);
      expect(info).toMatchObject({ owner: 'worker-b' });
      expect(info!.heartbeatAgeMs).toBeLessThan(1_000);
      expect(Math.abs(info!.lastHeartbeat - Date.now())).toBeLessThan(1_000);
      await sleep(900);
      const [taken] = await b.lease(C, 'worker-b', 1, 800, ahead());
      expect(taken).toMatchObject({ id: 'INV-1', leaseOwner: 'worker-b', attempts: 2 });
      expect(Math.abs(taken!.leaseUntil! - (ahead() + 800))).toBeLessThan(300);
      expect(await a.complete(C, 'INV-1', 'worker-a', {}, Date.now())).toBe(false);
    });

    it('database time: a worker a minute behind holds a lease no longer than asked, and its retry delay is relative', async () => {
      const location = db.freshLocation();
      const slow = await open(location);
      const right = await open(location);
      const behind = () => Date.now() - 60_000;
      await right.enqueue(C, messages(2), Date.now());
      await slow.lease(C, 'slow', 1, 600, behind());
      expect(await right.lease(C, 'right', 1, 600, Date.now())).toMatchObject([{ id: 'INV-2' }]);
      // "Not before 300 ms from my now" from the slow worker is 300 ms from the database's now.
      expect(await right.retry(C, 'INV-2', 'right', Date.now() + 300, 'http-503', Date.now())).toBe(true);
      await sleep(700);
      const taken = await right.lease(C, 'right', 10, 600, Date.now());
      expect(taken.map((m) => m.id).sort()).toEqual(['INV-1', 'INV-2']);
    });

    it('database time: transactState hands update the database clock, not the caller`s', async () => {
      const store = await open(db.freshLocation());
      const seen = await store.transactState('throttle:x', (_, now) => ({ value: now, result: now }), Date.now() + 3_600_000);
      expect(Math.abs(seen - Date.now())).toBeLessThan(1_000);
      const entries = await store.listState('throttle:');
      expect(entries[0]!.updatedAt).toBe(seen);
    });
  });

  describe('lost replies: retrying never doubles', () => {
    let proxy: DropProxy;
    beforeAll(async () => {
      const target = new URL(db.url);
      proxy = await startDropProxy(target.hostname, Number(target.port || 5432));
    });
    afterAll(() => proxy.close());

    it('an audit append whose COMMIT reply is lost is retried, finds itself, and appends once', async () => {
      const target = new URL(withSchema(db.url, db.schemaOf(db.freshLocation())));
      target.host = `127.0.0.1:${proxy.port}`;
      const store = await open(target.toString(), { time: 'caller' });
      proxy.dropReplyTo(/COMMIT/);
      const first = await store.audit(record(1));
      expect(proxy.dropped).toBe(1);
      expect(first).toMatchObject({ seq: 1, prevHash: '' });
      const second = await store.audit(record(2));
      expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
      expect((await store.queryAudit({})).map((r) => r.seq)).toEqual([1, 2]);
      expect(await store.verifyAudit()).toEqual({ ok: true, records: 2 });

      proxy.dropReplyTo(/INSERT INTO .*recon_messages/s);
      const enqueued = await store.enqueue(C, messages(3), 1000);
      expect(enqueued.added + enqueued.duplicates).toBe(3);
      expect(await store.list(C)).toHaveLength(3);
      await store.lease(C, 'w', 3, 60_000, 1000);
      proxy.dropReplyTo(/state = 'done'/);
      // Applied by the first try; the retry finds the message no longer leased: false, and done.
      expect(await store.complete(C, 'INV-1', 'w', { vendorId: 'v1' }, 1001)).toBe(false);
      expect(await store.get(C, 'INV-1')).toMatchObject({ state: 'done', vendorId: 'v1' });
      expect(proxy.dropped).toBe(3);
    });
  });

  describe('the audit log in SQL', () => {
    it('verifies page by page: a long log, an edit at a page boundary, an edited column only PostgreSQL has', async () => {
      const location = db.freshLocation();
      const store = await open(location);
      const schema = db.schemaOf(location);
      const n = 12_001;
      const rows = { seq: [] as number[], at: [] as string[], content: [] as string[], prev: [] as string[], hash: [] as string[], url: [] as string[], duration: [] as number[] };
      let prev = '';
      for (let i = 1; i <= n; i++) {
        const r = record(i);
        const content = canonicalJson(r);
        const hash = auditHash(prev, content);
        rows.seq.push(i); rows.at.push(r.at); rows.content.push(content); rows.prev.push(prev); rows.hash.push(hash); rows.url.push(r.url); rows.duration.push(r.durationMs);
        prev = hash;
      }
      await db.sql(
        `INSERT INTO "${schema}".recon_audit (seq, at, connector, message_id, attempt, operation, method, url, status, outcome, duration_ms, idempotency_key, content, prev_hash, hash, append_id)
         SELECT s, a::timestamptz, '${C}', 'INV-' || s, 1, 'createInvoice', 'POST', u, 201, 'done', d, 'k' || s, c, p, h, gen_random_uuid()
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[]) AS x (s, a, c, p, h, u, d)`,
        [rows.seq, rows.at, rows.content, rows.prev, rows.hash, rows.url, rows.duration],
      );
      await db.sql(`UPDATE "${schema}".recon_audit_chain SET head_seq = $1, head_hash = $2`, [n, prev]);
      expect(await store.verifyAudit()).toEqual({ ok: true, records: n });
      expect(await store.audit(record(n + 1))).toMatchObject({ seq: n + 1, prevHash: prev });

      // Plain SQL can check the chain too: the hash is sha256 over prev_hash || content.
      expect(await db.sql(`SELECT count(*)::int AS bad FROM "${schema}".recon_audit WHERE encode(sha256(convert_to(prev_hash || content, 'UTF8')), 'hex') <> hash`)).toEqual([{ bad: 0 }]);

      await db.sql(`UPDATE "${schema}".recon_audit SET url = 'http://elsewhere/' WHERE seq = 7000`);
      expect(await store.verifyAudit()).toMatchObject({ ok: false, brokenAt: { seq: 7000, reason: 'record 7000 was changed (its url column no longer matches its hashed content)' } });
      await db.sql(`UPDATE "${schema}".recon_audit SET url = $1 WHERE seq = 7000`, [record(7000).url]);

      // Record 5000 ends the first page: edited with its hash recomputed, the next record's link shows it.
      const edited = canonicalJson(record(5000, { status: 200 }));
      await db.sql(`UPDATE "${schema}".recon_audit SET content = $1, status = 200, hash = $2 WHERE seq = 5000`, [edited, auditHash(rows.prev[4999]!, edited)]);
      expect(await store.verifyAudit()).toMatchObject({ ok: false, brokenAt: { seq: 5000, reason: 'record 5000 was changed (record 5001 recorded a different hash for it)' } });
    });

    it('concurrent appends share transactions; one the database refuses fails alone (exit 2), the rest form one chain', async () => {
      const store = await open(db.freshLocation());
      const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => store.audit(record(i, i === 7 ? { url: 'http://x/\u0000' } : {}))));
      const refused = results.filter((r) => r.status === 'rejected');
      expect(refused).toHaveLength(1);
      expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'RECON_STORE_BAD_INPUT', exitCode: 2 });
      const seqs = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.seq] : []));
      expect(seqs.sort((a, b) => a! - b!)).toEqual(Array.from({ length: 29 }, (_, i) => i + 1));
      expect(await store.verifyAudit()).toEqual({ ok: true, records: 29 });
    });

    it('the README dashboard queries run and answer', async () => {
      const location = db.freshLocation();
      const store = await open(location);
      const now = Date.now();
      for (let i = 0; i < 20; i++) {
        await store.audit(record(i, { at: new Date(now - i * 1000).toISOString(), status: i % 4 === 0 ? 503 : 201, durationMs: i, operation: i % 2 === 0 ? 'createInvoice' : 'findInvoice' }));
      }
      await store.audit(record(99, { at: new Date(now).toISOString(), status: undefined, errorClass: 'ECONNRESET', outcome: 'retry' }));
      await store.enqueue(C, messages(3), now);
      await store.lease(C, 'w', 3, 60_000, now);
      await store.fail(C, 'INV-1', 'w', 'dead', 'http-422: amount must be positive', now);
      await store.fail(C, 'INV-2', 'w', 'dead', 'http-422: amount must be positive', now);
      const schema = `"${db.schemaOf(location)}"`;
      const perMinute = await db.sql<{ minute: Date; status: string; calls: number }>(DASHBOARD.callsPerMinute.replaceAll('recon.', `${schema}.`));
      expect(perMinute.reduce((sum, r) => sum + Number(r.calls), 0)).toBe(21);
      expect(new Set(perMinute.map((r) => r.status))).toEqual(new Set(['201', '503', 'ECONNRESET']));
      const p95 = await db.sql<{ operation: string; p95_ms: number }>(DASHBOARD.p95ByOperation.replaceAll('recon.', `${schema}.`));
      expect(p95.map((r) => r.operation).sort()).toEqual(['createInvoice', 'findInvoice']);
      expect(p95.every((r) => r.p95_ms > 10)).toBe(true);
      const dead = await db.sql<{ connector: string; reason: string; messages: string }>(DASHBOARD.deadByReason.replaceAll('recon.', `${schema}.`));
      expect(dead.map((r) => [r.connector, r.reason, Number(r.messages)])).toEqual([[C, 'http-422: amount must be positive', 2]]);
    });
  });

  describe('a PostgreSQL restart in the middle of work', () => {
    let cluster: PrivateCluster;
    beforeAll(async () => {
      cluster = await startPrivateCluster();
    }, 30_000);
    afterAll(() => cluster?.stop());

    it('operations in flight wait and complete: every message done once, one audit record each, the chain intact', async () => {
      const location = withSchema(cluster.url, 'recon');
      const store = await open(location, { unavailableMs: 20_000 });
      const n = 300;
      await store.enqueue(C, messages(n), Date.now());
      let done = 0;
      let slowest = 0;
      const timed = async <T>(work: () => Promise<T>): Promise<T> => {
        const started = Date.now();
        try {
          return await work();
        } finally {
          slowest = Math.max(slowest, Date.now() - started);
        }
      };
      let restarted: Promise<void> | undefined;
      const worker = async (owner: string) => {
        for (;;) {
          // 5 s: longer than any wait for the server here, shorter than the test — a lease whose
          // reply was lost in the restart comes back in time.
          const leased = await timed(() => store.lease(C, owner, 5, 5_000, Date.now()));
          if (leased.length === 0) {
            const { counts } = (await store.stats(C))[0]!;
            if (counts.queued === 0 && (restarted === undefined || counts.leased === 0)) return;
            await sleep(100);
            continue;
          }
          for (const m of leased) {
            await timed(() => store.audit(record(Number(m.id.slice(4)), { messageId: m.id, attempt: m.attempts, at: new Date().toISOString() })));
            const completed = await timed(() => store.complete(C, m.id, owner, { vendorId: `v-${m.id}` }, Date.now()));
            if (!completed) expect((await store.get(C, m.id))?.state).toBe('done');
            done += 1;
            // Restart once, while the other workers are mid-call.
            if (done === 60) restarted = cluster.restart(800);
          }
        }
      };
      // Enqueueing more while the server goes down is one more operation in flight.
      const late = (async () => {
        while (restarted === undefined) await sleep(5);
        return store.enqueue(C, messages(20, n + 1), Date.now());
      })();
      await Promise.all([worker('w1'), worker('w2'), worker('w3'), worker('w4')]);
      expect(await late).toEqual({ added: 20, duplicates: 0 });
      await restarted;
      await Promise.all([worker('w5'), worker('w6')]);
      expect(slowest).toBeGreaterThan(500); // something did wait for the server
      const stats = (await store.stats(C))[0]!;
      expect(stats.counts).toEqual({ queued: 0, leased: 0, done: n + 20, dead: 0, parked: 0 });
      const audit = await store.queryAudit({ connector: C });
      expect(audit).toHaveLength(n + 20);
      expect(new Set(audit.map((r) => r.messageId)).size).toBe(n + 20);
      expect(await store.verifyAudit()).toEqual({ ok: true, records: n + 20 });
    }, 40_000);

    it('a server down longer than unavailableMs: RECON_STORE_UNREACHABLE (exit 3), no password; the same store works again once it is back', async () => {
      const store = await open(withSchema(cluster.url, 'recon_down'), { unavailableMs: 700 });
      await store.enqueue(C, messages(1, 9000), Date.now());
      await cluster.kill();
      const started = Date.now();
      const error = await store.stats(C).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'RECON_STORE_UNREACHABLE', exitCode: 3, location: expect.stringContaining(`127.0.0.1:${cluster.port}`) });
      expect((error as Error).message).toMatch(/stayed unavailable/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(Date.now() - started).toBeLessThan(3_000);
      await cluster.start();
      expect(await store.get(C, 'INV-9000')).toMatchObject({ state: 'queued' });
    }, 20_000);
  });
});

/** The example queries of the README's "The PostgreSQL tables" section, verbatim. */
const DASHBOARD = {
  callsPerMinute: `
SELECT date_trunc('minute', at) AS minute,
       coalesce(status::text, error_class) AS status,
       count(*) AS calls
FROM recon.recon_audit
WHERE at >= now() - interval '1 hour'
GROUP BY 1, 2
ORDER BY 1, 2;`,
  p95ByOperation: `
SELECT connector, operation, count(*) AS calls,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95_ms
FROM recon.recon_audit
WHERE at >= now() - interval '1 day' AND status IS NOT NULL
GROUP BY connector, operation
ORDER BY p95_ms DESC;`,
  deadByReason: `
SELECT connector, reason, count(*) AS messages,
       to_timestamp(max(updated_at) / 1000.0) AS last_change
FROM recon.recon_messages
WHERE state = 'dead'
GROUP BY connector, reason
ORDER BY messages DESC;`,
};

interface DropProxy {
  port: number;
  /** The reply to the next client message matching `pattern` never reaches the client: the connection drops instead. */
  dropReplyTo(pattern: RegExp): void;
  readonly dropped: number;
  close(): Promise<void>;
}

/** A TCP proxy to PostgreSQL that can lose the reply to one statement after the server ran it. */
async function startDropProxy(host: string, port: number): Promise<DropProxy> {
  let pending: RegExp | undefined;
  let dropped = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(port, host);
    sockets.add(client).add(upstream);
    let armed = false;
    client.on('data', (chunk) => {
      if (pending !== undefined && pending.test(chunk.toString('latin1'))) {
        armed = true;
        pending = undefined;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!armed) return void client.write(chunk);
      dropped += 1;
      client.destroy();
      upstream.destroy();
    });
    for (const socket of [client, upstream]) {
      socket.on('error', () => {});
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    dropReplyTo: (pattern) => void (pending = pattern),
    get dropped() {
      return dropped;
    },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
