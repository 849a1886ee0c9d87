/**
 * A recon_messages row as the contract's QueuedMessage: optional fields are left out rather
 * than set to null, so a message looks the same whichever store it came from.
 */
import type { MessageState, QueuedMessage } from './types.js';

export interface MessageRow {
  seq: number;
  connector: string;
  id: string;
  payload: string;
  state: MessageState;
  attempts: number;
  not_before: number;
  enqueued_at: number;
  updated_at: number;
  lease_until: number | null;
  lease_owner: string | null;
  reason: string | null;
  vendor_id: string | null;
  idempotency_key: string;
  outcome_unknown: number;
}

/**
 * @example
 * messageFromRow(db.prepare('SELECT * FROM recon_messages WHERE seq = 1').get() as MessageRow);
 */
export function messageFromRow(row: MessageRow): QueuedMessage {
  const message: QueuedMessage = {
    connector: row.connector,
    id: row.id,
    payload: JSON.parse(row.payload) as unknown,
    state: row.state,
    attempts: row.attempts,
    notBefore: row.not_before,
    enqueuedAt: row.enqueued_at,
    updatedAt: row.updated_at,
    idempotencyKey: row.idempotency_key,
    outcomeUnknown: row.outcome_unknown !== 0,
  };
  if (row.lease_until !== null) message.leaseUntil = row.lease_until;
  if (row.lease_owner !== null) message.leaseOwner = row.lease_owner;
  if (row.reason !== null) message.reason = row.reason;
  if (row.vendor_id !== null) message.vendorId = row.vendor_id;
  return message;
}
