/**
 * Walking the audit chain and saying where it breaks, in words a person can act on. Kept apart
 * from SQL so the PostgreSQL store can walk its rows with the same function.
 */
import { auditHash, canonicalJson } from './audit-hash.js';
import { parseAuditTime } from './audit-time.js';
import type { AuditRecord, AuditVerification } from './types.js';

/** A stored audit record: indexed copies of some fields, the hashed content, and the links. */
export interface AuditRow {
  seq: number;
  at: string;
  at_ms: number;
  connector: string;
  message_id: string;
  operation: string;
  status: number | null;
  content: string;
  prev_hash: string;
  hash: string;
}

/** Where the chain starts (the prune checkpoint) and ends (the last record appended). */
export interface ChainRow {
  head_seq: number;
  head_hash: string;
  checkpoint_seq: number;
  checkpoint_hash: string;
}

type Broken = NonNullable<AuditVerification['brokenAt']>;

/**
 * The first break in `rows` (in seq order), or undefined when every link holds.
 *
 * @example
 * verifyChain({ head_seq: 2, head_hash: h2, checkpoint_seq: 0, checkpoint_hash: '' }, [row1, row2]); // undefined
 * verifyChain(chain, [row1, row3]); // { seq: 2, reason: 'record 2 is missing' }
 */
export function verifyChain(chain: ChainRow, rows: Iterable<AuditRow>): Broken | undefined {
  let expectedSeq = chain.checkpoint_seq + 1;
  let prevHash = chain.checkpoint_hash;
  for (const row of rows) {
    if (row.seq < expectedSeq) return { seq: row.seq, reason: `record ${row.seq} was pruned (checkpoint at record ${chain.checkpoint_seq}) but is back in the log` };
    if (row.seq > expectedSeq) return { seq: expectedSeq, reason: row.seq === expectedSeq + 1 ? `record ${expectedSeq} is missing` : `records ${expectedSeq} to ${row.seq - 1} are missing` };
    // The record's own hash first: an edit with the hash left alone shows here, at the edited seq.
    if (auditHash(row.prev_hash, row.content) !== row.hash) return { seq: row.seq, reason: `record ${row.seq} was changed (its hash no longer matches its content)` };
    const mismatch = columnMismatch(row);
    if (mismatch !== undefined) return { seq: row.seq, reason: `record ${row.seq} was changed (its ${mismatch} column no longer matches its hashed content)` };
    // An edit that also recomputed the hash shows one record later, as a broken link.
    if (row.prev_hash !== prevHash) {
      const previous = row.seq - 1;
      return previous === chain.checkpoint_seq && previous > 0
        ? { seq: row.seq, reason: `record ${row.seq} does not continue from the prune checkpoint (record ${previous})` }
        : { seq: Math.max(previous, 1), reason: previous >= 1 ? `record ${previous} was changed (record ${row.seq} recorded a different hash for it)` : `record 1 was changed (it links to a record before it)` };
    }
    prevHash = row.hash;
    expectedSeq += 1;
  }
  const last = expectedSeq - 1;
  if (chain.head_seq > last) return { seq: expectedSeq, reason: chain.head_seq === expectedSeq ? `record ${expectedSeq} is missing` : `records ${expectedSeq} to ${chain.head_seq} are missing` };
  if (chain.head_seq < last) return { seq: chain.head_seq + 1, reason: `record ${chain.head_seq + 1} was added outside recon (the log ended at record ${chain.head_seq})` };
  if (chain.head_seq === last && chain.head_hash !== prevHash && last > chain.checkpoint_seq) return { seq: last, reason: `record ${last} was changed (it is not the record last appended)` };
  return undefined;
}

/** The indexed copy that disagrees with the hashed content, if any: queries read the copies. */
function columnMismatch(row: AuditRow): string | undefined {
  let content: AuditRecord;
  try {
    content = JSON.parse(row.content) as AuditRecord;
  } catch {
    return 'content';
  }
  if (content.at !== row.at) return 'at';
  if (safeTime(content.at) !== row.at_ms) return 'at_ms';
  if (content.connector !== row.connector) return 'connector';
  if (content.messageId !== row.message_id) return 'message_id';
  if (content.operation !== row.operation) return 'operation';
  if ((content.status ?? null) !== row.status) return 'status';
  // Content that is valid JSON but not canonical was rewritten by hand, hash or not.
  if (canonicalJson(content) !== row.content) return 'content';
  return undefined;
}

function safeTime(at: string): number | undefined {
  try {
    return parseAuditTime(at, 'at');
  } catch {
    return undefined;
  }
}
