/**
 * The contract every Store must pass (src/runtime/store/types.ts), whatever engine is behind it.
 * SQLite runs it in test/runtime-store.test.ts, PostgreSQL in test/runtime-store-pg.test.ts.
 *
 * `open` must return a new, empty store each time it is called (no messages, no audit records,
 * no state, no workers); `more.reopen(store)` another Store instance on the same database (a
 * second process or machine). Each test closes the stores it opened. Times are explicit numbers,
 * never the wall clock — except where the contract measures with the store's clock (a worker's
 * heartbeat age, which workers are stale): there the test beats at `Date.now()`. A store that
 * can take time from its database runs this suite with the caller's clock (`now` as given).
 *
 * @example
 * storeContract('SQLite', async () => openStore(join(mkdtempSync(join(tmpdir(), 'store-')), 'recon.db')), {
 *   reopen: (store) => openStore((store as SqliteStore).file),
 * });
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditRecord, QueuedMessage, Store, WorkerBeat } from '../../src/runtime/store/types.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const C = 'push-invoices';

/** n messages `INV-<from>…`, payload an invoice-like object. */
function invoices(n: number, from = 1): { id: string; payload: unknown; idempotencyKey: string }[] {
  return Array.from({ length: n }, (_, i) => {
    const id = `INV-${String(from + i).padStart(4, '0')}`;
    return { id, payload: { invoiceNumber: id, amount: from + i, lines: [{ sku: 'A', qty: 1 }] }, idempotencyKey: `${C}:${id}` };
  });
}

function record(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    at: '2026-01-01T10:00:00.000Z',
    connector: C,
    messageId: 'INV-0001',
    attempt: 1,
    operation: 'createInvoice',
    method: 'POST',
    url: 'http://127.0.0.1:1/invoices',
    requestHeaders: [['content-type', 'application/json'], ['idempotency-key', 'k1']],
    requestBody: '{"amount":1}',
    status: 201,
    responseHeaders: [['content-type', 'application/json']],
    responseBody: '{"id":"v-1"}',
    durationMs: 12.5,
    idempotencyKey: 'k1',
    outcome: 'done',
    ...overrides,
  };
}

/** An independent implementation of the documented hash, so every store computes the same one. */
function expectedHash(prevHash: string, r: AuditRecord): string {
  const { seq: _s, prevHash: _p, hash: _h, ...content } = r;
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v;
  return createHash('sha256').update(prevHash + JSON.stringify(sort(content))).digest('hex');
}

const ids = (messages: QueuedMessage[]) => messages.map((m) => m.id);

function beat(overrides: Partial<WorkerBeat> = {}): WorkerBeat {
  return { owner: 'host-a:100:x1', connector: C, host: 'host-a', pid: 100, startedAt: T0, state: 'running', inFlight: 0, mode: 'worker', ...overrides };
}

export interface StoreContractOptions {
  /** Another Store instance on the same database as `store` (as a second process would open it). */
  reopen(store: Store): Promise<Store>;
}

