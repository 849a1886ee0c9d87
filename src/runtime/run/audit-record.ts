/**
 * One attempt as the audit log keeps it: the exchange redacted like a recording (credentials,
 * tokens, national identity numbers, the configured fields, every known secret) and each body
 * capped, noting the original size, so that one huge response cannot swell the log.
 */
import type { Exchange, Redactor } from '../../http/index.js';
import type { AuditRecord } from '../store/types.js';

/** Largest body kept per side, in bytes. */
export const AUDIT_BODY_CAP_BYTES = 64 * 1024;

/** What the runner knows about an attempt besides the exchange. */
export interface AttemptFacts {
  connector: string;
  messageId: string;
  attempt: number;
  /** operationId or `METHOD /path` of the call (the lookup's, for a lookup). */
  operation: string;
  idempotencyKey: string;
  /** done | retry | dead | parked | lookup-found | lookup-missing | invalid */
  outcome: string;
  errorClass?: string;
}

/**
 * @example
 * const record = auditRecordOf(exchange, { connector: 'push-invoices', messageId: 'INV-1', attempt: 1,
 *   operation: 'createInvoice', idempotencyKey: key, outcome: 'done' }, redactor);
 * await store.audit(record);
 */
export function auditRecordOf(exchange: Exchange, facts: AttemptFacts, redactor: Redactor, capBytes = AUDIT_BODY_CAP_BYTES): AuditRecord {
  const safe = redactor.exchange(exchange);
  const record: AuditRecord = {
    at: exchange.startedAt.toISOString(),
    connector: facts.connector,
    messageId: facts.messageId,
    attempt: facts.attempt,
    operation: facts.operation,
    method: safe.request.method,
    url: safe.request.url,
    requestHeaders: safe.request.headers.map(([n, v]) => [n, v]),
    durationMs: Math.round(exchange.time),
    idempotencyKey: facts.idempotencyKey,
    outcome: facts.outcome,
  };
  if (safe.request.body !== undefined) record.requestBody = capped(safe.request.body, capBytes);
  if (safe.response !== undefined) {
    record.status = safe.response.status;
    record.responseHeaders = safe.response.headers.map(([n, v]) => [n, v]);
    record.responseBody = capped(safe.response.body, capBytes, safe.response.bodySize);
  }
  const errorClass = facts.errorClass ?? safe.failure?.code;
  if (errorClass !== undefined) record.errorClass = errorClass;
  return record;
}

/**
 * An attempt that never became a call (the record did not fit the template or the schema, or a
 * message parked without a call): logged all the same, so the audit log accounts for every message.
 */
export function noCallRecordOf(
  facts: AttemptFacts,
  request: { method: string; url: string; body?: string | Buffer },
  at: Date,
  redactor: Redactor,
  capBytes = AUDIT_BODY_CAP_BYTES,
): AuditRecord {
  const record: AuditRecord = {
    at: at.toISOString(),
    connector: facts.connector,
    messageId: facts.messageId,
    attempt: facts.attempt,
    operation: facts.operation,
    method: request.method,
    url: request.url === '' ? '' : redactor.url(request.url),
    requestHeaders: [],
    durationMs: 0,
    idempotencyKey: facts.idempotencyKey,
    outcome: facts.outcome,
  };
  if (facts.errorClass !== undefined) record.errorClass = facts.errorClass;
  if (request.body !== undefined) record.requestBody = capped(redactor.text(request.body.toString()), capBytes);
  return record;
}

/** The body as text, cut at `capBytes` with a note of the size it had. */
export function capped(body: string | Buffer, capBytes: number, originalBytes?: number): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const total = Math.max(originalBytes ?? 0, bytes.length);
  if (total <= capBytes && bytes.length <= capBytes) return bytes.toString('utf8');
  // Cutting a UTF-8 sequence in half leaves one U+FFFD; the note says the body was cut anyway.
  return `${bytes.subarray(0, capBytes).toString('utf8')}…[cut at ${capBytes} of ${total} bytes]`;
}
