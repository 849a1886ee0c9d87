/**
 * The audit log on PostgreSQL: the same hash chain as SQLite (audit-hash.ts computes it, in
 * Node, for both), with every field a dashboard filters or groups by in a real column
 * (`at timestamptz`, `status`, `duration_ms`…) and the hashed canonical JSON in `content`.
 *
 * Appends from any number of workers are serialised by locking the one chain-head row
 * (`SELECT … FOR UPDATE`) inside the append's transaction: read the head, insert after it, move
 * it. That makes appends one at a time across the whole database, each waiting for a commit
 * (an fsync): so a process gathers the appends its concurrent calls make while one transaction
 * is in flight and writes them together in the next — one lock, one commit, many records.
 * Each append carries a random `append_id` (unique): when the reply to a COMMIT is lost and the
 * store tries again, the retry finds its own records and returns them instead of appending twice.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { auditContent, auditHash, canonicalJson } from './audit-hash.js';
import { parseAuditTime } from './audit-time.js';
import { StoreInputError, StoreUnavailableError } from './errors.js';
import type { PgRunner } from './pg-connection.js';
import type { AuditQuery, AuditRecord, AuditVerification } from './types.js';
import { verifyChain, type AuditRow, type ChainRow } from './verify-chain.js';

/** Rows read per round trip while verifying: memory stays flat however long the log. */
const VERIFY_PAGE = 5_000;
/** At most this many appends share one transaction. */
const APPEND_BATCH = 200;

type Content = ReturnType<typeof auditContent>;

/** An append waiting for its turn, prepared (validated, serialised) before it waits. */
interface PendingAppend {
  appendId: string;
  atIso: string;
  record: AuditRecord;
  content: Content;
  contentJson: string;
  resolve(written: AuditRecord): void;
  reject(error: unknown): void;
}

/** verifyChain's row less `at` (timestamptz keeps the instant, read as at_ms), plus the columns only PostgreSQL has. */
interface PgAuditRow extends Omit<AuditRow, 'at'> {
  attempt: number | null;
  method: string | null;
  url: string | null;
  outcome: string | null;
  error_class: string | null;
  duration_ms: number | null;
  idempotency_key: string | null;
}

/**
 * @example
 * const log = new PgAuditLog(runner, '"recon"');
 * await log.append({ at: '2026-01-01T10:00:00Z', connector: 'push-invoices', messageId: 'INV-1', … }); // { seq: 1, prevHash: '', hash: '9f…', … }
 * await log.verify(); // { ok: true, records: 1 }
 */
export class PgAuditLog {
  private readonly audit: string;
  private readonly chain: string;
  private readonly pending: PendingAppend[] = [];
  private flushing = false;

  constructor(
    private readonly runner: PgRunner,
    schema: string,
  ) {
    this.audit = `${schema}.recon_audit`;
    this.chain = `${schema}.recon_audit_chain`;
  }

