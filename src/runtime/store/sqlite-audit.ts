/**
 * The audit log on SQLite: append-only, hash-chained (audit-hash.ts). The searchable fields are
 * copied into indexed columns; `content` holds the canonical JSON the hash covers, and is what
 * queries return, so a record reads back exactly as it was hashed. Verification checks both.
 */
import type Database from 'better-sqlite3';
import { auditContent, auditHash, canonicalJson } from './audit-hash.js';
import { parseAuditTime } from './audit-time.js';
import { StoreInputError } from './errors.js';
import { immediateTransactions, type Transact } from './sqlite-transaction.js';
import type { AuditQuery, AuditRecord, AuditVerification } from './types.js';
import { verifyChain, type AuditRow, type ChainRow } from './verify-chain.js';

/**
 * @example
 * const log = new SqliteAuditLog(db);
 * log.append({ at: '2026-01-01T10:00:00Z', connector: 'push-invoices', messageId: 'INV-1', … }); // { seq: 1, prevHash: '', hash: '9f…', … }
 * log.verify(); // { ok: true, records: 1 }
 */
export class SqliteAuditLog {
  private readonly chain: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly moveHead: Database.Statement;
  private readonly write: Transact;

  constructor(private readonly db: Database.Database) {
    this.write = immediateTransactions(db);
    this.chain = db.prepare('SELECT * FROM recon_audit_chain WHERE singleton = 1');
    this.insert = db.prepare(`
      INSERT INTO recon_audit (seq, at, at_ms, connector, message_id, operation, status, content, prev_hash, hash)
      VALUES (@seq, @at, @atMs, @connector, @messageId, @operation, @status, @content, @prevHash, @hash)`);
    this.moveHead = db.prepare('UPDATE recon_audit_chain SET head_seq = ?, head_hash = ? WHERE singleton = 1');
  }

  append(record: AuditRecord): AuditRecord {
    for (const field of ['connector', 'messageId', 'operation'] as const) {
      if (typeof record[field] !== 'string') throw new StoreInputError('RECON_STORE_BAD_INPUT', `audit record: ${field} must be a string`);
    }
    const atMs = parseAuditTime(String(record.at), 'audit record at');
    const content = auditContent(record);
    const contentJson = canonicalJson(content);
    // IMMEDIATE: reading the head and writing after it must be one step, or two writers fork the chain.
    return this.write((): AuditRecord => {
      const head = this.chain.get() as ChainRow;
      const seq = head.head_seq + 1;
      const hash = auditHash(head.head_hash, contentJson);
      this.insert.run({ seq, at: record.at, atMs, connector: record.connector, messageId: record.messageId, operation: record.operation, status: record.status ?? null, content: contentJson, prevHash: head.head_hash, hash });
      this.moveHead.run(seq, hash);
      return { ...(JSON.parse(contentJson) as AuditRecord), seq, prevHash: head.head_hash, hash };
    });
  }

  query(query: AuditQuery): AuditRecord[] {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    const add = (clause: string, name: string, value: unknown): void => {
      where.push(clause);
      params[name] = value;
    };
    if (query.connector !== undefined) add('connector = @connector', 'connector', query.connector);
    if (query.messageId !== undefined) add('message_id = @messageId', 'messageId', query.messageId);
    if (query.operation !== undefined) add('operation = @operation', 'operation', query.operation);
    if (query.status !== undefined) add('status = @status', 'status', query.status);
    if (query.since !== undefined) add('at_ms >= @since', 'since', parseAuditTime(query.since, 'since'));
    if (query.until !== undefined) add('at_ms < @until', 'until', parseAuditTime(query.until, 'until'));
    let sql = `SELECT * FROM recon_audit${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`;
    if (query.limit !== undefined) {
      if (!Number.isInteger(query.limit) || query.limit < 0) throw new StoreInputError('RECON_STORE_BAD_INPUT', `limit must be a whole number ≥ 0, not ${query.limit}`);
      params.limit = query.limit;
      sql += ' LIMIT @limit';
    }
    const rows = this.db.prepare(sql).all(params) as AuditRow[];
    return rows.map((row) => ({ ...(JSON.parse(row.content) as AuditRecord), seq: row.seq, prevHash: row.prev_hash, hash: row.hash }));
  }

  /** One read transaction: a consistent snapshot even while other processes append. */
  verify(): AuditVerification {
    return this.db.transaction((): AuditVerification => {
      const chain = this.chain.get() as ChainRow;
      const { n } = this.db.prepare('SELECT COUNT(*) AS n FROM recon_audit').get() as { n: number };
      const rows = this.db.prepare('SELECT * FROM recon_audit ORDER BY seq').iterate() as IterableIterator<AuditRow>;
      const brokenAt = verifyChain(chain, rows);
      return brokenAt === undefined ? { ok: true, records: n } : { ok: false, records: n, brokenAt };
    })();
  }

  /**
   * Deletes the oldest run of records dated before `before` — stopping at the first one that is
   * not, so the chain stays one unbroken run — and records the last one deleted as the checkpoint
   * verification starts from.
   */
  prune(before: string): number {
    const beforeMs = parseAuditTime(before, 'before');
    return this.write((): number => {
      const chain = this.chain.get() as ChainRow;
      const firstKept = this.db.prepare('SELECT MIN(seq) AS seq FROM recon_audit WHERE at_ms >= ?').get(beforeMs) as { seq: number | null };
      const lastDeleted = (firstKept.seq ?? chain.head_seq + 1) - 1;
      if (lastDeleted <= chain.checkpoint_seq) return 0;
      const last = this.db.prepare('SELECT hash FROM recon_audit WHERE seq = ?').get(lastDeleted) as { hash: string } | undefined;
      // A record missing here is a broken chain: prune nothing and leave verify to say so.
      if (last === undefined) return 0;
      const { changes } = this.db.prepare('DELETE FROM recon_audit WHERE seq <= ?').run(lastDeleted);
      this.db.prepare('UPDATE recon_audit_chain SET checkpoint_seq = ?, checkpoint_hash = ? WHERE singleton = 1').run(lastDeleted, last.hash);
      return changes;
    });
  }
}