export function storeContract(name: string, open: () => Promise<Store>, more: StoreContractOptions): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    const opened: Store[] = [];
    const fresh = async () => {
      store = await open();
      opened.push(store);
      return store;
    };
    const twin = async (s: Store) => {
      const other = await more.reopen(s);
      opened.push(other);
      return other;
    };
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });

    describe('enqueue', () => {
      it('adds new messages and counts the ones it already has, within a batch and across batches', async () => {
        const s = await fresh();
        const batch = invoices(3);
        expect(await s.enqueue(C, [...batch, batch[0]!], T0)).toEqual({ added: 3, duplicates: 1 });
        expect(await s.enqueue(C, invoices(4), T0 + 1)).toEqual({ added: 1, duplicates: 3 });
        expect(await s.enqueue(C, [], T0 + 2)).toEqual({ added: 0, duplicates: 0 });
      });

      it('leaves a known message as it was: feeding the same input twice changes nothing', async () => {
        const s = await fresh();
        await s.enqueue(C, invoices(1), T0);
        const [leased] = await s.lease(C, 'w1', 1, 1000, T0);
        await s.complete(C, leased!.id, 'w1', { vendorId: 'v-1' }, T0 + 5);
        await s.enqueue(C, [{ id: 'INV-0001', payload: { changed: true }, idempotencyKey: 'other' }], T0 + 10);
        expect(await s.get(C, 'INV-0001')).toMatchObject({ state: 'done', vendorId: 'v-1', payload: { invoiceNumber: 'INV-0001' }, idempotencyKey: `${C}:INV-0001` });
      });

      it('stores a new message as queued, due now, with its payload as given', async () => {
        const s = await fresh();
        const payload = { name: 'Ærlig Østerås AS', nested: { list: [1, 'two', null, { three: 3.5 }] }, empty: {} };
        await s.enqueue(C, [{ id: 'a/b c', payload, idempotencyKey: 'key-1' }, { id: 'null', payload: null, idempotencyKey: 'key-2' }], T0);
        expect(await s.get(C, 'a/b c')).toEqual({
          connector: C,
          id: 'a/b c',
          payload,
          state: 'queued',
          attempts: 0,
          notBefore: T0,
          enqueuedAt: T0,
          updatedAt: T0,
          idempotencyKey: 'key-1',
          outcomeUnknown: false,
        });
        expect((await s.get(C, 'null'))?.payload).toBeNull();
      });

      it('is all or nothing: a batch with one payload that cannot be stored adds none of it', async () => {
        const s = await fresh();
        const bad = [...invoices(3), { id: 'BIG', payload: { n: 10n }, idempotencyKey: 'k' }];
        await expect(s.enqueue(C, bad, T0)).rejects.toMatchObject({ exitCode: 2 });
        expect(await s.list(C)).toEqual([]);
      });

      it('refuses a message without an id (exit 2), adding nothing', async () => {
        const s = await fresh();
        await expect(s.enqueue(C, [...invoices(1), { id: '', payload: 1, idempotencyKey: 'k' }], T0)).rejects.toMatchObject({ code: 'RECON_STORE_BAD_INPUT', exitCode: 2 });
        expect(await s.list(C)).toEqual([]);
      });

      it('keeps connectors apart: the same id in two connectors is two messages', async () => {
        const s = await fresh();
        await s.enqueue(C, invoices(1), T0);
        expect(await s.enqueue('other', invoices(1), T0)).toEqual({ added: 1, duplicates: 0 });
        expect(ids(await s.lease('other', 'w', 10, 1000, T0))).toEqual(['INV-0001']);
        expect((await s.get(C, 'INV-0001'))?.state).toBe('queued');
      });
    });

    describe('lease', () => {
      it('hands out up to max due messages, oldest first, to one owner, counting the attempt', async () => {
        const s = await fresh();
        await s.enqueue(C, invoices(3, 4), T0 + 10);
        await s.enqueue(C, invoices(3, 1), T0);
        const leased = await s.lease(C, 'w1', 4, 30_000, T0 + 20);
        expect(ids(leased)).toEqual(['INV-0001', 'INV-0002', 'INV-0003', 'INV-0004']);
        for (const m of leased) expect(m).toMatchObject({ state: 'leased', leaseOwner: 'w1', leaseUntil: T0 + 20 + 30_000, attempts: 1, updatedAt: T0 + 20 });
        expect(await s.get(C, 'INV-0001')).toMatchObject({ state: 'leased', leaseOwner: 'w1', attempts: 1 });
        expect(ids(await s.lease(C, 'w2', 10, 30_000, T0 + 21))).toEqual(['INV-0005', 'INV-0006']);
        expect(await s.lease(C, 'w3', 10, 30_000, T0 + 22)).toEqual([]);
      });

      it('gives nothing for max 0, and only messages of the connector asked for', async () => {
        const s = await fresh();
        await s.enqueue(C, invoices(2), T0);
        await s.enqueue('other', invoices(2), T0);
        expect(await s.lease(C, 'w', 0, 1000, T0)).toEqual([]);
        expect((await s.lease(C, 'w', 10, 1000, T0)).every((m) => m.connector === C)).toBe(true);
        expect((await s.stats('other'))[0]?.counts.queued).toBe(2);
      });

      it('takes a lease back when it runs out (its holder died) and hands it to the next owner', async () => {
        const s = await fresh();
        await s.enqueue(C, invoices(1), T0);
        await s.lease(C, 'dead-worker', 1, 1000, T0);
        expect(await s.lease(C, 'w2', 1, 1000, T0 + 999)).toEqual([]);
        const [again] = await s.lease(C, 'w2', 1, 1000, T0 + 1000);
        expect(again).toMatchObject({ id: 'INV-0001', leaseOwner: 'w2', attempts: 2, leaseUntil: T0 + 2000 });
        // The old holder lost it: nothing it says counts any more.
        expect(await s.complete(C, 'INV-0001', 'dead-worker', { vendorId: 'x' }, T0 + 1001)).toBe(false);
        expect(await s.retry(C, 'INV-0001', 'dead-worker', T0, 'late', T0 + 1001)).toBe(false);
        expect(await s.fail(C, 'INV-0001', 'dead-worker', 'dead', 'late', T0 + 1001)).toBe(false);
        expect(await s.get(C, 'INV-0001')).toMatchObject({ state: 'leased', leaseOwner: 'w2' });
      });

      it('does not hand out a message before its notBefore', async () => {
        const s = await fresh();
        await s.enqueue(C, invoices(2), T0);
        const [first] = await s.lease(C, 'w', 1, 1000, T0);
        expect(await s.retry(C, first!.id, 'w', T0 + 5000, 'http-503', T0 + 10)).toBe(true);
        expect(ids(await s.lease(C, 'w', 10, 1000, T0 + 4999))).toEqual(['INV-0002']);
        expect(await s.lease(C, 'w', 10, 1000, T0 + 4999)).toEqual([]);
        expect(await s.lease(C, 'w', 10, 1000, T0 + 5000)).toMatchObject([{ id: 'INV-0001', attempts: 2 }]);
      });

      it('never hands one message to two callers leasing at the same moment', async () => {
        const s = await fresh();
        await s.enqueue(C, invoices(200), T0);
        const batches = await Promise.all(Array.from({ length: 8 }, (_, i) => s.lease(C, `w${i}`, 30, 60_000, T0)));
        const all = batches.flatMap(ids);
        expect(all).toHaveLength(200);
        expect(new Set(all).size).toBe(200);
      });
    });

    describe('finishing an attempt', () => {
      it('complete: done with the vendor id, the lease gone; only the holder, only once', async () => {
        const s = await fresh();
        await s.enqueue(C, invoices(1), T0);
        await s.lease(C, 'w1', 1, 1000, T0);
        expect(await s.complete(C, 'INV-0001', 'intruder', {}, T0 + 1)).toBe(false);
        expect(await s.complete(C, 'INV-0001', 'w1', { vendorId: 'v-42' }, T0 + 2)).toBe(true);
        const done = await s.get(C, 'INV-0001');
        expect(done).toMatchObject({ state: 'done', vendorId: 'v-42', attempts: 1, updatedAt: T0 + 2 });
        expect(done?.leaseOwner).toBeUndefined();
        expect(done?.leaseUntil).toBeUndefined();
        expect(await s.complete(C, 'INV-0001', 'w1', { vendorId: 'v-43' }, T0 + 3)).toBe(false);
        expect(await s.complete(C, 'nope', 'w1', {}, T0 + 3)).toBe(false);
        expect(await s.lease(C, 'w2', 10, 1000, T0 + 1_000_000)).toEqual([]);
      });

      it('retry: queued again with the reason, attempts kept, the lease gone', async () => {
        const s = await fresh();
        await s.enqueue(C, invoices(1), T0);
        await s.lease(C, 'w1', 1, 1000, T0);
        expect(await s.retry(C, 'INV-0001', 'w2', T0 + 10, 'x', T0 + 1)).toBe(false);
        expect(await s.retry(C, 'INV-0001', 'w1', T0 + 2000, 'http-503: Service Unavailable', T0 + 1)).toBe(true);
        const queued = await s.get(C, 'INV-0001');
        expect(queued).toMatchObject({ state: 'queued', attempts: 1, notBefore: T0 + 2000, reason: 'http-503: Service Unavailable', updatedAt: T0 + 1 });
        expect(queued?.leaseOwner).toBeUndefined();
        expect(await s.retry(C, 'INV-0001', 'w1', T0, 'again', T0 + 2)).toBe(false);
      });

      it.each(['dead', 'parked'] as const)('fail %s: kept with its reason, never leased again by itself', async (state) => {
        const s = await fresh();
        await s.enqueue(C, invoices(1), T0);
        await s.lease(C, 'w1', 1, 1000, T0);
        expect(await s.fail(C, 'INV-0001', 'w2', state, 'x', T0 + 1)).toBe(false);
        expect(await s.fail(C, 'INV-0001', 'w1', state, 'http-422: amount must be positive', T0 + 1)).toBe(true);
        expect(await s.get(C, 'INV-0001')).toMatchObject({ state, reason: 'http-422: amount must be positive', attempts: 1 });
        expect(await s.lease(C, 'w1', 10, 1000, T0 + 10_000_000)).toEqual([]);
      });

      it('markOutcomeUnknown: only the holder sets it; it survives a retry into the next lease; done clears it', async () => {
        const s = await fresh();
        await s.enqueue(C, invoices(1), T0);
        await s.lease(C, 'w1', 1, 1000, T0);
        await s.markOutcomeUnknown(C, 'INV-0001', 'intruder', true);
        expect((await s.get(C, 'INV-0001'))?.outcomeUnknown).toBe(false);
        await s.markOutcomeUnknown(C, 'INV-0001', 'w1', true);
        expect((await s.get(C, 'INV-0001'))?.outcomeUnknown).toBe(true);
        await s.retry(C, 'INV-0001', 'w1', T0 + 10, 'timeout after send', T0 + 1);
        const [next] = await s.lease(C, 'w2', 1, 1000, T0 + 10);
        expect(next).toMatchObject({ outcomeUnknown: true, attempts: 2 });
        await s.markOutcomeUnknown(C, 'INV-0001', 'w2', false);
        expect((await s.get(C, 'INV-0001'))?.outcomeUnknown).toBe(false);
        await s.markOutcomeUnknown(C, 'INV-0001', 'w2', true);
        await s.complete(C, 'INV-0001', 'w2', { vendorId: 'v' }, T0 + 11);
        expect((await s.get(C, 'INV-0001'))?.outcomeUnknown).toBe(false);
      });
    });

    describe('re-driving by hand', () => {
      async function withFinished(s: Store) {
        await s.enqueue(C, invoices(5), T0);
        await s.lease(C, 'w', 4, 1000, T0);
        await s.fail(C, 'INV-0001', 'w', 'dead', 'http-400: bad vat code', T0 + 1);
        await s.fail(C, 'INV-0002', 'w', 'dead', 'http-422', T0 + 1);
        await s.markOutcomeUnknown(C, 'INV-0003', 'w', true);
        await s.fail(C, 'INV-0003', 'w', 'parked', 'unknown outcome, strategy none', T0 + 1);
        await s.complete(C, 'INV-0004', 'w', {}, T0 + 1);
      }

      it('requeue by ids: only dead or parked ones move, back to queued and due now', async () => {
        const s = await fresh();
        await withFinished(s);
        expect(await s.requeue(C, ['INV-0001', 'INV-0004', 'INV-0005', 'NOPE'], T0 + 100)).toBe(1);
        const again = await s.get(C, 'INV-0001');
        expect(again).toMatchObject({ state: 'queued', notBefore: T0 + 100, updatedAt: T0 + 100, attempts: 1 });
        expect(again?.reason).toContain('http-400: bad vat code');
        expect((await s.get(C, 'INV-0004'))?.state).toBe('done');
        expect(ids(await s.lease(C, 'w', 10, 1000, T0 + 100))).toEqual(['INV-0001', 'INV-0005']);
      });

      it('requeue "dead" and "parked": every one of that state; a parked one is a decision made, so its unknown outcome is cleared', async () => {
        const s = await fresh();
        await withFinished(s);
        expect(await s.requeue(C, 'dead', T0 + 100)).toBe(2);
        expect(await s.requeue(C, 'dead', T0 + 100)).toBe(0);
        expect((await s.get(C, 'INV-0003'))?.state).toBe('parked');
        expect(await s.requeue(C, 'parked', T0 + 100)).toBe(1);
        expect(await s.get(C, 'INV-0003')).toMatchObject({ state: 'queued', outcomeUnknown: false });
      });

      it('cancel: a queued message becomes dead "cancelled"; anything else is refused', async () => {
        const s = await fresh();
        await withFinished(s);
        expect(await s.cancel(C, 'INV-0005', T0 + 100)).toBe(true);
        expect(await s.get(C, 'INV-0005')).toMatchObject({ state: 'dead', reason: 'cancelled', updatedAt: T0 + 100 });
        expect(await s.cancel(C, 'INV-0005', T0 + 100)).toBe(false);
        expect(await s.cancel(C, 'INV-0004', T0 + 100)).toBe(false);
        expect(await s.cancel(C, 'INV-0003', T0 + 100)).toBe(false);
        expect(await s.cancel(C, 'NOPE', T0 + 100)).toBe(false);
        await s.enqueue(C, invoices(1, 9), T0);
        await s.lease(C, 'w', 1, 1000, T0 + 200);
        expect(await s.cancel(C, 'INV-0009', T0 + 201)).toBe(false);
      });
    });

    describe('named state', () => {
      it('is undefined until set, then reads back the last value set, per key', async () => {
        const s = await fresh();
        expect(await s.getState('pull:a')).toBeUndefined();
        await s.setState('pull:a', { next: { page: 2 }, skip: 0, records: 25 }, T0);
        await s.setState('pull:b', 'other', T0);
        await s.setState('pull:a', { next: { page: 3 }, skip: 5, records: 55 }, T0 + 1);
        expect(await s.getState('pull:a')).toEqual({ next: { page: 3 }, skip: 5, records: 55 });
        expect(await s.getState('pull:b')).toBe('other');
      });

      it('listState: the entries under a prefix by key, with when each was written; % and _ in a key are plain characters, case counts', async () => {
        const s = await fresh();
        expect(await s.listState('metrics:')).toEqual([]);
        await s.setState('metrics:b', { n: 2 }, T0 + 2);
        await s.setState('metrics:a', { n: 1 }, T0 + 1);
        await s.setState('metricsXa', 'no', T0);
        await s.setState('Metrics:c', 'no', T0);
        await s.setState('metric', 'no', T0);
        await s.setState('50%:x', 1, T0);
        await s.setState('50abc:x', 2, T0);
        await s.setState('a_b:1', 3, T0);
        await s.setState('axb:1', 4, T0);
        expect(await s.listState('metrics:')).toEqual([
          { key: 'metrics:a', value: { n: 1 }, updatedAt: T0 + 1 },
          { key: 'metrics:b', value: { n: 2 }, updatedAt: T0 + 2 },
        ]);
        expect((await s.listState('50%')).map((e) => e.key)).toEqual(['50%:x']);
        expect((await s.listState('a_b')).map((e) => e.key)).toEqual(['a_b:1']);
        expect((await s.listState('')).length).toBe(9);
        expect(await s.listState('nothing-here:')).toEqual([]);
      });

      it('deleteState: gone, and deleting what is not there is no error', async () => {
        const s = await fresh();
        await s.setState('worker:x', { a: 1 }, T0);
        await s.deleteState('worker:x');
        await s.deleteState('worker:x');
        await s.deleteState('never-was');
        expect(await s.getState('worker:x')).toBeUndefined();
        expect(await s.listState('worker:')).toEqual([]);
      });

      it('transactState: update sees the current value and the time, its value is written, its result returned; undefined deletes', async () => {
        const s = await fresh();
        const seen: [unknown, number][] = [];
        const first = await s.transactState('throttle:acme', (current, now) => {
          seen.push([current, now]);
          return { value: { tokens: 4, at: now }, result: 'granted' };
        }, T0 + 5);
        expect(first).toBe('granted');
        expect(seen).toEqual([[undefined, T0 + 5]]);
        expect(await s.listState('throttle:')).toEqual([{ key: 'throttle:acme', value: { tokens: 4, at: T0 + 5 }, updatedAt: T0 + 5 }]);
        const second = await s.transactState('throttle:acme', (current) => ({ value: { ...(current as object), tokens: 3 }, result: current }), T0 + 6);
        expect(second).toEqual({ tokens: 4, at: T0 + 5 });
        expect(await s.getState('throttle:acme')).toEqual({ tokens: 3, at: T0 + 5 });
        expect(await s.transactState('throttle:acme', () => ({ value: undefined, result: 1 }), T0 + 7)).toBe(1);
        expect(await s.getState('throttle:acme')).toBeUndefined();
      });

      it('transactState: when update throws, nothing is written and the error comes back as it was', async () => {
        const s = await fresh();
        await s.setState('k', { n: 1 }, T0);
        const boom = new Error('decided not to');
        await expect(s.transactState('k', () => { throw boom; }, T0 + 1)).rejects.toBe(boom);
        await expect(s.transactState('new-key', () => { throw boom; }, T0 + 1)).rejects.toBe(boom);
        expect(await s.listState('')).toEqual([{ key: 'k', value: { n: 1 }, updatedAt: T0 }]);
        // The store is still usable afterwards (no transaction left open).
        expect(await s.transactState('k', (c) => ({ value: { n: (c as { n: number }).n + 1 }, result: true }), T0 + 2)).toBe(true);
        expect(await s.getState('k')).toEqual({ n: 2 });
      });

      it('transactState: a value that cannot be stored as JSON is refused (exit 2) and nothing is written', async () => {
        const s = await fresh();
        await s.setState('k', 1, T0);
        await expect(s.transactState('k', () => ({ value: { n: 10n }, result: 0 }), T0 + 1)).rejects.toMatchObject({ exitCode: 2 });
        expect(await s.getState('k')).toBe(1);
      });

      it('transactState: 20 increments racing from two store instances on one database end at 20', async () => {
        const a = await fresh();
        const b = await twin(a);
        const increment = (s: Store, i: number) => s.transactState('counter', (current, now) => ({ value: ((current as number | undefined) ?? 0) + 1, result: now }), T0 + i);
        await Promise.all(Array.from({ length: 20 }, (_, i) => increment(i % 2 === 0 ? a : b, i)));
        expect(await a.getState('counter')).toBe(20);
        expect(await b.getState('counter')).toBe(20);
      });
    });

    describe('workers and heartbeats', () => {
      it('heartbeat extends every lease the owner holds on that connector — not other owners', async () => {
        const s = await fresh();
        await s.enqueue(C, invoices(4), T0);
        await s.enqueue('other', invoices(1), T0);
        await s.lease(C, 'host-a:100:x1', 2, 1000, T0);
        await s.lease(C, 'someone-else', 1, 1000, T0);
        await s.lease('other', 'host-a:100:x1', 1, 1000, T0);
        expect(await s.heartbeat(beat(), 5000, T0 + 500)).toEqual({ extended: 2, leaseUntil: T0 + 5500 });
        expect((await s.list(C, { state: 'leased' })).map((m) => [m.id, m.leaseOwner, m.leaseUntil])).toEqual([
          ['INV-0001', 'host-a:100:x1', T0 + 5500],
          ['INV-0002', 'host-a:100:x1', T0 + 5500],
          ['INV-0003', 'someone-else', T0 + 1000],
        ]);
        expect((await s.get('other', 'INV-0001'))?.leaseUntil).toBe(T0 + 1000);
        expect(await s.heartbeat(beat({ owner: 'holds-nothing' }), 5000, T0 + 500)).toEqual({ extended: 0, leaseUntil: T0 + 5500 });
      });

      it('a lease kept alive by heartbeats is not taken by another owner until it runs out', async () => {
        const s = await fresh();
        await s.enqueue(C, invoices(1), T0);
        await s.lease(C, 'host-a:100:x1', 1, 1000, T0);
        await s.heartbeat(beat(), 1000, T0 + 800);
        expect(await s.lease(C, 'w2', 1, 1000, T0 + 1500)).toEqual([]);
        await s.heartbeat(beat(), 1000, T0 + 1600);
        expect(await s.lease(C, 'w2', 1, 1000, T0 + 2599)).toEqual([]);
        // The holder stopped beating: at the end of its last extension the lease is free again.
        expect(await s.lease(C, 'w2', 1, 1000, T0 + 2600)).toMatchObject([{ id: 'INV-0001', leaseOwner: 'w2', attempts: 2 }]);
        expect(await s.complete(C, 'INV-0001', 'host-a:100:x1', {}, T0 + 2601)).toBe(false);
      });

      it('workers: who beat, with their leases, by connector then owner; the latest beat wins', async () => {
        const s = await fresh();
        const now = Date.now();
        await s.enqueue(C, invoices(3), now);
        await s.enqueue('a-first', invoices(1), now);
        await s.lease(C, 'w2', 2, 60_000, now);
        expect(await s.workers()).toEqual([]);
        await s.heartbeat(beat({ owner: 'w2', host: 'h2', pid: 2, inFlight: 1 }), 60_000, now);
        await s.heartbeat(beat({ owner: 'w1', host: 'h1', pid: 1, mode: 'run' }), 60_000, now);
        await s.heartbeat(beat({ owner: 'w3', connector: 'a-first', host: 'h3', pid: 3 }), 60_000, now);
        await s.heartbeat(beat({ owner: 'w2', host: 'h2', pid: 2, inFlight: 2, state: 'stopping' }), 60_000, now + 1);
        const all = await s.workers();
        expect(all.map((w) => [w.connector, w.owner])).toEqual([['a-first', 'w3'], [C, 'w1'], [C, 'w2']]);
        const w2 = all[2]!;
        expect(w2).toMatchObject({ owner: 'w2', connector: C, host: 'h2', pid: 2, startedAt: T0, state: 'stopping', inFlight: 2, mode: 'worker', leases: 2, leaseUntil: now + 1 + 60_000 });
        expect(w2.lastHeartbeat).toBeGreaterThanOrEqual(now - 5_000);
        expect(w2.heartbeatAgeMs).toBeGreaterThanOrEqual(0);
        expect(w2.heartbeatAgeMs).toBeLessThan(60_000);
        expect(all[1]).toMatchObject({ owner: 'w1', mode: 'run', leases: 0 });
        expect(all[1]!.leaseUntil).toBeUndefined();
        expect((await s.workers(C)).map((w) => w.owner)).toEqual(['w1', 'w2']);
        expect(await s.workers('nobody')).toEqual([]);
        // A worker's leases counted are the ones it still holds.
        await s.complete(C, 'INV-0001', 'w2', {}, now + 2);
        expect((await s.workers(C))[1]).toMatchObject({ owner: 'w2', leases: 1 });
      });

      it('workers: one that stopped beating longer ago than staleAfterMs is left out', async () => {
        const s = await fresh();
        const now = Date.now();
        await s.heartbeat(beat({ owner: 'recent' }), 1000, now);
        await s.heartbeat(beat({ owner: 'two-hours-ago' }), 1000, now - 2 * 3_600_000);
        await s.heartbeat(beat({ owner: 'ten-minutes-ago' }), 1000, now - 600_000);
        expect((await s.workers()).map((w) => w.owner)).toEqual(['recent', 'ten-minutes-ago']);
        expect((await s.workers(C, { staleAfterMs: 60_000 })).map((w) => w.owner)).toEqual(['recent']);
        expect((await s.workers(C, { staleAfterMs: 3 * 3_600_000 })).map((w) => w.owner)).toEqual(['recent', 'ten-minutes-ago', 'two-hours-ago']);
        const old = (await s.workers(C, { staleAfterMs: 3 * 3_600_000 }))[2]!;
        expect(old.heartbeatAgeMs).toBeGreaterThanOrEqual(2 * 3_600_000);
      });

      it('removeWorker: gone from workers (its messages untouched); removing an unknown one is no error', async () => {
        const s = await fresh();
        const now = Date.now();
        await s.enqueue(C, invoices(1), now);
        await s.lease(C, 'w1', 1, 60_000, now);
        await s.heartbeat(beat({ owner: 'w1' }), 60_000, now);
        await s.heartbeat(beat({ owner: 'w2' }), 60_000, now);
        await s.removeWorker('w1');
        await s.removeWorker('w1');
        await s.removeWorker('never-was');
        expect((await s.workers()).map((w) => w.owner)).toEqual(['w2']);
        expect(await s.get(C, 'INV-0001')).toMatchObject({ state: 'leased', leaseOwner: 'w1' });
      });

      it('workers are shared: a heartbeat through one instance shows through another', async () => {
        const a = await fresh();
        const b = await twin(a);
        await a.heartbeat(beat({ owner: 'w1' }), 1000, Date.now());
        expect((await b.workers()).map((w) => w.owner)).toEqual(['w1']);
        await b.removeWorker('w1');
        expect(await a.workers()).toEqual([]);
      });
    });

    describe('engine', () => {
      it('names itself', async () => {
        expect(['sqlite', 'postgres']).toContain((await fresh()).engine);
      });
    });

    describe('reading the queue', () => {
      it('get: undefined for an unknown message', async () => {
        const s = await fresh();
        expect(await s.get(C, 'INV-0001')).toBeUndefined();
      });

      it('list: queue order, by state, limited', async () => {
        const s = await fresh();
        await s.enqueue(C, invoices(2, 3), T0 + 5);
        await s.enqueue(C, invoices(2, 1), T0);
        await s.lease(C, 'w', 1, 1000, T0 + 10);
        expect(ids(await s.list(C))).toEqual(['INV-0001', 'INV-0002', 'INV-0003', 'INV-0004']);
        expect(ids(await s.list(C, { state: 'queued' }))).toEqual(['INV-0002', 'INV-0003', 'INV-0004']);
        expect(ids(await s.list(C, { state: 'leased' }))).toEqual(['INV-0001']);
        expect(ids(await s.list(C, { limit: 2 }))).toEqual(['INV-0001', 'INV-0002']);
        expect(await s.list('other')).toEqual([]);
      });

      it('stats: counts per state and the oldest message still pending, per connector', async () => {
        const s = await fresh();
        expect(await s.stats()).toEqual([]);
        expect(await s.stats(C)).toEqual([{ connector: C, counts: { queued: 0, leased: 0, done: 0, dead: 0, parked: 0 } }]);
        await s.enqueue(C, invoices(2), T0);
        await s.enqueue(C, invoices(3, 3), T0 + 50);
        await s.enqueue('b-other', invoices(1), T0 + 7);
        await s.lease(C, 'w', 3, 1000, T0 + 60);
        await s.complete(C, 'INV-0001', 'w', {}, T0 + 61);
        await s.fail(C, 'INV-0002', 'w', 'dead', 'x', T0 + 61);
        await s.fail(C, 'INV-0003', 'w', 'parked', 'x', T0 + 61);
        expect(await s.stats(C)).toEqual([{ connector: C, counts: { queued: 2, leased: 0, done: 1, dead: 1, parked: 1 }, oldestPending: T0 + 50 }]);
        expect((await s.stats()).map((x) => x.connector)).toEqual(['b-other', C]);
        expect((await s.stats())[0]).toEqual({ connector: 'b-other', counts: { queued: 1, leased: 0, done: 0, dead: 0, parked: 0 }, oldestPending: T0 + 7 });
      });
    });

    describe('audit log', () => {
      it('chains records: seq from 1, prevHash the hash before, hash over prevHash + canonical JSON', async () => {
        const s = await fresh();
        const first = await s.audit(record());
        const second = await s.audit(record({ attempt: 2, status: 503, outcome: 'retry', errorClass: 'http-503' }));
        expect(first).toMatchObject({ seq: 1, prevHash: '' });
        expect(first.hash).toBe(expectedHash('', record()));
        expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
        expect(second.hash).toBe(expectedHash(first.hash!, record({ attempt: 2, status: 503, outcome: 'retry', errorClass: 'http-503' })));
        expect(second.hash).toMatch(/^[0-9a-f]{64}$/);
      });

      it('hashes content, not key order', async () => {
        const a = await (await fresh()).audit(record());
        const reversed = Object.fromEntries(Object.entries(record()).reverse()) as unknown as AuditRecord;
        const b = await (await fresh()).audit(reversed);
        expect(b.hash).toBe(a.hash);
      });

      it('ignores a seq, prevHash or hash the caller put on the record', async () => {
        const s = await fresh();
        const written = await s.audit({ ...record(), seq: 99, prevHash: 'forged', hash: 'forged' });
        expect(written).toMatchObject({ seq: 1, prevHash: '' });
        expect(written.hash).toBe(expectedHash('', record()));
      });

      it('reads a record back exactly as it was written', async () => {
        const s = await fresh();
        const minimal: AuditRecord = { at: '2026-01-02T03:04:05.678Z', connector: C, messageId: 'm', attempt: 1, operation: 'op', method: 'GET', url: 'http://x/', requestHeaders: [], durationMs: 0, idempotencyKey: 'k', outcome: 'lookup-missing' };
        const full = record({ requestHeaders: [['b', '2'], ['a', '1'], ['a', '0']], responseBody: '<html>Ærlig</html>' });
        const w1 = await s.audit(minimal);
        const w2 = await s.audit(full);
        expect(await s.queryAudit({})).toEqual([w1, w2]);
        expect(w1).toEqual({ ...minimal, seq: 1, prevHash: '', hash: w1.hash });
        expect(w2).toEqual({ ...full, seq: 2, prevHash: w1.hash, hash: w2.hash });
      });

      it('queries by connector, message, operation, status and time (since inclusive, until exclusive, a bare date is its start), in seq order, limited', async () => {
        const s = await fresh();
        await s.audit(record({ at: '2025-12-31T23:59:59.999Z', messageId: 'A', status: 201 }));
        await s.audit(record({ at: '2026-01-01T00:00:00.000Z', messageId: 'B', status: 503 }));
        await s.audit(record({ at: '2026-01-01T12:00:00Z', messageId: 'A', operation: 'findInvoice', status: 200 }));
        await s.audit(record({ at: '2026-01-02T00:00:00Z', messageId: 'A', connector: 'other', status: 201 }));
        await s.audit(record({ at: '2026-01-02T01:00:00+02:00', messageId: 'C', status: undefined, outcome: 'retry', errorClass: 'ECONNRESET' }));
        const seqs = async (q: Parameters<Store['queryAudit']>[0]) => (await s.queryAudit(q)).map((r) => r.seq);
        expect(await seqs({})).toEqual([1, 2, 3, 4, 5]);
        expect(await seqs({ connector: C })).toEqual([1, 2, 3, 5]);
        expect(await seqs({ messageId: 'A' })).toEqual([1, 3, 4]);
        expect(await seqs({ messageId: 'A', connector: C })).toEqual([1, 3]);
        expect(await seqs({ operation: 'findInvoice' })).toEqual([3]);
        expect(await seqs({ status: 201 })).toEqual([1, 4]);
        expect(await seqs({ since: '2026-01-01' })).toEqual([2, 3, 4, 5]);
        expect(await seqs({ until: '2026-01-01' })).toEqual([1]);
        expect(await seqs({ since: '2026-01-01', until: '2026-01-02' })).toEqual([2, 3, 5]);
        expect(await seqs({ since: '2026-01-01T12:00:00Z' })).toEqual([3, 4, 5]);
        expect(await seqs({ limit: 2 })).toEqual([1, 2]);
        expect(await seqs({ messageId: 'nobody' })).toEqual([]);
      });

      it('refuses a time it cannot read, naming the field (exit 2)', async () => {
        const s = await fresh();
        await expect(s.queryAudit({ since: 'last tuesday' })).rejects.toMatchObject({ code: 'RECON_STORE_BAD_INPUT', exitCode: 2, message: expect.stringContaining('since') });
        await expect(s.pruneAudit('2026-13-45')).rejects.toMatchObject({ exitCode: 2 });
        await expect(s.audit(record({ at: 'yesterday' }))).rejects.toMatchObject({ exitCode: 2 });
        expect(await s.queryAudit({})).toEqual([]);
      });

      it('verifies an empty log and a long one', async () => {
        const s = await fresh();
        expect(await s.verifyAudit()).toEqual({ ok: true, records: 0 });
        for (let i = 1; i <= 40; i++) await s.audit(record({ messageId: `M${i}`, attempt: i }));
        expect(await s.verifyAudit()).toEqual({ ok: true, records: 40 });
      });

      it('keeps one chain when many appends race', async () => {
        const s = await fresh();
        const written = await Promise.all(Array.from({ length: 50 }, (_, i) => s.audit(record({ messageId: `M${i}` }))));
        expect(written.map((r) => r.seq).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
        expect(await s.verifyAudit()).toEqual({ ok: true, records: 50 });
      });

      it('prunes old records and still verifies, before and after more appends', async () => {
        const s = await fresh();
        for (let day = 1; day <= 6; day++) await s.audit(record({ at: `2026-01-0${day}T12:00:00Z`, messageId: `D${day}` }));
        expect(await s.pruneAudit('2026-01-01')).toBe(0);
        expect(await s.pruneAudit('2026-01-04')).toBe(3);
        expect((await s.queryAudit({})).map((r) => r.seq)).toEqual([4, 5, 6]);
        expect(await s.verifyAudit()).toEqual({ ok: true, records: 3 });
        expect(await s.pruneAudit('2026-01-04')).toBe(0);
        const last = (await s.queryAudit({})).at(-1)!;
        const next = await s.audit(record({ at: '2026-01-07T12:00:00Z' }));
        expect(next).toMatchObject({ seq: 7, prevHash: last.hash });
        expect(await s.verifyAudit()).toEqual({ ok: true, records: 4 });
        expect(await s.pruneAudit('2027-01-01')).toBe(4);
        expect(await s.verifyAudit()).toEqual({ ok: true, records: 0 });
        expect(await s.audit(record())).toMatchObject({ seq: 8, prevHash: next.hash });
        expect(await s.verifyAudit()).toEqual({ ok: true, records: 1 });
      });

      it('prunes only the oldest unbroken run: a later record dated earlier waits for the ones before it', async () => {
        const s = await fresh();
        await s.audit(record({ at: '2026-01-01T00:00:00Z' }));
        await s.audit(record({ at: '2026-03-01T00:00:00Z' }));
        await s.audit(record({ at: '2026-01-02T00:00:00Z' })); // another machine's clock
        expect(await s.pruneAudit('2026-02-01')).toBe(1);
        expect((await s.queryAudit({})).map((r) => r.seq)).toEqual([2, 3]);
        expect((await s.verifyAudit()).ok).toBe(true);
      });
    });

    describe('closing', () => {
      it('close is idempotent, and a closed store refuses work (exit 3)', async () => {
        const s = await fresh();
        await s.close();
        await s.close();
        await expect(s.stats()).rejects.toMatchObject({ code: 'RECON_STORE_CLOSED', exitCode: 3 });
      });
    });
  });
}