  append(record: AuditRecord): Promise<AuditRecord> {
    for (const field of ['connector', 'messageId', 'operation'] as const) {
      if (typeof record[field] !== 'string') return Promise.reject(new StoreInputError('RECON_STORE_BAD_INPUT', `audit record: ${field} must be a string`));
    }
    if (record.status !== undefined && record.status !== null && !(Number.isInteger(record.status) && record.status >= 0 && record.status <= 999)) {
      return Promise.reject(new StoreInputError('RECON_STORE_BAD_INPUT', `audit record: status must be an HTTP status code, not ${String(record.status)}`));
    }
    let atMs: number;
    try {
      atMs = parseAuditTime(String(record.at), 'audit record at');
    } catch (error) {
      return Promise.reject(error);
    }
    const contentJson = canonicalJson(auditContent(record));
    return new Promise((resolve, reject) => {
      this.pending.push({ appendId: randomUUID(), atIso: new Date(atMs).toISOString(), record, content: JSON.parse(contentJson) as Content, contentJson, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /** Writes what waits, a batch per transaction, until nothing does. */
  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, APPEND_BATCH);
        try {
          const written = await this.appendBatch(batch);
          batch.forEach((entry, i) => entry.resolve(written[i]!));
        } catch (error) {
          if (batch.length === 1 || error instanceof StoreUnavailableError) {
            for (const entry of batch) entry.reject(error);
            continue;
          }
          // One record the database refuses (a NUL in a URL) must not fail the others with it.
          for (const entry of batch) {
            try {
              entry.resolve((await this.appendBatch([entry]))[0]!);
            } catch (single) {
              entry.reject(single);
            }
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private appendBatch(batch: PendingAppend[]): Promise<AuditRecord[]> {
    return this.runner.transaction(async (client, attempt): Promise<AuditRecord[]> => {
      const { rows } = await client.query<ChainRow>(`SELECT head_seq, head_hash FROM ${this.chain} WHERE singleton = 1 FOR UPDATE`);
      let { head_seq: seq, head_hash: prevHash } = rows[0]!;
      const earlier = new Map<string, { seq: number; prev_hash: string; hash: string }>();
      if (attempt > 1) {
        // The first try may have committed with its reply lost: then its records are here, and done.
        const found = await client.query<{ append_id: string; seq: number; prev_hash: string; hash: string }>(
          `SELECT append_id::text, seq, prev_hash, hash FROM ${this.audit} WHERE append_id = ANY($1::uuid[])`,
          [batch.map((entry) => entry.appendId)],
        );
        for (const row of found.rows) earlier.set(row.append_id, row);
      }
      const columns = { seq: [] as number[], at: [] as string[], connector: [] as string[], messageId: [] as string[], attempt: [] as (number | null)[], operation: [] as string[],
        method: [] as (string | null)[], url: [] as (string | null)[], status: [] as (number | null)[], outcome: [] as (string | null)[], errorClass: [] as (string | null)[],
        durationMs: [] as (number | null)[], idempotencyKey: [] as (string | null)[], content: [] as string[], prevHash: [] as string[], hash: [] as string[], appendId: [] as string[] };
      const written = batch.map((entry): AuditRecord => {
        const done = earlier.get(entry.appendId);
        if (done !== undefined) return { ...(entry.content as AuditRecord), seq: done.seq, prevHash: done.prev_hash, hash: done.hash };
        seq += 1;
        const hash = auditHash(prevHash, entry.contentJson);
        const extra = auditColumns(entry.content);
        columns.seq.push(seq); columns.at.push(entry.atIso); columns.connector.push(entry.record.connector); columns.messageId.push(entry.record.messageId);
        columns.attempt.push(extra.attempt); columns.operation.push(entry.record.operation); columns.method.push(extra.method); columns.url.push(extra.url);
        columns.status.push(entry.record.status ?? null); columns.outcome.push(extra.outcome); columns.errorClass.push(extra.errorClass); columns.durationMs.push(extra.durationMs);
        columns.idempotencyKey.push(extra.idempotencyKey); columns.content.push(entry.contentJson); columns.prevHash.push(prevHash); columns.hash.push(hash); columns.appendId.push(entry.appendId);
        const record: AuditRecord = { ...(entry.content as AuditRecord), seq, prevHash, hash };
        prevHash = hash;
        return record;
      });
      if (columns.seq.length === 0) return written;
      await client.query(
        `WITH appended AS (
           INSERT INTO ${this.audit} (seq, at, connector, message_id, attempt, operation, method, url, status, outcome, error_class, duration_ms, idempotency_key, content, prev_hash, hash, append_id)
           SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::integer[], $6::text[], $7::text[], $8::text[], $9::integer[], $10::text[],
             $11::text[], $12::float8[], $13::text[], $14::text[], $15::text[], $16::text[], $17::uuid[])
           RETURNING seq)
         UPDATE ${this.chain} SET head_seq = $18, head_hash = $19 WHERE singleton = 1 AND (SELECT count(*) FROM appended) = $20`,
        [columns.seq, columns.at, columns.connector, columns.messageId, columns.attempt, columns.operation, columns.method, columns.url, columns.status, columns.outcome,
          columns.errorClass, columns.durationMs, columns.idempotencyKey, columns.content, columns.prevHash, columns.hash, columns.appendId, seq, prevHash, columns.seq.length],
      );
      return written;
    });
  }

  async query(query: AuditQuery): Promise<AuditRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (p: string) => string, value: unknown): void => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (query.connector !== undefined) add((p) => `connector = ${p}`, query.connector);
    if (query.messageId !== undefined) add((p) => `message_id = ${p}`, query.messageId);
    if (query.operation !== undefined) add((p) => `operation = ${p}`, query.operation);
    if (query.status !== undefined) add((p) => `status = ${p}`, query.status);
    if (query.since !== undefined) add((p) => `at >= ${p}::timestamptz`, new Date(parseAuditTime(query.since, 'since')).toISOString());
    if (query.until !== undefined) add((p) => `at < ${p}::timestamptz`, new Date(parseAuditTime(query.until, 'until')).toISOString());
    let sql = `SELECT seq, content, prev_hash, hash FROM ${this.audit}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`;
    if (query.limit !== undefined) {
      if (!Number.isInteger(query.limit) || query.limit < 0) throw new StoreInputError('RECON_STORE_BAD_INPUT', `limit must be a whole number ≥ 0, not ${query.limit}`);
      params.push(query.limit);
      sql += ` LIMIT $${params.length}`;
    }
    const { rows } = await this.runner.query<{ seq: number; content: string; prev_hash: string; hash: string }>(sql, params);
    return rows.map((row) => ({ ...(JSON.parse(row.content) as AuditRecord), seq: row.seq, prevHash: row.prev_hash, hash: row.hash }));
  }

  /**
   * One REPEATABLE READ snapshot, read a page at a time. Each page is walked by verifyChain from
   * where the last one ended; only the last page is held against the real chain head. Beyond
   * verifyChain's checks, the columns only PostgreSQL has (method, url, duration_ms…) must
   * still match the hashed content: dashboards read them.
   */
  async verify(): Promise<AuditVerification> {
    return this.runner.transaction(async (client) => {
      const chain = (await client.query<ChainRow>(`SELECT head_seq, head_hash, checkpoint_seq, checkpoint_hash FROM ${this.chain} WHERE singleton = 1`)).rows[0]!;
      const { rows: counted } = await client.query<{ n: number }>(`SELECT count(*) AS n FROM ${this.audit}`);
      const records = counted[0]!.n;
      let from = { seq: chain.checkpoint_seq, hash: chain.checkpoint_hash };
      let after = -1;
      let page = await this.page(client, after);
      for (;;) {
        const next = page.length === VERIFY_PAGE ? await this.page(client, page.at(-1)!.seq) : [];
        const isLast = next.length === 0;
        const head = isLast ? chain : { ...chain, head_seq: page.at(-1)!.seq, head_hash: page.at(-1)!.hash };
        const broken = firstBreak({ ...head, checkpoint_seq: from.seq, checkpoint_hash: from.hash }, page, after >= 0);
        if (broken !== undefined) return { ok: false, records, brokenAt: broken };
        if (isLast) return { ok: true, records };
        from = { seq: page.at(-1)!.seq, hash: page.at(-1)!.hash };
        after = from.seq;
        page = next;
      }
    }, { begin: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' });
  }

  /**
   * Deletes the oldest run of records dated before `before` — stopping at the first one that is
   * not, so the chain stays one unbroken run — and records the last one deleted as the checkpoint
   * verification starts from. Holds the chain-head lock: no append interleaves.
   */
  async prune(before: string): Promise<number> {
    const beforeIso = new Date(parseAuditTime(before, 'before')).toISOString();
    return this.runner.transaction(async (client) => {
      const chain = (await client.query<ChainRow>(`SELECT head_seq, head_hash, checkpoint_seq, checkpoint_hash FROM ${this.chain} WHERE singleton = 1 FOR UPDATE`)).rows[0]!;
      const firstKept = (await client.query<{ seq: number | null }>(`SELECT min(seq) AS seq FROM ${this.audit} WHERE at >= $1::timestamptz`, [beforeIso])).rows[0]!;
      const lastDeleted = (firstKept.seq ?? chain.head_seq + 1) - 1;
      if (lastDeleted <= chain.checkpoint_seq) return 0;
      const last = (await client.query<{ hash: string }>(`SELECT hash FROM ${this.audit} WHERE seq = $1`, [lastDeleted])).rows[0];
      // A record missing here is a broken chain: prune nothing and leave verify to say so.
      if (last === undefined) return 0;
      const deleted = await client.query(`DELETE FROM ${this.audit} WHERE seq <= $1`, [lastDeleted]);
      await client.query(`UPDATE ${this.chain} SET checkpoint_seq = $1, checkpoint_hash = $2 WHERE singleton = 1`, [lastDeleted, last.hash]);
      return deleted.rowCount ?? 0;
    });
  }

  private async page(client: pg.PoolClient, afterSeq: number): Promise<PgAuditRow[]> {
    const { rows } = await client.query<PgAuditRow>(
      `SELECT seq, (extract(epoch FROM at) * 1000)::bigint AS at_ms, connector, message_id, operation, status, content, prev_hash, hash,
         attempt, method, url, outcome, error_class, duration_ms, idempotency_key
       FROM ${this.audit} WHERE seq > $1 ORDER BY seq LIMIT ${VERIFY_PAGE}`,
      [afterSeq],
    );
    return rows;
  }
}

/**
 * The columns a record's content fills, beyond those verifyChain checks: what the insert writes
 * and what verification expects to find. A value of the wrong type is kept in content only.
 */
function auditColumns(content: Partial<Content>) {
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    attempt: Number.isInteger(content.attempt) && Math.abs(content.attempt!) <= 2_147_483_647 ? content.attempt! : null,
    method: text(content.method),
    url: text(content.url),
    outcome: text(content.outcome),
    errorClass: text(content.errorClass),
    durationMs: typeof content.durationMs === 'number' && Number.isFinite(content.durationMs) ? content.durationMs : null,
    idempotencyKey: text(content.idempotencyKey),
  };
}

const EXTRA_COLUMNS = [
  ['attempt', 'attempt'],
  ['method', 'method'],
  ['url', 'url'],
  ['outcome', 'outcome'],
  ['errorClass', 'error_class'],
  ['durationMs', 'duration_ms'],
  ['idempotencyKey', 'idempotency_key'],
] as const;

/**
 * verifyChain's verdict on one page, or an earlier record whose extra column was edited. On a
 * page after the first, the page's start is not a prune checkpoint: a bad link there is worded
 * as the edit it is.
 */
function firstBreak(chain: ChainRow, rows: PgAuditRow[], continuing: boolean): AuditVerification['brokenAt'] {
  let broken = verifyChain(chain, rows.map(asAuditRow));
  if (broken !== undefined && continuing && /does not continue from the prune checkpoint/.test(broken.reason)) {
    broken = { seq: broken.seq - 1, reason: `record ${broken.seq - 1} was changed (record ${broken.seq} recorded a different hash for it)` };
  }
  for (const row of rows) {
    if (broken !== undefined && row.seq >= broken.seq) break;
    const column = extraColumnMismatch(row);
    if (column !== undefined) return { seq: row.seq, reason: `record ${row.seq} was changed (its ${column} column no longer matches its hashed content)` };
  }
  return broken;
}

function extraColumnMismatch(row: PgAuditRow): string | undefined {
  let content: Partial<Content>;
  try {
    content = JSON.parse(row.content) as Partial<Content>;
  } catch {
    return undefined; // verifyChain reports unreadable content
  }
  const expected = auditColumns(content);
  for (const [field, column] of EXTRA_COLUMNS) if (expected[field] !== row[column]) return column;
  return undefined;
}

/** The shape verifyChain reads: `at` is checked through at_ms (timestamptz keeps the instant, not the spelling). */
function asAuditRow(row: PgAuditRow): AuditRow {
  let at = '';
  try {
    const parsed = JSON.parse(row.content) as { at?: unknown };
    if (typeof parsed.at === 'string') at = parsed.at;
  } catch {
    // verifyChain reports it as changed content
  }
  return { ...row, at };
}
