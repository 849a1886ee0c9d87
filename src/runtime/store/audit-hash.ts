/**
 * The audit log's hash chain. Each record's hash covers the previous record's hash and the
 * record's own content, so editing, inserting or deleting any record breaks every link after
 * it. The content is hashed as canonical JSON (object keys sorted at every depth, `undefined`
 * dropped as JSON.stringify drops it) so that any implementation of the store — SQLite and
 * PostgreSQL alike — computes the same hash for the same record.
 */
import { createHash } from 'node:crypto';
import type { AuditRecord } from './types.js';

/**
 * JSON with object keys sorted recursively: one text per value, whatever order it was built in.
 *
 * @example
 * canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } }); // '{"a":{"d":[2,{"e":0,"f":1}]},"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  // toJSON first (Date and friends), exactly as JSON.stringify would.
  const maybeJson = value as { toJSON?: () => unknown };
  if (typeof maybeJson.toJSON === 'function') return sortKeys(maybeJson.toJSON());
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

/**
 * The part of a record the hash covers: everything but what the store assigns.
 *
 * @example
 * auditContent({ seq: 3, prevHash: 'ab', hash: 'cd', at: '2026-01-01T00:00:00Z', … }); // { at: …, … } without seq/prevHash/hash
 */
export function auditContent(record: AuditRecord): Omit<AuditRecord, 'seq' | 'prevHash' | 'hash'> {
  const { seq: _seq, prevHash: _prevHash, hash: _hash, ...content } = record;
  return content;
}

/**
 * Hex SHA-256 over `prevHash` followed by the record content's canonical JSON.
 *
 * @example
 * const first = auditHash('', canonicalJson(auditContent(record)));
 * const second = auditHash(first, canonicalJson(auditContent(next)));
 */
export function auditHash(prevHash: string, contentJson: string): string {
  return createHash('sha256').update(prevHash).update(contentJson).digest('hex');
}
